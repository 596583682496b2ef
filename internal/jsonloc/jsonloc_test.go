package jsonloc

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLocate(t *testing.T) {
	cases := []struct {
		data string
		into any
		want string
	}{
		{"{\n  \"a\": 1,\n  \"b\": ]\n}", &map[string]int{}, "line 3, column 8: not valid JSON"},
		{"{\"a\": \"x\"}", &struct{ A int }{}, "line 1, column 10: field A: want int, got a JSON string"},
		{"{\"a\": ", &map[string]int{}, "ends too early"},
	}
	for _, c := range cases {
		err := Locate([]byte(c.data), 0, json.Unmarshal([]byte(c.data), c.into))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.data, err, c.want)
		}
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\n")
	for offset, want := range map[int64][2]int{0: {1, 1}, 1: {1, 2}, 3: {2, 1}, 4: {2, 2}, 99: {3, 1}, -5: {1, 1}} {
		line, col := LineCol(data, offset)
		if line != want[0] || col != want[1] {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", offset, line, col, want[0], want[1])
		}
	}
}
