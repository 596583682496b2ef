package backup

import (
	"bytes"
	"strings"
	"testing"

	"github.com/otpdoctor/otpdoctor/profile"
)

func mustProfile(t testing.TB, id string) *profile.Profile {
	t.Helper()
	p, ok := profile.Lookup(id)
	if !ok {
		t.Fatalf("no profile %q", id)
	}
	return p
}

// Every example of every embedded format is a valid backup code of its service.
func TestJudgeAcceptsEveryExample(t *testing.T) {
	for _, p := range profile.All() {
		for _, f := range p.BackupFormats {
			for _, ex := range f.Examples {
				if v := Judge(p, ex); v.Kind != Valid || v.Format.Name != f.Name {
					t.Errorf("%s: example %q judged %v (format %v), want valid %q", p.ID, ex, v.Kind, v.Format, f.Name)
				}
			}
		}
	}
}

func TestJudgeNearMisses(t *testing.T) {
	for _, tc := range []struct {
		service, code string
		kind          Kind
		problem       string // substring of the joined problems
		candidates    []string
	}{
		{"google", "1234 567O", Malformed, "character 8 is the letter O, which they never contain; it is probably the digit 0", []string{"12345670"}},
		{"google", "l234 5678", Malformed, "character 1 is the letter L", []string{"12345678"}},
		{"google", "1234 5S78", Malformed, "the letter S", []string{"12345578"}},
		{"google", "1234567", Malformed, "it has 7 characters, one fewer than their 8: a character was dropped", nil},
		{"google", "1233 45678", Malformed, "one more than their 8", []string{"12345678"}},
		{"google", "1234 5678 9", Malformed, "one more than their 8", nil},
		{"google", "123456", TOTPLike, "", nil},
		{"google", "12-34", Malformed, "it has 4 characters, not 8", nil},
		{"github", "1a2b3-c4d5g", Malformed, "character 10 is the letter G, which they never contain", nil},
		{"github", "1a2b3-c4dSe", Malformed, "the digit 5", []string{"1a2b3c4d5e"}},
		{"github", "Ia2b3-c4d5e", Malformed, "probably the digit 1", []string{"1a2b3c4d5e"}},
		{"github", "1a2b3-c4d5e6", Malformed, "one more than their 10", nil},
		{"github", "1a2bb3-c4d5e", Malformed, "a character was typed twice", []string{"1a2b3c4d5e"}},
		{"github", "123456", TOTPLike, "", nil},
		{"microsoft", "ABCDE-12345-FGHJK-67890-MNPQ", Malformed, "one fewer than their 25", nil},
		{"microsoft", "ABCDE-12345-FGHJK-67890-MNPQ!", Malformed, "the character '!'", nil},
		{"microsoft", "ABCDE-ABCDE-ABCDE-ABCDE-ABCD", Malformed, "one fewer", nil}, // base32 letters, but near the format: a typo, not a key
		{"dropbox", "1234 5678 9012 345", Malformed, "one fewer than their 16", nil},
		{"dropbox", "2468 I357", Malformed, "the letter I", []string{"24681357"}},
		{"dropbox", "Z468 1357", Malformed, "the letter Z", []string{"24681357"}},
		{"dropbox", "B468 1357", Malformed, "the letter B", []string{"84681357"}},
		{"binance", "123456", TOTPLike, "", nil},
		{"binance", "abcd1234", NoBackupCodes, "", nil},
		{"coinbase", "1234 5678", NoBackupCodes, "", nil},
		{"aws", "1a2b3-c4d5e", NoBackupCodes, "", nil},
		{"generic", "12345678", Valid, "", nil},
		{"generic", "123456", TOTPLike, "", nil},
		{"generic", "12 34", Malformed, "it does not have their shape", nil},
		{"generic", " - ", Empty, "", nil},
	} {
		v := Judge(mustProfile(t, tc.service), tc.code)
		if v.Kind != tc.kind {
			t.Errorf("%s %q: kind %v, want %v (%v)", tc.service, tc.code, v.Kind, tc.kind, v.Problems)
			continue
		}
		if got := strings.Join(v.Problems, "; "); !strings.Contains(got, tc.problem) {
			t.Errorf("%s %q: problems %q, want %q", tc.service, tc.code, got, tc.problem)
		}
		if strings.Join(v.Candidates, ",") != strings.Join(tc.candidates, ",") {
			t.Errorf("%s %q: candidates %q, want %q", tc.service, tc.code, v.Candidates, tc.candidates)
		}
		// Each candidate has its correction in words, which never quotes it.
		if len(v.Corrections) != len(v.Candidates) {
			t.Errorf("%s %q: corrections %q for candidates %q", tc.service, tc.code, v.Corrections, v.Candidates)
		}
		if said := v.Describe(mustProfile(t, tc.service)) + strings.Join(v.Corrections, " "); len(v.Candidates) > 0 && strings.Contains(said, v.Candidates[0]) {
			t.Errorf("%s %q: %q names the code meant", tc.service, tc.code, said)
		}
	}
}

