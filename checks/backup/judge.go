// Package backup judges backup and recovery codes against the formats a service
// issues: typos (with the character probably meant), wrong lengths, duplicates, codes
// from two sets mixed, authenticator codes given as backup codes, "backup keys" that
// are really the authenticator key, and codes already spent (a ledger of salted
// hashes). Nothing here prints.
package backup

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/profile"
)

// Kind is what a code given as a backup code turned out to be.
type Kind int

const (
	Valid         Kind = iota // fits one of the service's formats
	KeyLike                   // a base32 authenticator key, not a code
	TOTPLike                  // an authenticator (TOTP) code, not a backup code
	NoBackupCodes             // the service issues no backup codes at all
	Malformed                 // near a format, but mistyped: see Problems and Candidates
	Empty                     // nothing left after removing spaces and hyphens
)

// Verdict is the judgement of one code.
type Verdict struct {
	Kind Kind
	Norm string // the code normalised (profile.NormalizeCode)
	// Format is the format the code fits (Valid), or the one it was compared with
	// (Malformed, KeyLike that also fits a loose format).
	Format *profile.CodeFormat
	// Problems say what is wrong, one clause each, naming positions (1-based, not
	// counting spaces and hyphens); "they" in them is Format's codes (see Describe).
	Problems []string
	// Candidates are corrected codes that fit Format, normalised; at most a few. They
	// are whole backup codes: shown only when the user asks (--reveal).
	Candidates []string
	// Corrections say, for each candidate, how the code becomes it by position and
	// character ("character 8 as the digit 0"), never quoting a code.
	Corrections []string
	// Wrong are the characters no code of Format holds; Doubled the first positions of
	// the pairs probably typed twice, one for each candidate then.
	Wrong   []Wrong
	Doubled []int
	// Key holds the decoded key of a KeyLike code. Never print it.
	Key []byte
}

// Wrong is a character of a code that no code of its format holds.
type Wrong struct {
	Position int  // 1-based, not counting spaces and hyphens
	Found    rune // as typed
	Meant    rune // the character probably meant; 0 when none is likely
}

// minKeyChars is the shortest base32 text taken for a key: Binance's 16-character
// Backup Key (80 bits).
const minKeyChars = 16

// maxCandidates keeps a suggestion list readable.
const maxCandidates = 3

// Judge decides what text, given as a backup code for service p, is. A code that fits
// a format is Valid even if it also looks like a key, unless the format is loose
// (length 0: the generic profile), where a base32 key of 16 or more characters is more
// likely a key: then Kind is KeyLike and Format is the loose format it also fits.
func Judge(p *profile.Profile, text string) Verdict {
	code := profile.NormalizeCode(text)
	return judgeNormal(p, code, p.BackupFormatFor(code))
}

// judgeNormal is Judge of a code already normalised, given the format it fits
// (p.BackupFormatFor): reading a file finds it already.
func judgeNormal(p *profile.Profile, code string, fits *profile.CodeFormat) Verdict {
	v := Verdict{Norm: code}
	if code == "" {
		v.Kind = Empty
		return v
	}
	if key, ok := decodeKey(code); ok && (fits == nil && !nearFixed(p, code) || fits != nil && fits.Length == 0) {
		v.Kind, v.Key, v.Format = KeyLike, key, fits
		return v
	}
	switch {
	case fits != nil && !p.TOTPShaped(code):
		v.Kind, v.Format = Valid, fits
	case p.TOTPShaped(code):
		v.Kind = TOTPLike
	case len(p.BackupFormats) == 0:
		v.Kind = NoBackupCodes
	default:
		v.Kind = Malformed
		v.Format = nearest(p, code)
		v.diagnose(code)
	}
	return v
}

// Describe says in one or two sentences what a code is or what is wrong with it, to
// follow the code's name ("--backup-code 2 does not fit ..."). It names positions and
// characters, never a whole code or key: Meant adds the codes probably meant.
func (v Verdict) Describe(p *profile.Profile) string {
	switch v.Kind {
	case Valid:
		return "fits " + formatNoun(p, v.Format) + "."
	case KeyLike:
		return fmt.Sprintf("is not a backup code but a %d-bit authenticator key (base32).", len(v.Key)*8)
	case TOTPLike:
		return fmt.Sprintf("has %d digits, like the codes an authenticator app shows: it is not a backup code.", len(v.Norm))
	case NoBackupCodes:
		return fmt.Sprintf("cannot be a backup code: %s issues none.", p.Name)
	case Empty:
		return "is empty."
	}
	return fmt.Sprintf("does not fit %s: %s.", formatNoun(p, v.Format), strings.Join(v.Problems, "; "))
}

// Meant is the sentence naming the codes probably meant, "" when there are none. It
// holds whole backup codes: only for a user who asked to see them (--reveal).
func (v Verdict) Meant() string {
	if len(v.Candidates) == 0 {
		return ""
	}
	return "Probably meant: " + strings.Join(v.shownCandidates(), " or ") + "."
}

// shownCandidates are the candidates written as the service prints codes.
func (v Verdict) shownCandidates() []string {
	shown := make([]string, len(v.Candidates))
	for i, c := range v.Candidates {
		shown[i] = v.Format.Display(c)
	}
	return shown
}

// decodeKey decodes code as a base32 key when it is one: 16 or more base32 characters
// (optionally '='-padded) forming a plausible key.
func decodeKey(code string) ([]byte, bool) {
	body := strings.TrimRight(code, "=")
	if len(body) < minKeyChars || strings.Trim(body, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		return nil, false
	}
	key, err := secret.DecodeBase32(code)
	return key, err == nil
}

