package backup

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

func texts(found []Found) []string {
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.Text
	}
	return out
}

func TestExtractGitHubFile(t *testing.T) {
	var b strings.Builder
	want := []string{}
	for i := range 16 {
		code := strings.Repeat(string("0123456789abcdef"[i]), 5) + "-" + "1a2b3"
		want = append(want, code)
		b.WriteString(code + "\r\n")
	}
	found, err := ExtractCodes([]byte(b.String()), mustProfile(t, "github"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(texts(found), " ") != strings.Join(want, " ") || found[3].Line != 4 {
		t.Fatalf("found %v", found)
	}
}

// A backup codes page as Google prints it: prose, list numbers, two columns of
// grouped codes, an e-mail address and a date.
const googleFile = `SAVE YOUR BACKUP CODES
Keep these backup codes somewhere safe but accessible.

1. 1234 5678		2. 2345 6789
3. 3456 7890		4. 4567 8901
5. 5678 9012		6. 6789 0123
7. 7890 1234		8. 8901 2345
9. 9012 3456		10. 0123 4567

(someone@gmail.com)
* You can only use each backup code once.
* Need more? Visit g.co/2sv
* These codes were generated on: Nov 26, 2026
`

func TestExtractGoogleFile(t *testing.T) {
	for _, service := range []string{"google", "generic"} {
		found, err := ExtractCodes([]byte(googleFile), mustProfile(t, service))
		if err != nil {
			t.Fatal(err)
		}
		got := texts(found)
		if len(got) != 10 || got[0] != "1234 5678" || got[1] != "2345 6789" || got[9] != "0123 4567" || found[9].Line != 8 {
			t.Errorf("%s: found %q", service, got)
		}
	}
}

func TestExtractOther(t *testing.T) {
	for _, tc := range []struct {
		service, text string
		want          []string
	}{
		{"binance", "Backup Key: JBSW Y3DP EHPK 3PXP\n", []string{"JBSW Y3DP EHPK 3PXP"}},
		{"binance", "my code 123456\n", []string{"123456"}},
		{"dropbox", "1234 5678 9012 3456\n2468 1357\n", []string{"1234 5678 9012 3456", "2468 1357"}},
		{"microsoft", "Your recovery code: ABCDE-12345-FGHJK-67890-MNPQR\n", []string{"ABCDE-12345-FGHJK-67890-MNPQR"}},
		{"github", "1a2b3-c4d5e, 0f9e8-7d6c5; 1a2b3-c4dSe\n", []string{"1a2b3-c4d5e", "0f9e8-7d6c5", "1a2b3-c4dSe"}},
		{"google", "１２３４ ５６７８\n", []string{"1234 5678"}}, // full-width digits
		{"google", "codes:\n12345678\n1234567\n", []string{"12345678", "1234567"}},
	} {
		found, err := ExtractCodes([]byte(tc.text), mustProfile(t, tc.service))
		if err != nil {
			t.Errorf("%s %q: %v", tc.service, tc.text, err)
			continue
		}
		if got := texts(found); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s %q: found %q, want %q", tc.service, tc.text, got, tc.want)
		}
	}
}

func TestExtractErrors(t *testing.T) {
	p := mustProfile(t, "github")
	if _, err := ExtractCodes([]byte("Dear user,\nhere are no codes.\n"), p); !errors.Is(err, ErrNoCodes) {
		t.Errorf("prose: %v", err)
	}
	if _, err := ExtractCodes([]byte("1a2b3-c4d5e\nab\x00cd\n"), p); err == nil || err.Error() != "line 2 holds a NUL byte: this is not a text file" {
		t.Errorf("NUL: %v", err)
	}
	if _, err := ExtractCodes([]byte("1a2b3-c4d5e\n\xff\xfe\n"), p); err == nil || err.Error() != "line 2 is not valid UTF-8 text" {
		t.Errorf("UTF-8: %v", err)
	}
}

func FuzzExtractCodes(f *testing.F) {
	f.Add([]byte(googleFile), "google")
	f.Add([]byte("1a2b3-c4d5e\n0f9e8-7d6c5\n"), "github")
	f.Add([]byte("Backup Key: JBSW Y3DP EHPK 3PXP"), "binance")
	f.Fuzz(func(t *testing.T, data []byte, service string) {
		p, ok := profile.Lookup(service)
		if !ok {
			p = profile.Generic()
		}
		found, err := ExtractCodes(data, p)
		file, fileErr := NewFile("fuzz.txt", time.Time{}, data, p)
		if fmt.Sprint(err) != fmt.Sprint(fileErr) {
			t.Fatalf("ExtractCodes: %v; NewFile: %v", err, fileErr)
		}
		if err != nil {
			return
		}
		// The check reads the file's codes where they stand: the same codes.
		env := &diag.Env{Now: time.Now, TrueTime: diag.NewTrueTime(), Service: p}
		env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNone})
		if total := (&Check{Files: []*File{file}}).Run(context.Background(), env).Facts.(*diag.BackupFacts).Total; total != len(found) {
			t.Fatalf("the check judged %d codes, ExtractCodes found %d", total, len(found))
		}
		lines := strings.Split(string(data), "\n")
		for _, c := range found {
			if c.Line < 1 || c.Line > len(lines) {
				t.Fatalf("line %d out of range", c.Line)
			}
			if Judge(p, c.Text).Kind == Empty {
				t.Fatalf("extracted an empty code")
			}
			// Every group of an ASCII line's code is on that line.
			if line := lines[c.Line-1]; isASCII(line) {
				for _, group := range strings.Fields(c.Text) {
					if !strings.Contains(line, group) {
						t.Fatalf("code group %q is not on line %d", group, c.Line)
					}
				}
			}
		}
	})
}
