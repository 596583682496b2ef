// Package jsonloc turns encoding/json errors into messages that say where (line and
// column) and what, in words, without quoting the input: user files may hold secrets.
package jsonloc

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/otpdoctor/otpdoctor/internal/charclass"
)

// Locate explains err, an error from decoding data (or a part of data starting at
// byte base).
func Locate(data []byte, base int64, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax) && base+syntax.Offset >= int64(len(data)):
		return errors.New("the JSON ends too early (truncated file?)")
	case errors.As(err, &syntax):
		bad := base + syntax.Offset - 1 // Offset counts the bad byte
		line, col := lineCol(data, bad)
		return fmt.Errorf("line %d, column %d: not valid JSON: %s", line, col, syntaxProblem(data[bad:], syntax.Error()))
	case errors.As(err, &typ):
		line, col := lineCol(data, base+typ.Offset)
		field := "the top level"
		if typ.Field != "" {
			field = "field " + typ.Field
		}
		return fmt.Errorf("line %d, column %d: %s: want %s, got a JSON %s", line, col, field, jsonType(typ.Type), typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the JSON ends too early (truncated file?)")
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// jsonType says what JSON value decodes into t, in JSON's words rather than Go's.
func jsonType(t reflect.Type) string {
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonType(t.Elem())
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// syntaxProblem says what encoding/json's message says, with the character it quotes
// ("invalid character 'J' looking for beginning of value") named by its kind instead,
// and the place in plain words.
func syntaxProblem(rest []byte, message string) string {
	const prefix = "invalid character '"
	if !strings.HasPrefix(message, prefix) {
		return message
	}
	// The quoted character is at least one byte long; the place follows its closing quote.
	end := strings.Index(message[len(prefix)+1:], "' ")
	if end < 0 {
		return message
	}
	place := message[len(prefix)+1+end+2:]
	r, _ := utf8.DecodeRune(rest)
	what := charclass.Of(r)
	for _, p := range places {
		if strings.HasPrefix(place, p.encoding) {
			return what + " " + p.words
		}
	}
	return what + " " + place
}

// places are encoding/json's places of a syntax error, in plain words.
var places = []struct{ encoding, words string }{
	{"looking for beginning of value", "where a value should begin"},
	{"looking for beginning of object key string", "where a quoted key should begin"},
	{"after object key:value pair", "after a value in an object, where a comma or } should be"},
	{"after object key", "after a key, where a colon should be"},
	{"after array element", "after a value in a list, where a comma or ] should be"},
	{"after top-level value", "after the end of the JSON"},
	{"in string literal", "inside a string"},
	{"in string escape code", "in a backslash escape inside a string"},
	{"in numeric literal", "inside a number"},
	{"in literal", "inside true, false or null"},
}

// lineCol is the 1-based line and column of byte offset in data; columns count
// characters, as editors do.
func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

// Pointer finds where the value at a JSON pointer (RFC 6901: "/checks/0/status"; ""
// is the whole document) starts in data, as a line and column; ok is false when data
// holds no such value. It walks data's tokens, decoding none of the values it skips
// into Go values.
func Pointer(data []byte, pointer string) (line, col int, ok bool) {
	var path []string
	if pointer != "" {
		path = strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for _, step := range path {
		if !enter(dec, strings.ReplaceAll(strings.ReplaceAll(step, "~1", "/"), "~0", "~")) {
			return 0, 0, false
		}
	}
	start := dec.InputOffset()
	for start < int64(len(data)) && bytes.IndexByte([]byte(" \t\r\n:,"), data[start]) >= 0 {
		start++
	}
	if start >= int64(len(data)) {
		return 0, 0, false
	}
	line, col = lineCol(data, start)
	return line, col, true
}

// enter reads the container that starts at dec's position up to its member named
// step (an object's key, or an array's index), so that the member's value is next.
func enter(dec *json.Decoder, step string) bool {
	t, err := dec.Token()
	if err != nil {
		return false
	}
	switch t {
	case json.Delim('{'):
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return false
			}
			if key == step {
				return true
			}
			if !skipValue(dec) {
				return false
			}
		}
	case json.Delim('['):
		index, err := strconv.Atoi(step)
		if err != nil || index < 0 {
			return false
		}
		for i := 0; dec.More(); i++ {
			if i == index {
				return true
			}
			if !skipValue(dec) {
				return false
			}
		}
	}
	return false
}

// skipValue reads one whole value, token by token.
func skipValue(dec *json.Decoder) bool {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return true
		}
	}
}
