// Package charclass names the kind of a character, so that an error can say what is
// wrong with an input without echoing it: a key, a code or a file may be secret.
package charclass

import (
	"unicode"
	"unicode/utf8"
)

// Of names the kind of character r is: "a letter", "a tab", "a control character".
// utf8.RuneError stands for a byte that is not valid UTF-8, as a range over a string
// or utf8.DecodeRune gives it.
func Of(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "a byte that is not valid UTF-8"
	case r == ' ':
		return "a space"
	case r == '\t':
		return "a tab"
	case r == '\n' || r == '\r':
		return "a line break"
	case unicode.IsSpace(r):
		return "a whitespace character other than a space"
	case unicode.IsControl(r):
		return "a control character"
	case unicode.IsLetter(r) && r <= unicode.MaxASCII:
		return "a letter"
	case unicode.IsLetter(r):
		return "a non-ASCII letter"
	case unicode.IsDigit(r) && r <= unicode.MaxASCII:
		return "a digit"
	case unicode.IsDigit(r):
		return "a digit from another script"
	case unicode.IsPunct(r) || unicode.IsSymbol(r):
		return "a punctuation mark or symbol"
	}
	return "an unexpected character"
}
