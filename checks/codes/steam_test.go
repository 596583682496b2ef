package codes

import (
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
)

var steamKey = secret.Key{Type: secret.TOTP, Encoding: secret.Steam, Secret: []byte("12345678901234567890")}

// TestSteamCodes: Steam Guard codes of the RFC 4226 test key, computed independently
// (HMAC-SHA1 at 30 s steps, the truncated value's base-26 digits in Steam's alphabet).
func TestSteamCodes(t *testing.T) {
	for _, tc := range []struct {
		unix int64
		code string
	}{{59, "PV9M4"}, {1111111109, "PY4YB"}, {1234567890, "VHHQY"}, {1700000000, "R87JJ"}, {2000000000, "9N776"}} {
		if got := TOTPAt(steamKey, time.Unix(tc.unix, 0)); got != tc.code {
			t.Errorf("at %d: %s, want %s", tc.unix, got, tc.code)
		}
	}
}

// TestSteamCodeValues: a Steam code's value round-trips through the search's numbers.
func TestSteamCodeValues(t *testing.T) {
	p := paramsOf(steamKey.WithDefaults())
	for _, code := range []string{"22222", "YYYYY", "PV9M4", "9N776"} {
		if got := p.format(p.valueOf(code)); got != code {
			t.Errorf("%s → %d → %s", code, p.valueOf(code), got)
		}
	}
}

func TestParseSteamCode(t *testing.T) {
	for in, want := range map[string]string{"pv9m4": "PV9M4", " R87JJ ": "R87JJ"} {
		if got, err := ParseSteamCode(in); err != nil || got != want {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	for in, want := range map[string]string{
		"PV9M":   "4 characters: Steam Guard codes have 5",
		"PV0M4":  "column 3: a character Steam codes never use (they have no 0, 1, vowels, L, S or Z): a Steam Guard code has the digits 2 to 9 and consonants",
		"PV-M4":  "column 3:",
		"123456": "column 1:",
	} {
		if _, err := ParseSteamCode(in); err == nil || len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
			t.Errorf("%q: error %v, want %q…", in, err, want)
		}
	}
}

// TestSteamMatch: the codes check finds Steam codes as it finds digits: now, and from a
// phone whose clock is off (the clock diagnosis works the same).
func TestSteamMatch(t *testing.T) {
	r := runCheck(t, &Check{Key: steamKey, Codes: codesAt(steamKey, now, 0, 1)}, 0)
	wantOutcome(t, r, diag.StatusOK)
	r = runCheck(t, &Check{Key: steamKey, Codes: codesAt(steamKey, now, 6, 2)}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
	if got := offsetSteps(t, r); got != 7 {
		t.Errorf("offset_steps %d, want 7", got)
	}
	r = runCheck(t, &Check{Key: steamKey, Codes: []string{"123456"}}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseCodeTypo)
}
