// Package jsonloc turns encoding/json errors into messages that say where (line and
// column) and what, in words, without quoting the input: user files may hold secrets.
package jsonloc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
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
		line, col := LineCol(data, base+syntax.Offset-1) // Offset counts the bad byte
		return fmt.Errorf("line %d, column %d: not valid JSON: %s", line, col, syntax.Error())
	case errors.As(err, &typ):
		line, col := LineCol(data, base+typ.Offset)
		field := "the top level"
		if typ.Field != "" {
			field = "field " + typ.Field
		}
		return fmt.Errorf("line %d, column %d: %s: want %s, got a JSON %s", line, col, field, typ.Type.String(), typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the JSON ends too early (truncated file?)")
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// LineCol is the 1-based line and column of byte offset in data.
func LineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
