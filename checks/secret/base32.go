package secret

import (
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/charclass"
)

// rawBase32 decodes base32 without padding: keys are printed both ways, and padding is
// stripped before decoding.
var rawBase32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// MaxKeyBits is the longest key otpdoctor accepts; longer ones are not 2FA keys.
const MaxKeyBits = 1024

// BadChar is one character of a key outside the base32 alphabet.
type BadChar struct {
	Line   int    // 1-based line, 0 when the text is one line
	Column int    // 1-based, in characters of the line as given
	Index  int    // 1-based among the key's characters, separators left out
	Class  string // what kind of character it is, never the character itself unless it is 0, 1 or 8
	Likely string // the letter probably meant ("O" for 0), or ""
}

func (b BadChar) String() string {
	s := fmt.Sprintf("column %d: %s", b.Column, b.Class)
	if b.Index != b.Column {
		s = fmt.Sprintf("column %d (character %d without spaces and hyphens): %s", b.Column, b.Index, b.Class)
	}
	if b.Line > 0 {
		s = fmt.Sprintf("line %d, %s", b.Line, s)
	}
	if b.Likely != "" {
		s += ", likely " + b.Likely
	}
	return s
}

// ParseError says what is wrong with a key or a key source and where, without ever
// quoting the input.
type ParseError struct {
	Where  string // what was being read: "key", "line 3", "otpauth URI" ...
	Reason string // what is wrong
	// BadChars are the first characters outside the base32 alphabet, when that is the
	// problem (up to maxBadCharsShown: a pasted megabyte must not cost a struct a
	// character); BadCount is how many there are in all.
	BadChars []BadChar
	BadCount int
	LooksHex bool // the key looks hex-encoded, not base32
	// Unsupported: a sound entry of a kind otpdoctor does not check (Steam, mOTP).
	Unsupported bool
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Where != "" {
		b.WriteString(e.Where)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	for i, c := range e.BadChars {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(c.String())
	}
	if more := e.BadCount - len(e.BadChars); more > 0 {
		fmt.Fprintf(&b, "; and %d more", more)
	}
	if len(e.BadChars) > 0 {
		b.WriteString(")")
	}
	return b.String()
}

// maxBadCharsShown keeps an error about a pasted paragraph readable.
const maxBadCharsShown = 5

// at returns e located under where (a line, an entry), keeping what it says.
func (e *ParseError) at(where string) *ParseError {
	out := *e
	if out.Where == "" || out.Where == "key" {
		out.Where = where
	} else {
		out.Where = where + ", " + out.Where
	}
	return &out
}

// likelyLetter is the base32 letter a character outside the alphabet was probably
// meant to be: base32 has no 0, 1, 8 or 9 because they look like O, I/L and B.
var likelyLetter = map[rune]string{'0': "the letter O", '1': "the letter I or L", '8': "the letter B"}

// charClass describes a character without quoting it, except the digits that base32
// leaves out on purpose, which are what the user needs to see.
func charClass(r rune) string {
	switch {
	case r == '0' || r == '1' || r == '8' || r == '9':
		return fmt.Sprintf("the digit %c, which base32 does not use", r)
	case r == '=':
		return "padding '=' before the end"
	}
	return charclass.Of(r)
}

// separator reports whether r is one of the characters services put between groups of
// a printed key, which carry no data.
func separator(r rune) bool { return r == ' ' || r == '-' || r == '\t' || r == '\n' || r == '\r' }

// textNotes is what the text form of a key shows besides its bytes.
type textNotes struct {
	nonCanonical bool // the unused trailing bits are not zero
	padded       bool // it carried '=' padding
	looksHex     bool // only hex digits: it may be hex, decoded as base32 by mistake
	removed      removedChars
}

// DecodeBase32 decodes a key as services print it: spaces and hyphens between groups,
// lower or upper case, with or without '=' padding, and without the invisible
// characters (no-break and zero-width spaces) copying from a page brings along. Its errors are *ParseError values
// that say where the problem is (column, character class, the letter probably meant)
// and never quote the key.
func DecodeBase32(s string) ([]byte, error) {
	key, _, err := decodeBase32(s)
	return key, err
}

func decodeBase32(s string) ([]byte, textNotes, error) {
	var notes textNotes
	clean := make([]byte, 0, len(s))
	var bad []BadChar // the first maxBadCharsShown of badCount
	badCount := 0
	line, column, index := 1, 0, 0
	multiline := strings.Contains(strings.TrimRight(s, "\r\n"), "\n")
	at := func(column int) BadChar {
		if multiline {
			return BadChar{Line: line, Column: column, Index: index}
		}
		return BadChar{Column: column, Index: index}
	}
	addBad := func(b BadChar) {
		if badCount++; len(bad) < maxBadCharsShown {
			bad = append(bad, b)
		}
	}
	// Padding is allowed only at the end: note where it starts, and fail if data follows.
	var pad *BadChar
	for _, r := range s {
		column++
		if invisible(r) {
			if notes.removed == nil {
				notes.removed = removedChars{}
			}
			notes.removed[invisibleNames[r]]++
			continue
		}
		if !separator(r) {
			index++
		}
		switch {
		case r == '\n':
			line, column = line+1, 0
			continue
		case separator(r):
			continue
		case r == '=':
			if pad == nil {
				p := at(column)
				p.Class = charClass(r)
				pad = &p
			}
			notes.padded = true
			continue
		case 'a' <= r && r <= 'z':
			r -= 'a' - 'A'
		}
		if ('A' <= r && r <= 'Z') || ('2' <= r && r <= '7') {
			if pad != nil {
				addBad(*pad)
				pad = nil
			}
			clean = append(clean, byte(r))
			continue
		}
		b := at(column)
		b.Class, b.Likely = charClass(r), likelyLetter[r]
		addBad(b)
	}
	notes.looksHex = looksHex(s)
	if badCount > 0 {
		e := &ParseError{Where: "key", BadChars: bad, BadCount: badCount, LooksHex: notes.looksHex}
		e.Reason = fmt.Sprintf("%d %s not base32", badCount, diag.Plural(badCount, "character is", "characters are"))
		if notes.looksHex {
			e.Reason = "the key looks hex-encoded, not base32: " + e.Reason
		}
		return nil, notes, e
	}
	if len(clean) == 0 {
		return nil, notes, &ParseError{Where: "key", Reason: "the key is empty"}
	}
	// 8 base32 characters carry 5 bytes; a remainder of 1, 3 or 6 characters cannot
	// end a whole byte, so a character is missing or extra.
	if r := len(clean) % 8; r == 1 || r == 3 || r == 6 {
		return nil, notes, &ParseError{Where: "key", Reason: fmt.Sprintf(
			"%d base32 characters cannot be a whole number of bytes: a character is missing or extra", len(clean))}
	}
	key, err := rawBase32.DecodeString(string(clean))
	if err != nil { // unreachable after the checks above, kept as a guard
		return nil, notes, &ParseError{Where: "key", Reason: "not valid base32"}
	}
	notes.nonCanonical = rawBase32.EncodeToString(key) != string(clean)
	if err := plausible(key); err != nil {
		return nil, notes, err
	}
	return key, notes, nil
}

// plausible refuses key bytes no service issues: longer than MaxKeyBits, or all zero.
func plausible(key []byte) *ParseError {
	if len(key) == 0 {
		return &ParseError{Where: "key", Reason: "the key is empty"}
	}
	if len(key)*8 > MaxKeyBits {
		return &ParseError{Where: "key", Reason: fmt.Sprintf("a %d-bit key is implausible (longer than %d bits): this is not a 2FA key", len(key)*8, MaxKeyBits)}
	}
	for _, b := range key {
		if b != 0 {
			return nil
		}
	}
	return &ParseError{Where: "key", Reason: "every byte of the key is zero: an implausible key (a placeholder, or a copy that lost its content)"}
}

// looksHex reports whether s, without separators, is an even number (16 or more) of
// hex digits: a key shown in hex and pasted where base32 was expected.
func looksHex(s string) bool {
	n := 0
	digits := false
	for _, r := range s {
		switch {
		case separator(r) || invisible(r):
			continue
		case '0' <= r && r <= '9':
			digits = true
		case ('a' <= r && r <= 'f') || ('A' <= r && r <= 'F'):
		default:
			return false
		}
		n++
	}
	return digits && n >= 16 && n%2 == 0
}

// EncodeBase32 is the canonical text form of a key: upper case, no padding.
func EncodeBase32(key []byte) string { return rawBase32.EncodeToString(key) }