// rfcKeyBase32 is RFC 6238's SHA1 key "12345678901234567890" in base32.
const rfcKeyBase32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestJudgeKeys(t *testing.T) {
	hello := []byte("Hello!\xde\xad\xbe\xef") // JBSWY3DPEHPK3PXP, the usual example key
	for _, tc := range []struct {
		service, code string
		want          []byte
		loose         bool // also fits the generic loose format
	}{
		{"binance", "JBSWY3DPEHPK3PXP", hello, false},
		{"binance", "jbsw y3dp ehpk 3pxp", hello, false},
		{"kraken", rfcKeyBase32, []byte("12345678901234567890"), false},
		{"github", "JBSWY3DPEHPK3PXP", hello, false}, // far from a 10-character code
		{"generic", "JBSWY3DPEHPK3PXP", hello, true},
		{"kraken", "JBSWY3DPEHPK3PXP====", hello, false},
	} {
		v := Judge(mustProfile(t, tc.service), tc.code)
		if v.Kind != KeyLike || !bytes.Equal(v.Key, tc.want) || (v.Format != nil) != tc.loose {
			t.Errorf("%s %q: kind %v key %x format %v", tc.service, tc.code, v.Kind, v.Key, v.Format)
		}
	}
	// Too short for a key, or not base32: not a key.
	for _, code := range []string{"JBSWY3DPEHPK3PX", "JBSWY3DPEHPK3PX1", "AAAAAAAAAAAAAAAA"} {
		if v := Judge(mustProfile(t, "binance"), code); v.Kind == KeyLike {
			t.Errorf("%q taken for a key", code)
		}
	}
}

func TestLooksLikeBackupCode(t *testing.T) {
	for _, tc := range []struct {
		service, code string
		want          bool
	}{
		{"google", "1234 5678", true},
		{"google", "123456", false}, // the TOTP code's own shape
		{"github", "1a2b3-c4d5e", true},
		{"github", "1a2b3-c4d5", false},
		{"binance", "12345678", false},
		{"generic", "123456", false},
		{"generic", "12345678", true},
	} {
		f, got := mustProfile(t, tc.service).LooksLikeBackupCode(tc.code)
		if got != tc.want || got != (f != nil) {
			t.Errorf("LooksLikeBackupCode(%s, %q) = %v, %v", tc.service, tc.code, f, got)
		}
	}
}

func FuzzJudge(f *testing.F) {
	for _, s := range []string{"1234 567O", "1a2bb3-c4d5e", rfcKeyBase32, "JBSWY3DPEHPK3PXP====", "１２３４", "\xff", "ABCDE-12345-FGHJK-67890-MNPQ!"} {
		f.Add(s)
	}
	profiles := profile.All()
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range profiles {
			v := Judge(p, s)
			if v.Kind == Valid && !v.Format.Match(v.Norm) {
				t.Fatalf("%s: valid code does not match its format", p.ID)
			}
			if v.Kind == Malformed && len(v.Problems) == 0 {
				t.Fatalf("%s: malformed without a problem", p.ID)
			}
			for _, c := range v.Candidates {
				if !v.Format.Match(c) {
					t.Fatalf("%s: candidate does not fit", p.ID)
				}
			}
		}
	})
}
