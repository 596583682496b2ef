package secret

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// rfcKey is RFC 4226's test key "12345678901234567890" and its base32 form.
var rfcKey = []byte("12345678901234567890")

const rfcKeyBase32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestDecodeBase32Normalises(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"canonical", rfcKeyBase32},
		{"lower case", strings.ToLower(rfcKeyBase32)},
		{"groups of four with spaces", "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"},
		{"hyphens", "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ"},
		{"tabs and trailing newline", "GEZDGNBV\tGY3TQOJQ GEZDGNBVGY3TQOJQ\r\n"},
		{"mixed case", "gezdGNBVgy3tQOJQgezdGNBVgy3tQOJQ"},
		{"extra padding", rfcKeyBase32 + "===="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeBase32(tc.in)
			if err != nil {
				t.Fatalf("DecodeBase32: %v", err)
			}
			if !bytes.Equal(got, rfcKey) {
				t.Fatalf("decoded %x, want %x", got, rfcKey)
			}
		})
	}
}

func TestDecodeBase32Padding(t *testing.T) {
	// 10 bytes = 16 characters, no padding; 11 bytes = 18 characters + 6 '='.
	key := []byte("hello world")
	enc := EncodeBase32(key)
	for _, in := range []string{enc, enc + "======", enc + "=", strings.ToLower(enc) + "=="} {
		got, err := DecodeBase32(in)
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("DecodeBase32(padding variant) = %x, %v; want %x", got, err, key)
		}
	}
}

func TestDecodeBase32Errors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       string
		reason   string
		badChars []BadChar
		looksHex bool
	}{
		{"empty", "", "the key is empty", nil, false},
		{"only separators", " - -\n", "the key is empty", nil, false},
		{"zero for O", "JBSWY3DPEHPK3PX0", "1 character is not base32",
			[]BadChar{{Column: 16, Index: 16, Class: "the digit 0, which base32 does not use", Likely: "the letter O"}}, false},
		{"one and eight", "JBSW1Y3DPEHPK3P8", "2 characters are not base32",
			[]BadChar{
				{Column: 5, Index: 5, Class: "the digit 1, which base32 does not use", Likely: "the letter I or L"},
				{Column: 16, Index: 16, Class: "the digit 8, which base32 does not use", Likely: "the letter B"},
			}, false},
		{"grouped with spaces", "JBSW Y3DP EHPK 3PX0", "1 character is not base32",
			[]BadChar{{Column: 19, Index: 16, Class: "the digit 0, which base32 does not use", Likely: "the letter O"}}, false},
		{"nine has no likely letter", "JBSWY3DPEHPK3PX9", "1 character is not base32",
			[]BadChar{{Column: 16, Index: 16, Class: "the digit 9, which base32 does not use"}}, false},
		{"punctuation", "JBSWY3DP.EHPK3PXP", "1 character is not base32",
			[]BadChar{{Column: 9, Index: 9, Class: "a punctuation mark or symbol"}}, false},
		{"non-ASCII letter", "JBSWY3DPÉHPK3PXP", "1 character is not base32",
			[]BadChar{{Column: 9, Index: 9, Class: "a non-ASCII letter"}}, false},
		{"invalid UTF-8", "JBSWY3DP\xffHPK3PXP", "1 character is not base32",
			[]BadChar{{Column: 9, Index: 9, Class: "a byte that is not valid UTF-8"}}, false},
		{"control character", "JBSWY3DP\x00HPK3PXP", "1 character is not base32",
			[]BadChar{{Column: 9, Index: 9, Class: "a control character"}}, false},
		{"em space", "JBSWY3DP\u2003EHPK3PXP", "1 character is not base32",
			[]BadChar{{Column: 9, Index: 9, Class: "a whitespace character other than a space"}}, false},
		{"padding in the middle", "JBSW=Y3DPEHPK3PXP", "1 character is not base32",
			[]BadChar{{Column: 5, Index: 5, Class: "padding '=' before the end"}}, false},
		{"second line", "JBSWY3DP\nEHPK3PX0\n", "1 character is not base32",
			[]BadChar{{Line: 2, Column: 8, Index: 16, Class: "the digit 0, which base32 does not use", Likely: "the letter O"}}, false},
		{"hex", "3132333435363738393031323334353637383930", "the key looks hex-encoded, not base32: 8 characters are not base32", nil, true},
		{"length 17", "JBSWY3DPEHPK3PXPA", "17 base32 characters cannot be a whole number of bytes: a character is missing or extra", nil, false},
		{"length 9", "JBSWY3DPE", "9 base32 characters cannot be a whole number of bytes: a character is missing or extra", nil, false},
		{"all zero", "AAAAAAAAAAAAAAAA", "every byte of the key is zero: an implausible key (a placeholder, or a copy that lost its content)", nil, false},
		{"longer than 1024 bits", strings.Repeat("JBSWY3DP", 27), "a 1080-bit key is implausible (longer than 1024 bits): this is not a 2FA key", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeBase32(tc.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if pe.Reason != tc.reason {
				t.Errorf("reason = %q, want %q", pe.Reason, tc.reason)
			}
			if tc.badChars != nil && !equalBadChars(pe.BadChars, tc.badChars) {
				t.Errorf("bad characters = %+v, want %+v", pe.BadChars, tc.badChars)
			}
			if pe.LooksHex != tc.looksHex {
				t.Errorf("LooksHex = %v, want %v", pe.LooksHex, tc.looksHex)
			}
			assertNoLeak(t, err.Error(), tc.in)
		})
	}
}

