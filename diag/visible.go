package diag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Visible is s made safe to show on a terminal or in a document a person reads: every
// character that could act instead of being seen is written as an escape a person can
// read. Control characters (an ESC starting a clear-screen, window-title or clipboard
// sequence, a carriage return that overwrites a line) become \x1b, \r, \u0085; format
// characters (bidi overrides such as U+202E that reorder the text, zero-width ones
// that hide it) and line or paragraph separators become \u202e; a byte that is not
// UTF-8 becomes \xff. Other text, accented and non-Latin letters included, is left as
// it is.
//
// Every string that can come from input (an issuer or account name from a key, a
// status page's text, any string of a saved report given to explain) goes through
// Visible when a human format shows it; the renderers apply it to every string of a
// report, so a check never has to.
func Visible(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !acts(r):
			b.WriteString(s[i : i+size])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < utf8.RuneSelf:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// visibleLines is Visible for text whose line breaks are its own (indented JSON),
// line by line.
func visibleLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = Visible(line)
	}
	return strings.Join(lines, "\n")
}

// needsEscape says whether any character of s acts instead of showing; most strings
// have none and are returned as they are.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; ' ' <= c && c < 0x7f { // printable ASCII: most of any report
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || acts(r) {
			return true
		}
		i += size
	}
	return false
}

// acts says whether r does something to a terminal or to the text around it instead
// of showing as itself: C0 and C1 controls and DEL (Cc), format characters such as the
// bidi controls and zero-width characters (Cf), and the line and paragraph separators
// (Zl, Zp).
func acts(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}

// visibleReport is r with every string in it (but the facts, which the renderers show
// as JSON through Visible) made Visible: walked by reflection, so that a field added
// to the report later is covered without anyone remembering to.
func visibleReport(r Report) Report {
	return visibleValue(reflect.ValueOf(r)).Interface().(Report)
}

// visibleValue is a copy of v with its strings, and those of its slices and struct
// fields, made Visible. Other values (facts behind an interface, times, pointers)
// are kept as they are.
func visibleValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		if !needsEscape(v.String()) {
			return v // strings do not change: only an escaped one is a new value
		}
		out := reflect.New(v.Type()).Elem()
		out.SetString(Visible(v.String()))
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(visibleValue(v.Index(i)))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if out.Field(i).CanSet() {
				out.Field(i).Set(visibleValue(v.Field(i)))
			}
		}
		return out
	}
	return v
}

// WriteJSON writes v as indented JSON in which every character that acts (see
// Visible) is a \u escape: encoding/json escapes the C0 controls but leaves DEL, the C1
// controls and bidi overrides raw, and a JSON report is often read on a terminal. The
// escapes are the same data to a JSON reader.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(inertJSON(buf.Bytes()))
	return err
}

// inertJSON is encoded JSON with its acting characters escaped. encoding/json has
// escaped every C0 control inside strings, so those left are the layout's own line
// breaks; the rest can only be in strings (JSON's syntax is ASCII), where a \u
// escape means the same character.
func inertJSON(data []byte) []byte {
	if !bytes.ContainsFunc(data, func(r rune) bool { return r >= utf8.RuneSelf-1 && acts(r) }) {
		return data
	}
	out := make([]byte, 0, len(data)+64)
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r < 0x20 || !acts(r):
			out = append(out, data[i:i+size]...)
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
		default:
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
	}
	return out
}
