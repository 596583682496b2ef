package charclass

import (
	"testing"
	"unicode/utf8"
)

func TestOf(t *testing.T) {
	cases := map[rune]string{
		'J': "a letter", 'é': "a non-ASCII letter", '7': "a digit", '３': "a digit from another script",
		' ': "a space", '\t': "a tab", '\n': "a line break", '\u00a0': "a whitespace character other than a space",
		'\x01': "a control character", ',': "a punctuation mark or symbol", '€': "a punctuation mark or symbol",
		utf8.RuneError: "a byte that is not valid UTF-8", '\u0300': "an unexpected character",
	}
	for r, want := range cases {
		if got := Of(r); got != want {
			t.Errorf("Of(%U) = %q, want %q", r, got, want)
		}
	}
}
