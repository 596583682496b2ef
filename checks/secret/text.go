package secret

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Byte order marks that say how a text file is encoded.
var (
	bomUTF8    = []byte("\xef\xbb\xbf")
	bomUTF16LE = []byte("\xff\xfe") // what Windows PowerShell 5.1's `echo KEY > key.txt` writes
	bomUTF16BE = []byte("\xfe\xff")
)

// textOf is a key source's bytes as text: UTF-8 with or without a byte order mark,
// UTF-16 with one, or else Windows-1252 (Latin-1 and the characters Windows adds to it),
// which old exports' labels are written in. ok is false for binary data: control
// characters other than tabs and line ends.
func textOf(data []byte) (text string, ok bool) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		text = string(data[len(bomUTF8):])
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		decoded, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", false
		}
		text = string(decoded)
	case utf8.Valid(data):
		text = string(data)
	default:
		decoded, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return "", false
		}
		text = string(decoded)
	}
	for _, r := range text {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || r == utf8.RuneError {
			return "", false
		}
	}
	return text, true
}

// invisibleNames are the invisible or look-alike-space characters that come along when
// a key is copied from a web page, a PDF or a chat: removed from a key, and named.
var invisibleNames = map[rune]string{
	'\u00a0': "no-break space",
	'\u202f': "narrow no-break space",
	'\u2007': "figure space",
	'\u2009': "thin space",
	'\u200b': "zero-width space",
	'\u200c': "zero-width non-joiner",
	'\u200d': "zero-width joiner",
	'\u2060': "word joiner",
	'\ufeff': "zero-width no-break space",
	'\u00ad': "soft hyphen",
}

// invisible reports whether r is one of invisibleNames.
func invisible(r rune) bool {
	_, ok := invisibleNames[r]
	return ok
}

// trimInvisible cuts spaces and invisible characters from both ends of s.
func trimInvisible(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return invisible(r) || r == ' ' || r == '\t' || r == '\r' || r == '\n' })
}

// removedChars counts the invisible characters removed from a key, by name.
type removedChars map[string]int

// String lists them as a person reads it: "2 no-break spaces and 1 zero-width space".
func (r removedChars) String() string {
	names := make([]string, 0, len(r))
	for name := range r {
		names = append(names, name)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, name := range names {
		n := r[name]
		if n != 1 {
			name += "s"
		}
		parts[i] = fmt.Sprintf("%d %s", n, name)
	}
	return joinAnd(parts)
}
