package main

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/otpdoctor/otpdoctor/diag"
)

// rawControl finds the first character of s that would act on a terminal or on the
// text around it instead of showing: a control (C0, DEL, C1) other than a line feed or
// a tab, a format character (a bidi override such as U+202E, a zero-width one), a line
// or paragraph separator, or a byte that is not UTF-8. It is diag.Visible's promise,
// written out again here so that the test does not check the code with itself.
func rawControl(s string) (at int, r rune, found bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r != '\n' && r != '\t' && unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			return i, r, true
		}
		i += size
	}
	return 0, 0, false
}

// assertNoRawControl fails t for a raw control character in what a human reads.
func assertNoRawControl(t testing.TB, where, text string) {
	t.Helper()
	if at, r, found := rawControl(text); found {
		t.Errorf("%s holds a raw %U at byte %d: %q", where, r, at, text[max(0, at-40):min(len(text), at+40)])
	}
}

// explainSeeds are small reports of our own: the renderers' golden report, one run
// of check with every offline check, and reports whose strings carry terminal escapes,
// bidi overrides and a check and a cause this version does not know.
func explainSeeds(f *testing.F) [][]byte {
	golden, err := os.ReadFile(filepath.Join("..", "..", "diag", "testdata", "golden", "report.json"))
	if err != nil {
		f.Fatal(err)
	}
	const at = "2026-11-26T09:30:00Z"
	checked := execCLI(f, scenarioSecret, "", "check", "--offline", "--now", at, "--code", "123456",
		"--service", "github", "--backup-code", "1a2b3-c4dSe", "--format", "json")
	if checked.code != exitFailed {
		f.Fatalf("check: exit %d: %s", checked.code, checked.stderr)
	}
	hostile := `{"schema": "otpdoctor.report/v1", "tool_version": "v0.1.0\u001b[2J", "generated_at": "2026-11-26T09:30:00Z",
 "status": "fail", "service": "bin\u202eecna", "platform": "ios", "app": "authy",
 "checks": [{"id": "secret", "title": "Key\u0007", "status": "fail", "summary": "\u001b]52;c;cGF5\u0007 \r\u0085",
   "duration_ms": 1, "facts": {"type": "totp", "issuer": "\u001b]0;pwned\u0007", "account": "\u202ea\u2028b"},
   "findings": [{"cause": "secret-invalid", "severity": "fail", "message": "\u001b[8mhidden", "fix": ["\u009b31m"]}]},
  {"id": "smartcard", "title": "Card\u200b", "status": "warn", "summary": "x", "duration_ms": 0, "facts": {"\u001b": "\u001b"},
   "findings": [{"cause": "card-locked", "severity": "warn", "message": "m", "fix": ["\u001b"],
     "steps": [{"device": "this-computer", "text": "\u001b[31m"}]}]}],
 "diagnosis": [{"cause": "card-locked", "confidence": "high", "summary": "\u001b", "evidence": ["\u001b"], "fix": ["\u001b"]}]}`
	return [][]byte{golden, []byte(checked.stdout), []byte(hostile), []byte(`{"schema": "otpdoctor.report/v1"}`), []byte(`{"schema": "otpdoctor.report/v9"}`)}
}

// FuzzExplain: any bytes given to explain are rendered or refused, never a panic. A
// refusal is exit 2 with an error line and a hint, nothing on stdout. A report read is
// rendered in every format: the human ones hold no raw control character (colour off),
// the JUnit XML parses, and the JSON is a report explain reads back to the same JSON.
func FuzzExplain(f *testing.F) {
	for _, seed := range explainSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range diag.Formats {
			r := execCLI(t, nil, string(data), "explain", "-", "--no-color", "-vv", "--format", format)
			assertNoRawControl(t, format+" stderr", r.stderr)
			if r.code == exitUsage {
				if r.stdout != "" || !strings.HasPrefix(r.stderr, "otpdoctor: ") || strings.Count(r.stderr, "\n") != 2 {
					t.Fatalf("refused with stdout %q, stderr %q", r.stdout, r.stderr)
				}
				return // every format refuses alike
			}
			if r.code != exitOK {
				t.Fatalf("--format %s: exit %d: %s", format, r.code, r.stderr)
			}
			switch format {
			case diag.FormatText, diag.FormatMarkdown:
				assertNoRawControl(t, format, r.stdout)
			case diag.FormatJUnit:
				assertNoRawControl(t, format, r.stdout)
				assertXML(t, r.stdout)
			case diag.FormatJSON:
				again := execCLI(t, nil, r.stdout, "explain", "-", "--format", format)
				if again.code != exitOK || again.stdout != r.stdout {
					t.Fatalf("the JSON explain wrote does not read back the same: exit %d, %s", again.code, again.stderr)
				}
			}
		}
	})
}

// assertXML fails t unless doc is well-formed XML.
func assertXML(t testing.TB, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("the JUnit XML does not parse: %v", err)
		}
	}
}
