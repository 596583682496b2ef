package codes

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
)

// randomOffset is a clock offset as devices have them: right, seconds off, a zone set
// wrong, minutes off, or days to most of a year off.
func randomOffset(rng *rand.Rand) time.Duration {
	sign := time.Duration(1 - 2*rng.IntN(2))
	switch rng.IntN(5) {
	case 0:
		return 0
	case 1:
		return sign * time.Duration(rng.IntN(300_000)) * time.Millisecond
	case 2:
		return sign * (time.Duration(1+rng.IntN(13))*time.Hour + []time.Duration{0, 30 * time.Minute, 45 * time.Minute}[rng.IntN(3)])
	case 3:
		return sign * time.Duration(1+rng.IntN(600)) * time.Minute
	}
	return sign * (time.Duration(1+rng.IntN(300))*24*time.Hour + time.Duration(rng.IntN(86400))*time.Second)
}

// For random true offsets of the phone and of this computer, random key settings, apps
// that ignore them or not, and one or two codes, the diagnosis never names another key
// with high confidence when the app holds the very key given.
func TestNeverAnotherKeyWithHighConfidenceWhenTheKeyIsRight(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2026))
	for i := range 40 {
		phone, pc := randomOffset(rng), randomOffset(rng)
		key := secret.Key{
			Type:      secret.TOTP,
			Secret:    fmt.Appendf(nil, "key number %d of the property", i),
			Algorithm: []secret.Algorithm{secret.SHA1, secret.SHA256, secret.SHA512}[rng.IntN(3)],
			Digits:    6 + 2*rng.IntN(2),
			Period:    []int{30, 60}[rng.IntN(2)],
		}
		app := key // the settings the app makes codes with: the key's, or the defaults when it ignores them
		if rng.IntN(3) == 0 {
			app.Algorithm, app.Digits, app.Period = secret.SHA1, 6, 30
		}
		n := 1 + rng.IntN(2)
		codes := codesAt(app, now.Add(phone), int64(1-n), n)
		if app.Digits != key.Digits {
			continue // codes of another length are refused before any search
		}
		env := &diag.Env{Now: func() time.Time { return now.Add(pc) }, TrueTime: diag.NewTrueTime()}
		env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNTP, Offset: pc, Uncertainty: 20 * time.Millisecond})
		r := (&Check{Key: key, Codes: codes}).Run(context.Background(), env)
		r.ID = CheckID
		offset := pc.Seconds()
		clock := diag.Result{ID: diag.CheckClock, Status: diag.ClockStatus(pc, 20*time.Millisecond),
			Facts: &diag.ClockFacts{OffsetSeconds: &offset, UncertaintySeconds: new(0.02), Reference: diag.ReferenceNTP}}
		for _, d := range diag.Diagnose([]diag.Result{clock, r}, &diag.Env{}) {
			if d.Cause == diag.CauseSecretMismatch && d.Confidence == diag.ConfidenceHigh {
				t.Errorf("phone %s, this computer %s, key %s/%d/%d, app %s/%d/%d, %d codes: another key with high confidence\n%s",
					phone, pc, key.Algorithm, key.Digits, key.Period, app.Algorithm, app.Digits, app.Period, n, r.Summary)
			}
		}
	}
}
