package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// schema is one compiled node of a JSON Schema (draft 2020-12), limited to the keywords
// docs/report.schema.json uses. A general validator compiles every draft's
// meta-schemas when the program starts (10 ms and 21,000 allocations before any
// command runs); this one compiles the report schema only when explain reads a report.
// Compiling refuses every other keyword, so the schema cannot outgrow the validator
// unnoticed, and the tests check it against a general validator.
type schema struct {
	ref                 string // "#/$defs/name", resolved through defs
	defs                map[string]*schema
	types               []string
	enum                []any
	constant            any
	hasConst            bool
	required            []string
	properties          map[string]*schema
	items               *schema
	allOf, anyOf, oneOf []*schema
	not, ifS, thenS     *schema
	minItems, maxItems  int // -1 when absent
	minimum             *float64
	pattern             *regexp.Regexp
	dateTime            bool // "format": "date-time" (asserted, as the general validator was told to)
}

// annotations are keywords that describe and never constrain.
var annotations = []string{"$schema", "$id", "$comment", "title", "description", "$defs"}

// compileSchema compiles a schema document; $refs point into its $defs.
func compileSchema(doc []byte) (*schema, error) {
	var root map[string]any
	if err := decodeJSON(doc, &root); err != nil {
		return nil, err
	}
	defs := map[string]*schema{}
	raw, _ := root["$defs"].(map[string]any)
	for name := range raw {
		defs[name] = &schema{}
	}
	for name, node := range raw {
		s, err := compileNode(node, defs, "/$defs/"+name)
		if err != nil {
			return nil, err
		}
		*defs[name] = *s
	}
	return compileNode(root, defs, "")
}

