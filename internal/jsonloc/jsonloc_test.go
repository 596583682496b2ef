package jsonloc

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
)

func TestLocate(t *testing.T) {
	cases := []struct {
		data string
		into any
		want string
	}{
		{"{\n  \"a\": 1,\n  \"b\": ]\n}", &map[string]int{}, "line 3, column 8: not valid JSON: a punctuation mark or symbol where a value should begin"},
		{"{\"a\": \"x\"}", &struct{ A int }{}, "line 1, column 10: field A: want a whole number, got a JSON string"},
		{"[]", &struct{ Schema string }{}, "line 1, column 2: the top level: want an object, got a JSON array"},
		{"{\"server\": 5}", &struct{ Server netip.Addr }{}, "field Server: want a string, got a JSON number"},
		{"{\"ok\": \"yes\"}", &map[string]*bool{}, "want true or false, got a JSON string"},
		{"{\"a\": ", &map[string]int{}, "ends too early"},
		{"JBSWY3DPEHPK3PXP", &map[string]int{}, "line 1, column 1: not valid JSON: a letter where a value should begin"},
		{"{\"secret\": \"JBSW\x01\"}", &map[string]string{}, "line 1, column 17: not valid JSON: a control character inside a string"},
		{"{\"a\" 1}", &map[string]int{}, "line 1, column 6: not valid JSON: a digit after a key, where a colon should be"},
		{"[1 2]", &[]int{}, "after a value in a list, where a comma or ] should be"},
		{"{\"a\": 1 \"b\": 2}", &map[string]int{}, "after a value in an object, where a comma or } should be"},
		{"{\"a\": trué}", &map[string]any{}, "column 10: not valid JSON: a non-ASCII letter inside true, false or null"},
	}
	for _, c := range cases {
		err := Locate([]byte(c.data), 0, json.Unmarshal([]byte(c.data), c.into))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.data, err, c.want)
		}
	}
}

// A syntax error names the kind of the bad character, never the character: the file may
// be an authenticator export full of keys.
func FuzzLocate(f *testing.F) {
	for _, seed := range []string{"JBSWY3DPEHPK3PXP", `{"secret": "ABC` + "\x01" + `"}`, `{"a" 1}`, "[1 2]", `{"a": tru€}`, "\xff"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		err := json.Unmarshal(data, &v)
		if err == nil {
			return
		}
		msg := Locate(data, 0, err).Error()
		if strings.Contains(msg, "invalid character '") {
			t.Errorf("the message quotes the input: %s", msg)
		}
	})
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\néf")
	for offset, want := range map[int64][2]int{0: {1, 1}, 1: {1, 2}, 3: {2, 1}, 4: {2, 2}, 8: {3, 2}, 99: {3, 3}, -5: {1, 1}} {
		line, col := lineCol(data, offset)
		if line != want[0] || col != want[1] {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", offset, line, col, want[0], want[1])
		}
	}
}

func TestPointer(t *testing.T) {
	data := []byte("{\n  \"schema\": \"x\",\n  \"a/b\": {\"c~d\": 1},\n  \"checks\": [\n    {\"id\": \"clock\"},\n    {\"id\": \"codes\", \"status\": \"weird\"}\n  ]\n}")
	for pointer, want := range map[string][2]int{
		"":                  {1, 1},
		"/schema":           {2, 13},
		"/a~1b/c~0d":        {3, 18},
		"/checks":           {4, 13},
		"/checks/0":         {5, 5},
		"/checks/1/status":  {6, 31},
		"/checks/2":         {0, 0},
		"/checks/x":         {0, 0},
		"/missing":          {0, 0},
		"/schema/not-there": {0, 0},
	} {
		line, col, ok := Pointer(data, pointer)
		if ok != (want[0] != 0) || line != want[0] || col != want[1] {
			t.Errorf("Pointer(%q) = %d:%d %v, want %d:%d", pointer, line, col, ok, want[0], want[1])
		}
	}
}

// Pointer never panics and finds only places inside the data, whatever the data and
// the pointer.
func FuzzPointer(f *testing.F) {
	f.Add([]byte(`{"checks": [{"id": "clock"}]}`), "/checks/0/id")
	f.Add([]byte(`[1, [2, {"a": 3}]]`), "/1/1/a")
	f.Add([]byte(`{"a": tru`), "/a")
	f.Fuzz(func(t *testing.T, data []byte, pointer string) {
		line, col, ok := Pointer(data, pointer)
		if ok && (line < 1 || col < 1 || line > bytes.Count(data, []byte("\n"))+1) {
			t.Errorf("Pointer(%q) = %d:%d, outside the data", pointer, line, col)
		}
	})
}
