package layout

import (
	"slices"
	"strings"
	"testing"
)

func TestWrapKeepsWhatIsCopiedWhole(t *testing.T) {
	cases := []struct {
		text  string
		width int
		want  []string
	}{
		{"Run `sudo timedatectl set-local-rtc 0` now.", 20, []string{"Run", "`sudo timedatectl set-local-rtc 0`", "now."}},
		{"the backup code 1234 5670 was used", 19, []string{"the backup code", "1234 5670 was used"}},
		{"about 2 min 27 s ahead", 8, []string{"about", "2 min", "27 s", "ahead"}},
		{"see https://example.com/a/very/long/path today", 12, []string{"see", "https://example.com/a/very/long/path", "today"}},
		{"see 'otpdoctor services --format json' now", 12, []string{"see", "'otpdoctor services --format json'", "now"}},
		{"this computer's clock is the phone's", 16, []string{"this computer's", "clock is the", "phone's"}},
		{"one\ntwo three", 80, []string{"one", "two three"}},
		{"全角の文字 wide", 12, []string{"全角の文字", "wide"}},
	}
	for _, c := range cases {
		if got := Wrap(c.text, c.width); !slices.Equal(got, c.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", c.text, c.width, got, c.want)
		}
	}
}

func TestWidthIgnoresColour(t *testing.T) {
	if w := Width("\x1b[31m✗\x1b[0m 全"); w != 4 {
		t.Errorf("width %d, want 4", w)
	}
}

func TestHangingOutdentsAUnitTooWideForTheIndent(t *testing.T) {
	got := Hanging("   1. ", "Run `sudo timedatectl set-ntp true` then wait", 36)
	want := []string{"   1. Run", "     `sudo timedatectl set-ntp true`", "      then wait"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	got = Hanging("   1. ", "`sudo timedatectl set-ntp true`", 34)
	want = []string{"   1.", "   `sudo timedatectl set-ntp true`"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTableFitsTheWidth(t *testing.T) {
	table := Table{
		Headers: []string{"ID", "NAME", "CODES", "BACKUP CODES"},
		Rows: [][]string{
			{"binance", "Binance", "6 digits, SHA1, 30 s", "16-character Backup Key (the authenticator key)"},
			{"github", "GitHub", "6 digits, SHA1, 30 s", "16 × xxxxx-xxxxx"},
		},
		Wrap: []bool{false, true, true, true},
	}
	for _, width := range []int{200, 80, 60, 40, 24} {
		lines := table.Lines(width)
		text := strings.Join(lines, "\n")
		for _, line := range lines {
			if Width(line) > width {
				t.Errorf("at %d: %q is %d wide", width, line, Width(line))
			}
		}
		for _, whole := range []string{"binance", "github", "xxxxx-xxxxx", "30 s"} {
			if !strings.Contains(text, whole) {
				t.Errorf("at %d, %q is broken:\n%s", width, whole, text)
			}
		}
		if cards := !strings.HasPrefix(lines[0], "ID"); cards != (width < 50) {
			t.Errorf("at %d: blocks %v:\n%s", width, cards, text)
		}
	}
}
