package secret

import (
	"fmt"
	"strconv"
	"strings"
)

// Digit counts a key may ask for. RFC 4226 allows 6 to 8; 9 and 10 still compute (the
// 31-bit truncation gives up to 10 digits) and the secret check warns about them. Any
// other count is refused as the key is read, so that no code is ever computed with it.
const (
	minDigits = 6
	maxDigits = 10
)

// parseAlgorithm reads an algorithm name as exports and URIs write it ("SHA1",
// "sha256"); "" means the default. Anything else is refused here, naming what was found:
// some libraries silently take an unknown algorithm as SHA1 and show wrong codes.
func parseAlgorithm(s string) (Algorithm, *ParseError) {
	switch a := Algorithm(strings.ToUpper(strings.TrimSpace(s))); a {
	case "", SHA1, SHA256, SHA512:
		return a, nil
	}
	return "", &ParseError{Reason: fmt.Sprintf(
		"algorithm %s is not one TOTP and HOTP are defined with (SHA1, SHA256 or SHA512)", shown(s))}
}

// checkDigits refuses a digit count codes cannot have: outside 6 to 10, or other than
// 5 for a Steam Guard key. 0 means the default.
func checkDigits(n int, enc Encoding) *ParseError {
	switch {
	case n == 0:
		return nil
	case enc == Steam && n != SteamDigits:
		return &ParseError{Reason: fmt.Sprintf("a Steam Guard key with %d-character codes: Steam's codes have %d", n, SteamDigits)}
	case enc != Steam && (n < minDigits || n > maxDigits):
		return &ParseError{Reason: fmt.Sprintf("%d-digit codes: TOTP and HOTP codes have %d to %d digits", n, minDigits, maxDigits)}
	}
	return nil
}

// maxShown is how many characters of an input value a message repeats.
const maxShown = 24

// shown is a short value from the input (an algorithm or type name, never key
// material) as a message may repeat it: quoted, every control or non-ASCII character
// escaped, cut to maxShown characters.
func shown(s string) string {
	if r := []rune(s); len(r) > maxShown {
		return strconv.QuoteToASCII(string(r[:maxShown])) + "…"
	}
	return strconv.QuoteToASCII(s)
}
