// Package layout fits text to a terminal's width: cell widths (wide and combining
// characters, colour escapes), wrapping that never breaks what a user copies (a
// command, a code, a URL, a path), truncation of live lines, and tables.
package layout

import (
	"strings"
	"unicode"

	"github.com/mattn/go-runewidth"
)

// DefaultWidth is the width of output that is not a terminal, and of a terminal that
// does not say its size.
const DefaultWidth = 80

// MinWidth is the narrowest width laid out for: below it, text is laid out for
// MinWidth and the terminal wraps it.
const MinWidth = 20

// Width is how many terminal cells s takes, colour sequences aside.
func Width(s string) int {
	if strings.IndexByte(s, '\x1b') >= 0 {
		s = withoutEscapes(s)
	}
	return runewidth.StringWidth(s)
}

// withoutEscapes is s without the CSI sequences (colour, erase) otpdoctor writes:
// ESC [ parameters, then a final letter.
func withoutEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\x1b' || i+1 >= len(s) || s[i+1] != '[' {
			b.WriteByte(s[i])
			continue
		}
		i += 2
		for i < len(s) && !('A' <= s[i] && s[i] <= 'Z' || 'a' <= s[i] && s[i] <= 'z') {
			i++
		}
	}
	return b.String()
}

// Truncate cuts plain text s to at most width cells, marking a cut with "…".
func Truncate(s string, width int) string {
	return runewidth.Truncate(s, max(width, 1), "…")
}

// Pad is s followed by spaces up to width cells.
func Pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-Width(s)))
}

// Wrap breaks text into lines of at most width cells, at spaces. Newlines in text
// are kept. It never breaks inside what a user copies or reads as one thing (see
// units): a unit wider than width stands alone on its line, whole.
func Wrap(text string, width int) []string {
	var lines []string
	var line strings.Builder
	for para := range strings.SplitSeq(text, "\n") {
		cells := 0 // the line's width so far: measured a unit at a time, not the whole line again
		for _, u := range units(para) {
			w := Width(u)
			switch {
			case line.Len() == 0:
				line.WriteString(u)
				cells = w
			case cells+1+w <= width:
				line.WriteByte(' ')
				line.WriteString(u)
				cells += 1 + w
			default:
				lines = append(lines, line.String())
				line.Reset()
				line.WriteString(u)
				cells = w
			}
		}
		lines = append(lines, line.String())
		line.Reset()
	}
	return lines
}

// units splits a paragraph into the pieces a line may break between: words, except
// that a command (a `code span`, or 'in single quotes'), a code written in digit
// groups ("1234 5678") and a number with its unit ("2 min", "17 s") stay whole.
// URLs and paths hold no spaces, so they are single words and never broken.
func units(para string) []string {
	var out []string
	inCode, inQuote := false, false
	for _, w := range strings.Fields(para) {
		glue := len(out) > 0 && (inCode || inQuote || digitGroup(out[len(out)-1], w) || numberUnit(out[len(out)-1], w))
		if glue {
			out[len(out)-1] += " " + w
		} else {
			out = append(out, w)
		}
		if strings.Count(w, "`")%2 == 1 {
			inCode = !inCode
		}
		switch {
		case !inQuote && !inCode && strings.HasPrefix(w, "'") && !closesQuote(w[1:]):
			inQuote = true
		case inQuote && closesQuote(w):
			inQuote = false
		}
	}
	return out
}

// closesQuote: w ends a single-quoted span ("services'", "services').").
func closesQuote(w string) bool {
	return strings.HasSuffix(strings.TrimRight(w, ".,;:)!?"), "'")
}

// digitGroup: w continues a code written in groups of digits after prev.
func digitGroup(prev, w string) bool {
	last := prev[strings.LastIndexByte(prev, ' ')+1:]
	return allDigits(last) && len(last) >= 3 && startsWithDigits(w, 3)
}

// numberUnit: w is a unit ("s", "min") and prev ends in a number.
func numberUnit(prev, w string) bool {
	last := prev[strings.LastIndexByte(prev, ' ')+1:]
	last = strings.TrimLeft(last, "(±+-−~")
	switch strings.TrimRight(w, ".,;:)") {
	case "s", "ms", "min", "h", "%": // units that stay on the line of their number
		return last != "" && allDigitsOrPoint(last)
	}
	return false
}

func allDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

func allDigitsOrPoint(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' }) < 0 && unicode.IsDigit(rune(s[0]))
}

// startsWithDigits: w is n or more digits, then at most punctuation.
func startsWithDigits(w string, n int) bool {
	digits := strings.TrimRight(w, ".,;:)")
	return len(digits) >= n && allDigits(digits)
}
