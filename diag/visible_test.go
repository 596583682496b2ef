package diag

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"Binance (alice@example.com)":   "Binance (alice@example.com)",
		"Zürich · 東京 ✓ ±0.03 s":         "Zürich · 東京 ✓ ±0.03 s",
		"\x1b[2J\x1b[H":                 `\x1b[2J\x1b[H`,               // clear the screen
		"\x1b]0;pwned\x07":              `\x1b]0;pwned\x07`,            // window title
		"\x1b]52;c;ZWNobyBoaQ==\x1b\\":  `\x1b]52;c;ZWNobyBoaQ==\x1b\`, // write the clipboard (OSC 52)
		"\x1b[8mhidden\x1b[0m":          `\x1b[8mhidden\x1b[0m`,        // hidden text
		"\u009b2J":                      `\u009b2J`,                    // the one-character CSI
		"admin\u202e@moc.elgoog":        `admin\u202e@moc.elgoog`,      // right-to-left override
		"a\u2066b\u2069c\u200fd\u061ce": `a\u2066b\u2069c\u200fd\u061ce`,
		"zero\u200bwidth\ufeff":         `zero\u200bwidth\ufeff`,
		"line\rover\nnext\ttab\x7f":     `line\rover\nnext\ttab\x7f`,
		"sep\u2028par\u2029":            `sep\u2028par\u2029`,
		"bad \xff\xfe utf-8":            `bad \xff\xfe utf-8`,
		"":                              "",
	} {
		if got := Visible(in); got != want {
			t.Errorf("Visible(%q) = %q, want %q", in, got, want)
		}
	}
}

// hostile is text that would act on a terminal: a clear-screen, a clipboard write, a
// bidi override, a carriage return, a byte that is not UTF-8.
const hostile = "\x1b[2J\x1b]52;c;cGF5\x07\u202emoc.evil\rX\xff"

// TestRenderersShowInputVisibly fills every string of a report with hostile text (by
// reflection, so a field added later is covered too), facts included, and renders it
// in each human format: nothing may reach the output that acts instead of showing.
func TestRenderersShowInputVisibly(t *testing.T) {
	r := sampleReport()
	fillStrings(reflect.ValueOf(&r).Elem())
	r.Checks = append(r.Checks,
		Result{ID: CheckSecret, Title: hostile, Status: StatusOK, Facts: &SecretFacts{Issuer: hostile, Account: hostile}},
		Result{ID: hostile, Title: hostile, Status: StatusWarn, Facts: &OtherFacts{ID: hostile, Values: map[string]any{hostile: []any{map[string]any{hostile: hostile}}}}},
	)
	for _, format := range []string{FormatText, FormatMarkdown, FormatJUnit} {
		for _, o := range []RenderOptions{{}, {Verbose: true, Facts: true}} {
			var out bytes.Buffer
			if err := Render(&out, r, format, o); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if bad := actingCharacter(out.String()); bad != "" {
				t.Errorf("%s %+v: the output holds %s", format, o, bad)
			}
			if !strings.Contains(out.String(), `\x1b[2J`) {
				t.Errorf("%s %+v: the hostile text is not shown escaped", format, o)
			}
		}
	}
}

// fillStrings sets every settable string in v, and in its slices and structs, to
// hostile; but statuses and severities, whose values the report schema enumerates
// (explain refuses a report with others).
func fillStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() && v.Type() != reflect.TypeFor[Status]() && v.Type() != reflect.TypeFor[Severity]() {
			v.SetString(hostile)
		}
	case reflect.Slice:
		if v.Len() == 0 && v.CanSet() {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		}
		for i := range v.Len() {
			fillStrings(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i))
			}
		}
	}
}

// actingCharacter names the first character of s that would act on a terminal (any
// control character but the line break, a format character, a byte that is not
// UTF-8), or is "".
func actingCharacter(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return "a byte that is not UTF-8"
		case r == '\n':
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
			return "the character " + Visible(string(r))
		}
	}
	return ""
}

func TestWriteJSONIsInert(t *testing.T) {
	hostile := "a\x1b]52;c;aGk=\x07 \u202eevil\u202c \u0085 \u009b2J \x7f \U000E0001 é 日本"
	var out bytes.Buffer
	if err := WriteJSON(&out, map[string]string{"name": hostile}); err != nil {
		t.Fatal(err)
	}
	if c := actingCharacter(out.String()); c != "" {
		t.Errorf("the JSON holds %s raw:\n%s", c, out.String())
	}
	if !strings.Contains(out.String(), `\u202e`) || !strings.Contains(out.String(), `\udb40\udc01`) || !strings.Contains(out.String(), "é 日本") {
		t.Errorf("not escaped as expected, or letters escaped too:\n%s", out.String())
	}
	var back map[string]string
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || back["name"] != hostile {
		t.Errorf("the escapes are not the same data: %q, %v", back["name"], err)
	}
}
