package secret

import (
	"strings"

	"github.com/otpdoctor/otpdoctor/internal/lazyre"
)

// KeyNotShown stands in for a key found in text that is shown to someone.
const KeyNotShown = "[a 2FA key, not shown]"

// keyLike is what may be a 2FA key in text: an otpauth URI; or base32 in one case
// (apps write it in capitals or in lower case), in one run or in groups of 3 to 8 split
// by spaces or dashes as apps show it ("jbsw y3dp ehpk 3pxp"), with any padding.
// isKey then sets aside the words among them.
var keyLike = lazyre.New(`(?i:otpauth(?:-migration)?://)[^\s"']*` +
	`|\b[A-Z2-7]{16,}\b=*|\b[a-z2-7]{16,}\b=*` +
	`|\b[A-Z2-7]{3,8}(?:[ -][A-Z2-7]{3,8}){3,}\b=*|\b[a-z2-7]{3,8}(?:[ -][a-z2-7]{3,8}){3,}\b=*`)

// isKey tells a keyLike match that is a key from words: a key is an otpauth URI, or 16
// or more base32 characters, in capitals or in lower case with a digit, and in groups
// of one size (the last may be shorter), as apps group it. So "misconfiguration",
// "this does make sense" and "which base32 does not use" are not keys.
func isKey(match string) bool {
	if strings.Contains(match, ":") {
		return true // otpauth://
	}
	groups := strings.FieldsFunc(strings.TrimRight(match, "="), func(r rune) bool { return r == ' ' || r == '-' })
	chars := strings.Join(groups, "")
	return len(chars) >= 16 && evenGroups(groups) &&
		(strings.ToUpper(chars) == chars || strings.ContainsAny(chars, "234567"))
}

// evenGroups says whether groups are all of the first one's size, but the last, which
// may be shorter.
func evenGroups(groups []string) bool {
	for i, g := range groups {
		if len(g) != len(groups[0]) && (i < len(groups)-1 || len(g) > len(groups[0])) {
			return false
		}
	}
	return true
}

// HideKeys replaces what looks like a 2FA key in text with KeyNotShown, and says
// whether it found one. Errors quote the arguments they refuse, and a key typed in the
// wrong place (an argument, a flag's value) must not be echoed.
func HideKeys(text string) (string, bool) {
	found := false
	text = keyLike.Get().ReplaceAllStringFunc(text, func(match string) string {
		if !isKey(match) {
			return match
		}
		found = true
		return KeyNotShown
	})
	return text, found
}

// LooksLikeKey says whether text holds what looks like a 2FA key (HideKeys's rule): a
// flag's value or an argument that does is refused before it is used or shown.
func LooksLikeKey(text string) bool {
	_, found := HideKeys(text)
	return found
}
