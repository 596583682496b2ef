package codes

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/internal/charclass"
)

// Code lengths ParseCode accepts: 6 to 8 digits as apps show them, down to 4 for codes
// that lost leading zeros, up to 10 (the most a 31-bit truncation can give).
const (
	minCodeDigits = 4
	maxCodeDigits = 10
)

// ParseCode reads a code as a person types it: digits, with the spaces or dashes some
// apps show between groups ("123 456", "123-456"). It returns the digits alone. Errors
// say where and what kind of character is wrong, without repeating the input.
func ParseCode(s string) (string, error) {
	s = strings.TrimSpace(s)
	var digits strings.Builder
	lastSeparator := true // no separator at the start
	column := 0
	for i, r := range s {
		column++
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
			lastSeparator = false
		case r == ' ' || r == '-':
			if lastSeparator || i+1 == len(s) {
				return "", fmt.Errorf("column %d: a separator must sit between two digits", column)
			}
			lastSeparator = true
		default:
			return "", fmt.Errorf("column %d: %s: a code has only digits", column, charclass.Of(r))
		}
	}
	n := digits.Len()
	if n == 0 {
		return "", errors.New("the code is empty")
	}
	if n < minCodeDigits || n > maxCodeDigits {
		return "", fmt.Errorf("%d digits: codes have %d to %d (usually 6)", n, minCodeDigits, maxCodeDigits)
	}
	return digits.String(), nil
}

// ParseSteamCode reads a Steam Guard code as a person types it: 5 characters of
// Steam's alphabet (digits 2 to 9 and consonants), upper or lower case. It returns the
// code in upper case; errors say where and what is wrong, without repeating the input.
func ParseSteamCode(s string) (string, error) {
	s = strings.TrimSpace(s)
	var code strings.Builder
	for i, r := range []rune(s) {
		upper := unicode.ToUpper(r)
		if upper > unicode.MaxASCII || !strings.ContainsRune(secret.SteamAlphabet, upper) {
			what := charclass.Of(r)
			if strings.ContainsRune("0123456789AEIOULSZ", upper) {
				what = "a character Steam codes never use (they have no 0, 1, vowels, L, S or Z)"
			}
			return "", fmt.Errorf("column %d: %s: a Steam Guard code has the digits 2 to 9 and consonants", i+1, what)
		}
		code.WriteRune(upper)
	}
	if n := code.Len(); n != secret.SteamDigits {
		return "", fmt.Errorf("%d characters: Steam Guard codes have %d", n, secret.SteamDigits)
	}
	return code.String(), nil
}

// parseCodeFor reads a code as k's codes look: digits, or Steam Guard's letters.
func parseCodeFor(k secret.Key, s string) (string, error) {
	if k.Encoding == secret.Steam {
		return ParseSteamCode(s)
	}
	return ParseCode(s)
}

// ParseTime reads an instant as --at and --code-time take it: RFC 3339
// (2026-11-26T09:30:00Z, fractional seconds allowed) or unix seconds (1795685400).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("the time is empty")
	}
	if unix, err := strconv.ParseInt(s, 10, 64); err == nil {
		const limit = 1 << 40 // about 34,800 years either side of 1970: more is a mistake
		if unix > limit || unix < -limit {
			return time.Time{}, fmt.Errorf("%d unix seconds is out of range", unix)
		}
		return time.Unix(unix, 0).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errors.New("not an RFC 3339 time or unix seconds")
	}
	return t, nil
}
