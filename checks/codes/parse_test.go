package codes

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/otpdoctor/otpdoctor/diag"
)

func TestParseCode(t *testing.T) {
	good := map[string]string{
		"123456":      "123456",
		" 123 456 \n": "123456",
		"123-456":     "123456",
		"01234567":    "01234567",
		"12345":       "12345", // a lost leading zero is the check's to judge
	}
	for in, want := range good {
		if got, err := ParseCode(in); err != nil || got != want {
			t.Errorf("ParseCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":            "empty",
		"12a456":      "column 3: a letter",
		"123  456":    "column 5: a separator",
		"-123456":     "column 1: a separator",
		"123456-":     "column 7: a separator",
		"123,456":     "column 4: a punctuation mark",
		"12\t3456":    "column 3: a tab",
		"１２３４５６":      "column 1: a digit from another script",
		"123":         "3 digits",
		"12345678901": "11 digits",
		"12\xff456":   "column 3: a byte that is not valid UTF-8",
	}
	for in, want := range bad {
		_, err := ParseCode(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCode(%q) error %v; want %q", in, err, want)
		}
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	for _, in := range []string{"2026-11-26T09:30:00Z", "2026-11-26T10:30:00+01:00", "1795685400", " 1795685400 "} {
		if got, err := ParseTime(in); err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yesterday", "2026-11-26", "2026-11-26 09:30", "99999999999999999999", "1099511627777"} {
		if _, err := ParseTime(in); err == nil {
			t.Errorf("ParseTime(%q) accepted", in)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	for _, seed := range []string{"123456", "123 456", "12a456", "-1", "１２３", "\xff", "0000000000"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		code, err := ParseCode(in)
		if err != nil {
			// Errors never repeat the input (beyond what a message says anyway).
			if len(in) >= 4 && strings.Contains(err.Error(), in) && strings.TrimSpace(in) != "" {
				t.Fatalf("error %q repeats the input", err)
			}
			return
		}
		if len(code) < minCodeDigits || len(code) > maxCodeDigits || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("ParseCode(%q) = %q", in, code)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, seed := range []string{"2026-11-26T09:30:00Z", "1795685400", "-5", "2026-11-26T09:30:00.123456789+05:45", "x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		at, err := ParseTime(in)
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("error is not UTF-8: %q", err)
			}
			return
		}
		// Any accepted instant gives a counter and a code without trouble.
		_ = TOTPAt(testKey, at)
	})
}

// FuzzCheck runs the codes check on any codes a user may type: a result, never a panic,
// and a malformed code is a code-typo finding.
func FuzzCheck(f *testing.F) {
	for _, seed := range [][2]string{{"899691", ""}, {"12a456", "123456"}, {"0123", "01234"}, {"1234567890", "1234567890"}, {" 123-456", "123 457"}} {
		f.Add(seed[0], seed[1])
	}
	env := &diag.Env{Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, first, second string) {
		codes := []string{first}
		if second != "" {
			codes = append(codes, second)
		}
		c := &Check{Key: testKey, Codes: codes, Window: time.Minute}
		r := c.Run(context.Background(), env)
		if r.Status == "" || r.Summary == "" {
			t.Fatalf("empty result for %q: %+v", codes, r)
		}
		if _, err := ParseCode(first); err != nil && (len(r.Findings) != 1 || r.Findings[0].Cause != diag.CauseCodeTypo) {
			t.Fatalf("malformed code %q gave %+v", first, r.Findings)
		}
	})
}