func equalBadChars(a, b []BadChar) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseErrorMessage(t *testing.T) {
	_, err := DecodeBase32("JBSW1Y3DPEHPK3P8")
	want := "key: 2 characters are not base32 (column 5: the digit 1, which base32 does not use, likely the letter I or L; column 16: the digit 8, which base32 does not use, likely the letter B)"
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
	_, err = DecodeBase32("JBSW Y3DP EHPK 3PX0")
	want = "key: 1 character is not base32 (column 19 (character 16 without spaces and hyphens): the digit 0, which base32 does not use, likely the letter O)"
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
	_, err = DecodeBase32("........")
	if !strings.HasSuffix(err.Error(), "; and 3 more)") {
		t.Errorf("a long list of bad characters should be cut short: %s", err)
	}
	// A pasted megabyte keeps the few characters shown, and counts the rest.
	_, err = DecodeBase32(strings.Repeat("!", 1<<20))
	if pe := err.(*ParseError); len(pe.BadChars) != maxBadCharsShown || pe.BadCount != 1<<20 ||
		!strings.HasPrefix(pe.Reason, "1048576 characters are not base32") || !strings.HasSuffix(err.Error(), "; and 1048571 more)") {
		t.Errorf("%d bad characters kept, %d counted: %s", len(pe.BadChars), pe.BadCount, pe.Reason)
	}
}

func TestDecodeBase32Notes(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want textNotes
	}{
		{"canonical", "JBSWY3DPEHPK3PXP", textNotes{}},
		// 26 characters carry 130 bits: the last 2 are unused and must be zero.
		{"non-zero trailing bits", "JBSWY3DPEHPK3PXPJBSWY3DPEH", textNotes{nonCanonical: true}},
		{"zero trailing bits", "JBSWY3DPEHPK3PXPJBSWY3DPEE", textNotes{}},
		{"padded", "JBSWY3DPEHPK3PXPJBSWY3DPEE======", textNotes{padded: true}},
		{"hex digits that happen to be base32", "2A3B4C5D6E7F2A3B", textNotes{looksHex: true}},
		{"no-break and zero-width spaces", "JBSW\u00a0Y3DP\u200bEHPK\u00a03PXP", textNotes{removed: removedChars{"no-break space": 2, "zero-width space": 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, notes, err := decodeBase32(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(notes, tc.want) {
				t.Errorf("notes = %+v, want %+v", notes, tc.want)
			}
		})
	}
}

// assertNoLeak fails when text contains the key text or any 8-character run of it.
func assertNoLeak(t *testing.T, text, key string) {
	t.Helper()
	clean := strings.NewReplacer(" ", "", "-", "", "\n", "").Replace(key)
	for i := 0; i+8 <= len(clean); i++ {
		if strings.Contains(text, clean[i:i+8]) {
			t.Fatalf("message quotes the key: %q", text)
		}
	}
}