// nearFixed reports whether code is within two characters of a fixed-length format's
// length: a mistyped code, rather than a key, even when it happens to be base32.
func nearFixed(p *profile.Profile, code string) bool {
	for _, f := range p.BackupFormats {
		if f.Length > 0 && abs(len(code)-f.Length) <= 2 {
			return true
		}
	}
	return false
}

// nearest is the format a malformed code was most likely meant to fit: the one whose
// length is closest (fixed-length formats first), ties to the format listed first.
func nearest(p *profile.Profile, code string) *profile.CodeFormat {
	var best *profile.CodeFormat
	bestDist := -1
	for i := range p.BackupFormats {
		f := &p.BackupFormats[i]
		dist := 1 << 20 // loose formats only when nothing fixed exists
		if f.Length > 0 {
			dist = abs(len(code) - f.Length)
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = f, dist
		}
	}
	return best
}

// confusables are the characters people mistake for each other when copying a code,
// after normalisation (lower case): the first one the format's alphabet holds is meant.
var confusables = map[rune]string{
	'o': "0", '0': "o",
	'i': "1", 'l': "1", '1': "li",
	's': "5", '5': "s",
	'b': "8", '8': "b",
	'z': "2", '2': "z",
}

// diagnose says what keeps code from fitting v.Format, and which corrections would fit.
func (v *Verdict) diagnose(code string) {
	f := v.Format
	runes := []rune(code)
	corrected := make([]rune, len(runes))
	correctable := true
	var replaced []string // "character 8 as the digit 0", one for each replaced character
	for i, r := range runes {
		corrected[i] = r
		if strings.ContainsRune(f.Alphabet, r) {
			continue
		}
		wrong := Wrong{Position: i + 1, Found: r}
		// Concatenation, not fmt: a pasted list can hold thousands of such codes.
		msg := "character " + strconv.Itoa(i+1) + " is " + describe(r) + ", which they never contain"
		if meant, ok := likely(f, r); ok {
			corrected[i], wrong.Meant = meant, meant
			msg += "; it is probably " + describe(meant)
			replaced = append(replaced, "character "+strconv.Itoa(i+1)+" as "+describe(meant))
		} else {
			correctable = false
		}
		v.Wrong = append(v.Wrong, wrong)
		v.Problems = append(v.Problems, msg)
	}
	fixedLength := f.Length > 0 && len(runes) != f.Length
	switch {
	case fixedLength && len(runes) == f.Length-1:
		v.Problems = append(v.Problems, fmt.Sprintf("it has %d characters, one fewer than their %d: a character was dropped when it was copied", len(runes), f.Length))
	case fixedLength && len(runes) == f.Length+1:
		msg := fmt.Sprintf("it has %d characters, one more than their %d", len(runes), f.Length)
		if correctable {
			v.Candidates, v.Doubled = undouble(f, string(corrected))
		}
		var pairs []string
		for _, at := range v.Doubled {
			pair := "characters " + strconv.Itoa(at) + " and " + strconv.Itoa(at+1) + " (" + describe(corrected[at]) + " twice)"
			pairs = append(pairs, pair)
			v.Corrections = append(v.Corrections, strings.Join(append(slices.Clone(replaced), pair+" as one"), " and "))
		}
		if len(pairs) > 0 {
			msg += ": a character was typed twice, " + strings.Join(pairs, " or ")
		}
		v.Problems = append(v.Problems, msg)
	case fixedLength:
		v.Problems = append(v.Problems, fmt.Sprintf("it has %d characters, not %d", len(runes), f.Length))
	case correctable && len(v.Problems) > 0:
		if f.Match(string(corrected)) {
			v.Candidates, v.Corrections = []string{string(corrected)}, []string{strings.Join(replaced, " and ")}
		}
	}
	if len(v.Problems) == 0 { // right length and alphabet, but the pattern says no
		v.Problems = append(v.Problems, fmt.Sprintf("it does not have their shape (%s)", f.Name))
	}
}

// undouble returns the codes that fit f when one of a doubled pair of characters is
// removed ("1a2bb3c4d5e" → "1a2b3c4d5e"), and for each the pair's first position.
func undouble(f *profile.CodeFormat, code string) (candidates []string, firsts []int) {
	for i := 1; i < len(code) && len(candidates) < maxCandidates; i++ {
		if code[i] != code[i-1] {
			continue
		}
		cand := code[:i] + code[i+1:]
		if f.Match(cand) && (len(candidates) == 0 || candidates[len(candidates)-1] != cand) {
			candidates = append(candidates, cand)
			firsts = append(firsts, i)
		}
	}
	return candidates, firsts
}

func likely(f *profile.CodeFormat, r rune) (rune, bool) {
	for _, meant := range confusables[r] {
		if strings.ContainsRune(f.Alphabet, meant) {
			return meant, true
		}
	}
	return 0, false
}

// describe names a character the way a person reads it. Backup codes are not keys:
// showing the offending character is what lets the user find it.
func describe(r rune) string {
	switch {
	case '0' <= r && r <= '9':
		return "the digit " + string(r)
	case 'a' <= r && r <= 'z':
		return "the letter " + string(unicode.ToUpper(r))
	case unicode.IsPrint(r):
		return "the character " + strconv.QuoteRune(r)
	}
	return fmt.Sprintf("an invisible character (%U)", r)
}

// formatNoun is how findings name a format: "GitHub's recovery codes".
func formatNoun(p *profile.Profile, f *profile.CodeFormat) string {
	if p.ID == profile.GenericID {
		return "usual " + shortName(f)
	}
	return possessive(p.Name) + " " + shortName(f)
}

// shortName is a format's name without its description, in the plural: "recovery codes".
func shortName(f *profile.CodeFormat) string {
	name, _, _ := strings.Cut(f.Name, " (")
	return name + "s"
}

func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