func compileNode(node any, defs map[string]*schema, at string) (*schema, error) {
	m, ok := node.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema at %q: not an object", at)
	}
	s := &schema{defs: defs, minItems: -1, maxItems: -1}
	sub := func(key string, v any) (*schema, error) { return compileNode(v, defs, at+"/"+key) }
	subs := func(key string, v any) ([]*schema, error) {
		list, _ := v.([]any)
		var out []*schema
		for i, n := range list {
			c, err := compileNode(n, defs, fmt.Sprintf("%s/%s/%d", at, key, i))
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, nil
	}
	var err error
	for key, v := range m {
		switch key {
		case "$ref":
			ref, _ := v.(string)
			name, ok := strings.CutPrefix(ref, "#/$defs/")
			if !ok || defs[name] == nil {
				return nil, fmt.Errorf("schema at %q: $ref %q is not one of its $defs", at, ref)
			}
			s.ref = name
		case "type":
			switch t := v.(type) {
			case string:
				s.types = []string{t}
			case []any:
				for _, x := range t {
					name, _ := x.(string)
					s.types = append(s.types, name)
				}
			}
		case "enum":
			s.enum, _ = v.([]any)
		case "const":
			s.constant, s.hasConst = v, true
		case "required":
			for _, x := range v.([]any) {
				s.required = append(s.required, x.(string))
			}
		case "properties":
			s.properties = map[string]*schema{}
			for name, n := range v.(map[string]any) {
				if s.properties[name], err = sub(key+"/"+name, n); err != nil {
					return nil, err
				}
			}
		case "items":
			s.items, err = sub(key, v)
		case "allOf":
			s.allOf, err = subs(key, v)
		case "anyOf":
			s.anyOf, err = subs(key, v)
		case "oneOf":
			s.oneOf, err = subs(key, v)
		case "not":
			s.not, err = sub(key, v)
		case "if":
			s.ifS, err = sub(key, v)
		case "then":
			s.thenS, err = sub(key, v)
		case "minItems", "maxItems", "minimum":
			n, _ := v.(json.Number).Float64()
			switch key {
			case "minItems":
				s.minItems = int(n)
			case "maxItems":
				s.maxItems = int(n)
			default:
				s.minimum = &n
			}
		case "pattern":
			s.pattern, err = regexp.Compile(v.(string))
		case "format":
			if v != "date-time" {
				return nil, fmt.Errorf("schema at %q: format %q is not supported", at, v)
			}
			s.dateTime = true
		default:
			if !slices.Contains(annotations, key) {
				return nil, fmt.Errorf("schema at %q: keyword %q is not supported", at, key)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// decodeJSON decodes keeping numbers exact (json.Number), as "integer" needs.
func decodeJSON(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}

// misfit is one place that does not fit the schema: its JSON pointer, and why.
type misfit struct{ at, why string }

// misfits lists, for v at the JSON pointer at, each place that does not fit and why.
func (s *schema) misfits(v any, at string) []misfit {
	if s.ref != "" {
		return s.defs[s.ref].misfits(v, at)
	}
	var out []misfit
	say := func(format string, args ...any) {
		out = append(out, misfit{at, fmt.Sprintf(format, args...)})
	}
	fits := func(c *schema) bool { return len(c.misfits(v, at)) == 0 }
	if len(s.types) > 0 && !slices.ContainsFunc(s.types, func(t string) bool { return hasType(v, t) }) {
		say("got %s, want %s", typeOf(v), strings.Join(s.types, " or "))
		return out
	}
	if s.enum != nil && !slices.ContainsFunc(s.enum, func(e any) bool { return equalJSON(e, v) }) {
		say("value must be one of %s", quoteAll(s.enum))
	}
	if s.hasConst && !equalJSON(s.constant, v) {
		say("value must be %s", quote(s.constant))
	}
	switch v := v.(type) {
	case map[string]any:
		var missing []any
		for _, name := range s.required {
			if _, ok := v[name]; !ok {
				missing = append(missing, name)
			}
		}
		if missing != nil {
			say("missing properties %s", quoteAll(missing))
		}
		for _, name := range sortedKeys(v) {
			if p := s.properties[name]; p != nil {
				out = append(out, p.misfits(v[name], at+"/"+escapePointer(name))...)
			}
		}
	case []any:
		if s.minItems >= 0 && len(v) < s.minItems {
			say("minItems: got %d, want %d", len(v), s.minItems)
		}
		if s.maxItems >= 0 && len(v) > s.maxItems {
			say("maxItems: got %d, want %d", len(v), s.maxItems)
		}
		if s.items != nil {
			for i, item := range v {
				out = append(out, s.items.misfits(item, fmt.Sprintf("%s/%d", at, i))...)
			}
		}
	case json.Number:
		if n, _ := v.Float64(); s.minimum != nil && n < *s.minimum {
			say("minimum: got %s, want %v", v, *s.minimum)
		}
	case string:
		if s.pattern != nil && !s.pattern.MatchString(v) {
			say("%s does not match pattern %s", quoteInput(v), quote(s.pattern.String()))
		}
		if _, err := time.Parse(time.RFC3339Nano, v); s.dateTime && err != nil {
			say("%s is not valid date-time", quoteInput(v))
		}
	}
	for _, c := range s.allOf {
		out = append(out, c.misfits(v, at)...)
	}
	if s.anyOf != nil && !slices.ContainsFunc(s.anyOf, fits) {
		say("anyOf failed")
	}
	if s.oneOf != nil {
		if n := countFunc(s.oneOf, fits); n != 1 {
			say("oneOf failed: %d of %d subschemas fit, want exactly 1", n, len(s.oneOf))
		}
	}
	if s.not != nil && fits(s.not) {
		say("not failed")
	}
	if s.ifS != nil && s.thenS != nil && fits(s.ifS) {
		out = append(out, s.thenS.misfits(v, at)...)
	}
	return out
}

func hasType(v any, t string) bool {
	switch t {
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && f == math.Trunc(f)
	case "number":
		_, ok := v.(json.Number)
		return ok
	}
	return typeOf(v) == t
}

func typeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

// equalJSON compares two decoded JSON values; numbers by value (1 equals 1.0).
func equalJSON(a, b any) bool {
	if x, ok := a.(json.Number); ok {
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, errX := x.Float64()
		fy, errY := y.Float64()
		return errX == nil && errY == nil && fx == fy
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, equalJSON)
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			if yv, ok := y[k]; !ok || !equalJSON(xv, yv) {
				return false
			}
		}
		return true
	}
	return a == b
}

func quote(v any) string {
	if s, ok := v.(string); ok {
		return "'" + s + "'"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// quoteInput quotes a string from the document checked: at most maxQuoted characters
// of it, since a report may hold a string of a megabyte.
func quoteInput(v string) string {
	if runes := []rune(v); len(runes) > maxQuoted {
		return fmt.Sprintf("'%s…' (%d characters)", string(runes[:maxQuoted]), len(runes))
	}
	return quote(v)
}

const maxQuoted = 40

func quoteAll(vs []any) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = quote(v)
	}
	return strings.Join(out, ", ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// escapePointer escapes a property name for a JSON pointer (RFC 6901).
func escapePointer(name string) string {
	return strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
}

func countFunc[T any](s []T, f func(T) bool) int {
	n := 0
	for _, x := range s {
		if f(x) {
			n++
		}
	}
	return n
}
