package backup

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/otpdoctor/otpdoctor/profile"
)

// Found is one code found in a backup code file.
type Found struct {
	Text string // as written, groups joined by single spaces
	Line int    // 1-based
}

// ErrNoCodes is returned (wrapped) when a file holds nothing that looks like a code.
var ErrNoCodes = errors.New("no backup codes found")

// ExtractCodes finds the backup codes in the text of a file a service let the user
// download or print (GitHub's github-recovery-codes.txt, Google's backup codes page,
// a list typed by hand). It skips prose, list numbers ("1.", "2)"), dates and e-mail
// addresses, and joins groups printed with spaces ("1234 5678") using the service's
// grouping. Errors say where and what, never quoting the file.
func ExtractCodes(data []byte, p *profile.Profile) ([]Found, error) {
	if at := bytes.IndexByte(data, 0); at >= 0 {
		return nil, fmt.Errorf("line %d holds a NUL byte: this is not a text file", bytes.Count(data[:at], []byte("\n"))+1)
	}
	out := make([]Found, 0, bytes.Count(data, []byte("\n"))+1) // about a code a line
	i := 0
	for line := range strings.SplitSeq(string(data), "\n") {
		i++
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("line %d is not valid UTF-8 text", i)
		}
		for _, text := range lineCodes(line, p) {
			out = append(out, Found{Text: text, Line: i})
		}
	}
	if len(out) == 0 {
		return nil, ErrNoCodes
	}
	return out, nil
}

// lineCodes returns the codes on one line.
func lineCodes(line string, p *profile.Profile) []string {
	var codes []string
	for _, run := range runs(line) {
		for i := 0; i < len(run); {
			n := joinable(run[i:], p)
			text := strings.Join(run[i:i+n], " ")
			if codeLike(p, text) {
				codes = append(codes, text)
			}
			i += n
		}
	}
	return codes
}

// runs splits a line into runs of code-like tokens: a token with anything but letters,
// digits, dashes and '=' (an e-mail address, a date with a comma, a sentence's last
// word) or a list number ends a run.
func runs(line string) [][]string {
	var out [][]string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	fields := strings.FieldsFunc(norm.NFKC.String(line), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`,;|"'`, r)
	})
	for _, tok := range fields {
		if !codeToken(tok) {
			flush()
			continue
		}
		cur = append(cur, tok)
	}
	flush()
	return out
}

func codeToken(tok string) bool {
	for _, r := range tok {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '=' || unicode.Is(unicode.Pd, r)) {
			return false
		}
	}
	return true
}

// joinable is how many tokens from the start of run make one code: a run that follows
// one of the service's groupings (longest first), or a run of equal-length groups that
// together fit a format or form a key; else one token.
func joinable(run []string, p *profile.Profile) int {
	if len(run) == 1 { // the common case, one code a line: nothing to join
		return 1
	}
	lengths := make([]int, len(run))
	for i, tok := range run {
		lengths[i] = len(profile.NormalizeCode(tok))
	}
	groupings := make([][]int, 0, len(p.BackupFormats))
	for _, f := range p.BackupFormats {
		if len(f.Grouping) > 1 {
			groupings = append(groupings, f.Grouping)
		}
	}
	slices.SortStableFunc(groupings, func(a, b []int) int { return len(b) - len(a) })
	for _, g := range groupings {
		if len(g) <= len(run) && slices.Equal(lengths[:len(g)], g) {
			return len(g)
		}
	}
	n := 1
	for n < len(run) && lengths[n] == lengths[0] && lengths[0] >= 3 && lengths[0] <= 8 {
		n++
	}
	for ; n > 1; n-- {
		joined := profile.NormalizeCode(strings.Join(run[:n], ""))
		if p.BackupFormatFor(joined) != nil {
			return n
		}
		if _, ok := decodeKey(joined); ok {
			return n
		}
	}
	return 1
}

// codeLike decides whether text is a code to judge rather than a word or a number of
// the surrounding prose: it fits a fixed-length format, is a key, or holds a digit and
// is about as long as the service's codes.
func codeLike(p *profile.Profile, text string) bool {
	code := profile.NormalizeCode(text)
	if f := p.BackupFormatFor(code); f != nil && f.Length > 0 {
		return true
	}
	if _, ok := decodeKey(code); ok {
		return true
	}
	if strings.IndexFunc(code, unicode.IsDigit) < 0 {
		return false // a word: loose formats would take "somewhere" for a code
	}
	if p.TOTPShaped(code) {
		return true
	}
	for _, f := range p.BackupFormats {
		if f.Length > 0 && abs(len(code)-f.Length) <= 2 || f.Length == 0 && len(code) >= p.TOTP.Digits {
			return true
		}
	}
	return len(p.BackupFormats) == 0 && len(code) >= p.TOTP.Digits
}
