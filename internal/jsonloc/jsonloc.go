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
