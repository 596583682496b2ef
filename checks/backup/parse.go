package backup

import (
	"errors"
	"fmt"
	"strings"
	"time"
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

// File is a file of backup codes. Its codes are read where they stand, each time the
// check runs: a 1 MiB list costs its text, not a value and a string per code.
type File struct {
	Name  string    // as reports name it: the path given, or "standard input"
	Saved time.Time // its modification time, which tells an older set from a newer one
	text  string
}

// NewFile is the file name holding data, saved at saved, when it is a text file
// holding at least one of p's codes; the errors are ExtractCodes's.
func NewFile(name string, saved time.Time, data []byte, p *profile.Profile) (*File, error) {
	text := string(data)
	if err := checkText(text); err != nil {
		return nil, err
	}
	holdsCode := false
	x := extractor{p: p, yield: func(int, string, found) bool {
		holdsCode = true
		return false // one is enough
	}}
	x.extract(text)
	if !holdsCode {
		return nil, ErrNoCodes
	}
	return &File{Name: name, Saved: saved, text: text}, nil
}

// ExtractCodes finds the backup codes in the text of a file a service let the user
// download or print (GitHub's github-recovery-codes.txt, Google's backup codes page,
// a list typed by hand). It skips prose, list numbers ("1.", "2)"), dates and e-mail
// addresses, and joins groups printed with spaces ("1234 5678") using the service's
// grouping. Errors say where and what, never quoting the file.
func ExtractCodes(data []byte, p *profile.Profile) ([]Found, error) {
	text := string(data)
	if err := checkText(text); err != nil {
		return nil, err
	}
	var out []Found
	x := extractor{p: p, yield: func(line int, text string, _ found) bool {
		out = append(out, Found{Text: text, Line: line})
		return true
	}}
	x.extract(text)
	if len(out) == 0 {
		return nil, ErrNoCodes
	}
	return out, nil
}

// checkText refuses what is not text: a NUL byte, or a line that is not UTF-8.
func checkText(text string) error {
	if at := strings.IndexByte(text, 0); at >= 0 {
		return fmt.Errorf("line %d holds a NUL byte: this is not a text file", strings.Count(text[:at], "\n")+1)
	}
	if utf8.ValidString(text) {
		return nil
	}
	i := 0
	for line := range strings.SplitSeq(text, "\n") {
		i++
		if !utf8.ValidString(line) {
			break
		}
	}
	return fmt.Errorf("line %d is not valid UTF-8 text", i)
}

// extractor finds the codes of checked text line by line and hands each to yield with
// its line, normalised and with the format it fits, until yield returns false. Its scratch space is reused
// from line to line: a line holding one code costs no allocation but its normal form.
type extractor struct {
	p     *profile.Profile
	yield func(line int, text string, c found) bool
	line  int
	text  string   // the line, NFKC-normalised
	run   []string // the code-like tokens of the current run, into text
	ends  []int    // where each token of run ends in text
	done  bool
}

func (x *extractor) extract(text string) {
	for line := range strings.SplitSeq(text, "\n") {
		x.line++
		x.lineCodes(line)
		if x.done {
			return
		}
	}
}

// lineCodes finds the codes on one line. A token with anything but letters, digits,
// dashes and '=' (an e-mail address, a date with a comma, a sentence's last word) or a
// list number ends a run of code-like tokens; a run is then cut into codes.
func (x *extractor) lineCodes(line string) {
	x.text = line
	if !isASCII(line) {
		x.text = norm.NFKC.String(line)
	}
	x.run, x.ends = x.run[:0], x.ends[:0]
	start := -1
	for i, r := range x.text {
		if !separator(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			x.token(start, i)
			start = -1
		}
	}
	if start >= 0 {
		x.token(start, len(x.text))
	}
	x.flush()
}

func separator(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(`,;|"'`, r)
}

// token adds text[start:end] to the run, or ends the run when it is not code-like.
func (x *extractor) token(start, end int) {
	if tok := x.text[start:end]; codeToken(tok) {
		x.run, x.ends = append(x.run, tok), append(x.ends, end)
		return
	}
	x.flush()
}

// flush cuts the run into codes and yields those that are code-like.
func (x *extractor) flush() {
	for i := 0; i < len(x.run) && !x.done; {
		n := joinable(x.run[i:], x.p)
		code := x.joined(i, n)
		if c, ok := codeLike(x.p, code); ok {
			x.done = !x.yield(x.line, code, c)
		}
		i += n
	}
	x.run, x.ends = x.run[:0], x.ends[:0]
}

// joined is the n tokens of the run from i joined by single spaces: the line itself
// where they stand so, a new string only where they do not.
func (x *extractor) joined(i, n int) string {
	span := x.text[x.ends[i]-len(x.run[i]) : x.ends[i+n-1]]
	width := n - 1 // a gap of one character between tokens
	for _, tok := range x.run[i : i+n] {
		width += len(tok)
	}
	if len(span) == width && strings.Count(span, " ") == n-1 { // tokens hold no spaces
		return span
	}
	return strings.Join(x.run[i:i+n], " ")
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
	// The longest grouping the run starts with; of equally long ones, the first listed.
	best := 0
	for _, f := range p.BackupFormats {
		if g := f.Grouping; len(g) > max(best, 1) && len(g) <= len(run) && startsWith(run, g) {
			best = len(g)
		}
	}
	if best > 0 {
		return best
	}
	n := 1
	first := profile.NormalizedLen(run[0])
	for n < len(run) && first >= 3 && first <= 8 && profile.NormalizedLen(run[n]) == first {
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

// startsWith reports whether the run's first tokens have the lengths of grouping g.
func startsWith(run []string, g []int) bool {
	for i, length := range g {
		if profile.NormalizedLen(run[i]) != length {
			return false
		}
	}
	return true
}

// codeLike decides whether text is a code to judge rather than a word or a number of
// the surrounding prose: it fits a fixed-length format, is a key, or holds a digit and
// is about as long as the service's codes. It returns text normalised as well.
func codeLike(p *profile.Profile, text string) (c found, ok bool) {
	c.code = profile.NormalizeCode(text)
	c.fits = p.BackupFormatFor(c.code)
	if c.fits != nil && c.fits.Length > 0 {
		return c, true
	}
	if _, ok := decodeKey(c.code); ok {
		return c, true
	}
	if strings.IndexFunc(c.code, unicode.IsDigit) < 0 {
		return c, false // a word: loose formats would take "somewhere" for a code
	}
	if p.TOTPShaped(c.code) {
		return c, true
	}
	for _, f := range p.BackupFormats {
		if f.Length > 0 && abs(len(c.code)-f.Length) <= 2 || f.Length == 0 && len(c.code) >= p.TOTP.Digits {
			return c, true
		}
	}
	return c, len(p.BackupFormats) == 0 && len(c.code) >= p.TOTP.Digits
}

// found is a code as extraction finds it: normalised, with the format it fits (nil
// when none), which judging it needs again.
type found struct {
	code string
	fits *profile.CodeFormat
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
