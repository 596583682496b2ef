package profile

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxCodeLength bounds a format's length: longer strings are not codes anyone types.
const MaxCodeLength = 128

// NormalizeCode is a backup code as formats judge it: compatibility forms folded
// (full-width digits become ASCII), spaces, dashes and invisible characters removed,
// letters lower-cased. "ABCDE-12345" and "abcde 12345" are the same code.
func NormalizeCode(s string) string {
	// Folding case can undo the compatibility fold ("ǋ" lowers to "ǌ", which NFKC
	// splits into "nj"): repeat until nothing changes, which takes two rounds at most
	// for any text seen so far; the bound keeps it finite whatever Unicode holds.
	for range 4 {
		next := normalizeOnce(s)
		if next == s {
			break
		}
		s = next
	}
	return s
}

// NormalizedLen is len(NormalizeCode(s)), without building the code when s is ASCII:
// telling the groups of a line apart costs nothing per group.
func NormalizedLen(s string) int {
	if !isASCII(s) {
		return len(NormalizeCode(s))
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !droppedASCII(s[i]) {
			n++
		}
	}
	return n
}

// droppedASCII reports whether normalising removes the ASCII character c: spaces,
// hyphens and the other white space.
func droppedASCII[T byte | rune](c T) bool {
	return c == ' ' || c == '-' || '\t' <= c && c <= '\r'
}

func normalizeOnce(s string) string {
	if isASCII(s) { // NFKC leaves ASCII as it is: skip it for the common case
		return strings.Map(func(r rune) rune {
			switch {
			case droppedASCII(r):
				return -1
			case 'A' <= r && r <= 'Z':
				return r + 'a' - 'A'
			}
			return r
		}, s)
	}
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Match reports whether a normalised code fits the format: its pattern, its length and
// its alphabet.
func (f *CodeFormat) Match(code string) bool {
	re := f.regexp() // compiles a format built in Go, its alphabet with it
	if f.Length > 0 && len(code) != f.Length {
		return false
	}
	for i := 0; i < len(code); i++ {
		if !f.alphabet.holds(code[i]) {
			return false
		}
	}
	return re.MatchString(code)
}

// charSet is a set of digits and lower-case letters, a bit each: an alphabet looked up
// without building a set on every code.
type charSet uint64

func charBit(c byte) charSet {
	switch {
	case '0' <= c && c <= '9':
		return 1 << (c - '0')
	case 'a' <= c && c <= 'z':
		return 1 << (c - 'a' + 10)
	}
	return 0
}

func (s charSet) holds(c byte) bool { return s&charBit(c) != 0 }

// charSetOf is the set of an alphabet's digits and lower-case letters.
func charSetOf(alphabet string) charSet {
	var s charSet
	for i := 0; i < len(alphabet); i++ {
		s |= charBit(alphabet[i])
	}
	return s
}

// Display writes a normalised code the way the service prints it: groups joined by
// the separator, capitals when the service prints capitals. A code that does not fill the
// grouping keeps its characters as they are.
func (f *CodeFormat) Display(code string) string {
	if f.UpperCase {
		code = strings.ToUpper(code)
	}
	if len(f.Grouping) < 2 || len(code) != f.Length {
		return code
	}
	parts := make([]string, 0, len(f.Grouping))
	for _, n := range f.Grouping {
		parts = append(parts, code[:n])
		code = code[n:]
	}
	sep := f.Separator
	if sep == "" {
		sep = "-"
	}
	return strings.Join(parts, sep)
}

// regexp returns the compiled pattern; formats built in Go (tests) compile on first use.
func (f *CodeFormat) regexp() *regexp.Regexp {
	if f.re == nil {
		if err := f.compile(); err != nil {
			return regexp.MustCompile(`^\b$`) // matches nothing: an invalid format accepts no code
		}
	}
	return f.re()
}

// anchored is a format's pattern as it must match: the whole normalised code.
func anchored(pattern string) string { return `^(?:` + pattern + `)$` }

// fieldError is what is wrong with one field of a profile file, named by its JSON path.
type fieldError struct {
	field   string // "totp.digits", "backup_formats[0].pattern"
	problem string
}

func (e *fieldError) Error() string { return "field " + e.field + ": " + e.problem }

func fieldErrorf(field, format string, args ...any) *fieldError {
	return &fieldError{field, fmt.Sprintf(format, args...)}
}

// compile validates the format and compiles its pattern, anchored at both ends. Its
// errors name the format's own fields ("pattern"); Load puts them under the format.
func (f *CodeFormat) compile() *fieldError {
	switch {
	case f.Name == "":
		return fieldErrorf("name", "missing")
	case f.Pattern == "":
		return fieldErrorf("pattern", "missing: a regular expression over the normalised code")
	case f.Length < 0 || f.Length > MaxCodeLength:
		return fieldErrorf("length", "%d is not between 0 (any) and %d", f.Length, MaxCodeLength)
	case f.Issued < 0:
		return fieldErrorf("issued", "%d is negative", f.Issued)
	case f.Separator != "" && f.Separator != "-" && f.Separator != " ":
		return fieldErrorf("separator", `%q is not "-" or " "`, f.Separator)
	case f.Alphabet == "":
		return fieldErrorf("alphabet", `missing: the characters a code may hold, e.g. "0123456789"`)
	}
	for i, r := range f.Alphabet {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z') {
			return fieldErrorf("alphabet", "character %d is not a digit or lower-case letter: codes are compared after normalisation (lower case, no spaces or hyphens)", i+1)
		}
	}
	f.alphabet = charSetOf(f.Alphabet)
	sum := 0
	for _, n := range f.Grouping {
		if n <= 0 {
			return fieldErrorf("grouping", "sizes must be positive")
		}
		sum += n
	}
	if len(f.Grouping) > 0 && sum != f.Length {
		return fieldErrorf("grouping", "adds up to %d characters, but length is %d", sum, f.Length)
	}
	re, err := regexp.Compile(anchored(f.Pattern))
	if err != nil {
		return fieldErrorf("pattern", "not a valid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	f.re = func() *regexp.Regexp { return re }
	for i, ex := range f.Examples {
		if !f.Match(NormalizeCode(ex)) {
			return fieldErrorf(fmt.Sprintf("examples[%d]", i), "does not fit the format's own pattern, length and alphabet")
		}
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// BackupFormatFor returns the first of p's backup-code formats that a normalised code
// fits, fixed-length formats before loose ones, or nil.
func (p *Profile) BackupFormatFor(code string) *CodeFormat {
	var loose *CodeFormat
	for i := range p.BackupFormats {
		f := &p.BackupFormats[i]
		if !f.Match(code) {
			continue
		}
		if f.Length > 0 {
			return f
		}
		if loose == nil {
			loose = f
		}
	}
	return loose
}

// TOTPShaped reports whether a normalised code has the shape of p's authenticator
// codes: all digits, p.TOTP.Digits of them.
func (p *Profile) TOTPShaped(code string) bool {
	return len(code) == p.TOTP.Digits && strings.Trim(code, "0123456789") == ""
}

// LooksLikeBackupCode reports whether s, typed where the authenticator's code belongs,
// is one of p's backup codes instead, and which format it fits. A string with the
// authenticator code's own shape is never taken for a backup code.
func (p *Profile) LooksLikeBackupCode(s string) (*CodeFormat, bool) {
	code := NormalizeCode(s)
	if p.TOTPShaped(code) {
		return nil, false
	}
	f := p.BackupFormatFor(code)
	return f, f != nil
}
