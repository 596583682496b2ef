package codes

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// now is the true instant the crafted cases happen at: 10 s into a 30-second step.
var now = time.Date(2026, 11, 26, 9, 30, 10, 0, time.UTC)

var testKey = secret.Key{Type: secret.TOTP, Secret: []byte("the key the app holds")}

// runCheck runs c at now, with a clock check that found this machine right (or, when
// machineAhead is set, ahead of true time by it).
func runCheck(t *testing.T, c *Check, machineAhead time.Duration) diag.Result {
	t.Helper()
	env := &diag.Env{Now: func() time.Time { return now.Add(machineAhead) }, TrueTime: diag.NewTrueTime()}
	env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNTP, Offset: machineAhead})
	return run(t, c, env)
}

func run(t *testing.T, c *Check, env *diag.Env) diag.Result {
	t.Helper()
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	return c.Run(context.Background(), env)
}

// codesAt are the app's codes for n consecutive steps from shift steps off now's step.
func codesAt(k secret.Key, at time.Time, shift int64, n int) []string {
	k = k.WithDefaults()
	step := int64(Counter(k, at)) + shift
	var out []string
	for i := range int64(n) {
		out = append(out, HOTP(k, uint64(step+i)))
	}
	return out
}

func causes(r diag.Result) []diag.Cause {
	var out []diag.Cause
	for _, f := range r.Findings {
		out = append(out, f.Cause)
	}
	return out
}

func wantOutcome(t *testing.T, r diag.Result, status diag.Status, cause ...diag.Cause) {
	t.Helper()
	got := causes(r)
	if r.Status != status || fmt.Sprint(got) != fmt.Sprint(cause) {
		t.Fatalf("status %s, causes %v; want %s, %v\nsummary: %s\ndetails: %s", r.Status, got, status, cause, r.Summary, strings.Join(r.Details, "\n"))
	}
}

func offsetSteps(t *testing.T, r diag.Result) int64 {
	t.Helper()
	v := factsOf(r).OffsetSteps
	if v == nil {
		t.Fatalf("no offset_steps in %+v", r.Facts)
	}
	return *v
}

// factsOf is the codes check's facts in r.
func factsOf(r diag.Result) *diag.CodesFacts { return r.Facts.(*diag.CodesFacts) }

func TestValidNow(t *testing.T) {
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now, 0, 1)}, 0)
	wantOutcome(t, r, diag.StatusOK)
	if !factsOf(r).Matched || offsetSteps(t, r) != 0 {
		t.Errorf("facts %v", r.Facts)
	}
	if got := factsOf(r).AuthenticatorOffsetSeconds; fmt.Sprint(got) != "[-10 20]" {
		t.Errorf("authenticator_offset_seconds = %v, want [-10, 20]", got)
	}
	if ws := factsOf(r).WindowSteps; ws != 20 {
		t.Errorf("window_steps = %v, want 20 (±10 min)", ws)
	}
	if factsOf(r).Reference != diag.ReferenceNTP {
		t.Errorf("reference = %q", factsOf(r).Reference)
	}
}

// TestTrueTimeNotLocalClock: this machine is an hour ahead and the clock check knows;
// the code the phone shows at true time is valid.
func TestTrueTimeNotLocalClock(t *testing.T) {
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now, 0, 1)}, time.Hour)
	wantOutcome(t, r, diag.StatusOK)
}

func TestNoReferenceUsesLocalClock(t *testing.T) {
	env := &diag.Env{Now: func() time.Time { return now }, TrueTime: diag.NewTrueTime()}
	env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNone})
	r := run(t, &Check{Key: testKey, Codes: codesAt(testKey, now, 0, 1)}, env)
	wantOutcome(t, r, diag.StatusOK)
	if factsOf(r).Reference != "local-clock" || !strings.Contains(strings.Join(r.Details, " "), "this machine's clock") {
		t.Errorf("reference %q, details %q", factsOf(r).Reference, r.Details)
	}
}

func TestCodeExpired(t *testing.T) {
	for _, shift := range []int64{-1, -2} {
		r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now, shift, 1)}, 0)
		wantOutcome(t, r, diag.StatusWarn, diag.CauseCodeExpired)
		if offsetSteps(t, r) != shift || !strings.Contains(r.Findings[0].Message, "two consecutive codes") {
			t.Errorf("shift %d: offset %d, message %q", shift, offsetSteps(t, r), r.Findings[0].Message)
		}
	}
}

func TestSlightlyAheadAsksForTwoCodes(t *testing.T) {
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now, 2, 1)}, 0)
	wantOutcome(t, r, diag.StatusWarn)
	if !strings.Contains(r.Summary, "two consecutive codes") {
		t.Errorf("summary %q", r.Summary)
	}
}

func TestAuthenticatorClockSingleCode(t *testing.T) {
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now, 7, 1)}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
	if got := factsOf(r).AuthenticatorOffsetSeconds; offsetSteps(t, r) != 7 || fmt.Sprint(got) != "[200 230]" {
		t.Errorf("offset %d steps, %v s; want 7, [200, 230]", offsetSteps(t, r), got)
	}
}

// TestOffsetsPinnedByTwoCodes finds shifts of -20..+20 steps exactly with two codes.
func TestOffsetsPinnedByTwoCodes(t *testing.T) {
	for shift := int64(-20); shift <= 20; shift++ {
		// The last code is the one shown now: the first belongs to the step before.
		r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now, shift-1, 2)}, 0)
		if got := offsetSteps(t, r); got != shift {
			t.Errorf("shift %d: offset_steps %d", shift, got)
		}
		switch {
		case shift == 0:
			wantOutcome(t, r, diag.StatusOK)
		case shift == 1 || shift == -1:
			wantOutcome(t, r, diag.StatusWarn, diag.CauseAuthenticatorClock)
		default:
			wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
		}
	}
}

func TestCodeTime(t *testing.T) {
	read := now.Add(-time.Hour)
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, read, 3, 2), CodeTime: read}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
	if offsetSteps(t, r) != 3 {
		t.Errorf("offset %d", offsetSteps(t, r))
	}
}

// Two codes each timed as read (the guide) are judged at their own moments, and the
// app's clock fits both readings: the first code read 70 s after its step began on an
// app 80 s behind, the next read 22 s into the next step.
func TestTwoTimedCodes(t *testing.T) {
	const behind = 80 * time.Second
	first, next := now.Add(50*time.Second), now.Add(72*time.Second) // 09:31:00 and 09:31:22
	c := &Check{Key: testKey, Codes: []string{TOTPAt(testKey, first.Add(-behind)), TOTPAt(testKey, next.Add(-behind))}, FirstShownAt: first, ShownAt: next}
	r := runCheck(t, c, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
	if got := offsetSteps(t, r); got != -3 {
		t.Errorf("offset %d steps, want -3: the first code was read at its own time", got)
	}
	// Alone, the first says [-90, -60) s and the last [-82, -52) s: together [-82, -60).
	if got := factsOf(r).AuthenticatorOffsetSeconds; len(got) != 2 || got[0] != -82 || got[1] != -60 {
		t.Errorf("authenticator offset %v s, want [-82 -60]", got)
	}
}

// TestFarAwayWithTwoCodes pins days and years away with two codes: in a wider
// --window, and with --deep.
func TestFarAwayWithTwoCodes(t *testing.T) {
	const day = 2880
	cases := []struct {
		shift  int64
		window time.Duration
		deep   bool
	}{
		{-day - 17, DefaultWindow + time.Hour, false},
		{3*day + 5, 4 * 24 * time.Hour, false},
		{-3*365*day - 3, DefaultWindow, true},
	}
	for _, c := range cases {
		if c.deep && testing.Short() {
			continue
		}
		r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now, c.shift-1, 2), Window: c.window, Deep: c.deep}, 0)
		wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
		if got := offsetSteps(t, r); got != c.shift {
			t.Errorf("shift %d: offset_steps %d", c.shift, got)
		}
	}
}

// TestLikelyClocks: a time zone set wrong, a GPS rollover and a reset to 2000-01-01
// are found and named.
func TestLikelyClocks(t *testing.T) {
	cases := []struct {
		phone time.Time
		want  string
	}{
		{now.Add(3 * time.Hour), "about 3 h ahead; likely a time zone set wrong"},
		{now.Add(-(5*time.Hour + 30*time.Minute)), "about 5 h 30 min behind; likely a time zone"},
		{now.Add(-1024 * 7 * 24 * time.Hour), "years behind; likely a GPS week-number rollover"},
		{time.Date(2000, 1, 1, 5, 0, 0, 0, time.UTC), "likely a reset to 2000-01-01"},
	}
	for _, c := range cases {
		r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, c.phone, -1, 2)}, 0)
		wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
		if likely := factsOf(r).LikelyClock; likely == "" || !strings.Contains(r.Summary, likely) || !strings.Contains(r.Summary, c.want) {
			t.Errorf("%s: likely_clock %q, summary %q", c.want, factsOf(r).LikelyClock, r.Summary)
		}
	}
}

// TestWideSingleCodeIsOnlyPossible: one code matching far away, in a window where
// chance alone gives a match, is not a diagnosis.
func TestWideSingleCodeIsOnlyPossible(t *testing.T) {
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now, 20*2880, 1), Window: 30 * 24 * time.Hour}, 0)
	wantOutcome(t, r, diag.StatusWarn)
	if !factsOf(r).Possible || !strings.Contains(r.Summary, "next code") {
		t.Errorf("possible %v, summary %q", factsOf(r).Possible, r.Summary)
	}
	if chance := factsOf(r).ChanceMatches; chance < 0.1 {
		t.Errorf("chance_matches %v for ±30 days", chance)
	}
}

func TestParameterMismatch(t *testing.T) {
	app := testKey
	app.Algorithm = secret.SHA1
	cases := []struct {
		key     secret.Key
		service *profile.Profile
		want    string
	}{
		{secret.Key{Secret: testKey.Secret, Algorithm: secret.SHA256}, nil, "SHA1, 6 digits, 30 s, but the key says SHA256, 6 digits, 30 s"},
		{secret.Key{Secret: testKey.Secret, Algorithm: secret.SHA512}, profile.Generic(), "SHA1, 6 digits, 30 s, but the key says SHA512, 6 digits, 30 s"},
		{secret.Key{Secret: testKey.Secret, Digits: 8}, nil, "the key says SHA1, 8 digits"},
		{secret.Key{Secret: testKey.Secret, Period: 60}, &profile.Profile{Name: "Binance", TOTP: profile.TOTP{Algorithm: "SHA1", Digits: 6, Period: 30}},
			"the key says SHA1, 6 digits, 60 s, and Binance expects SHA1, 6 digits, 30 s"},
	}
	for _, c := range cases {
		env := &diag.Env{Now: func() time.Time { return now }, TrueTime: diag.NewTrueTime(), Service: c.service}
		env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNTP})
		r := run(t, &Check{Key: c.key, Codes: codesAt(app, now, 0, 1)}, env)
		wantOutcome(t, r, diag.StatusFail, diag.CauseParameterMismatch)
		if !strings.Contains(r.Summary, c.want) || factsOf(r).Algorithm != "SHA1" {
			t.Errorf("summary %q, algorithm %q; want %q", r.Summary, factsOf(r).Algorithm, c.want)
		}
		// The generic profile does not pretend to know what the service expects: the key does.
		if c.service == nil || c.service.ID == profile.GenericID {
			if first := diag.FixTexts(r.Findings[0].Steps, &diag.Env{})[0]; strings.Contains(r.Summary, "expects") || !strings.Contains(first, "as the key says") {
				t.Errorf("summary %q, first step %q", r.Summary, first)
			}
		}
	}
}

// A parameter mismatch found off the expected step says how far, and which way: the
// last of these codes is two steps old.
func TestParameterMismatchOffTheExpectedStep(t *testing.T) {
	key := secret.Key{Secret: testKey.Secret, Algorithm: secret.SHA256}
	r := runCheck(t, &Check{Key: key, Codes: codesAt(testKey, now, -3, 2)}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseParameterMismatch)
	if want := "(matched 2 steps behind the expected step)."; !strings.HasSuffix(r.Summary, want) {
		t.Errorf("summary %q, want it to end %q", r.Summary, want)
	}
}

func TestCodeTypo(t *testing.T) {
	valid := codesAt(testKey, now, 0, 1)[0]
	swapAt := 0
	for valid[swapAt] == valid[swapAt+1] {
		swapAt++
	}
	swapped := []byte(valid)
	swapped[swapAt], swapped[swapAt+1] = swapped[swapAt+1], swapped[swapAt]
	offByOne := []byte(valid)
	offByOne[3] = '0' + (offByOne[3]-'0'+1)%10
	for typed, want := range map[string]string{
		string(swapped):  "are swapped",
		string(offByOne): "digit 4 is wrong",
	} {
		r := runCheck(t, &Check{Key: testKey, Codes: []string{typed}}, 0)
		wantOutcome(t, r, diag.StatusFail, diag.CauseCodeTypo)
		if !strings.Contains(r.Summary, want) || strings.Contains(r.Summary, valid) {
			t.Errorf("summary %q, want %q and not the valid code", r.Summary, want)
		}
	}

	// A lost leading zero: find an instant whose code starts with 0.
	at := now
	for codesAt(testKey, at, 0, 1)[0][0] != '0' {
		at = at.Add(30 * time.Second)
	}
	code := codesAt(testKey, at, 0, 1)[0]
	r := runCheck(t, &Check{Key: testKey, Codes: []string{code[1:]}, CodeTime: at}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseCodeTypo)
	if factsOf(r).Typo != "the leading zero is missing" {
		t.Errorf("typo %q", factsOf(r).Typo)
	}
}

func TestSecretMismatch(t *testing.T) {
	other := secret.Key{Secret: []byte("a different key entirely")}
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(other, now, 0, 2)}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseSecretMismatch)
	if factsOf(r).Matched {
		t.Error("matched is true")
	}
	if !strings.Contains(diag.FixTexts(r.Findings[0].Steps, &diag.Env{})[0], testKey.Fingerprint()) {
		t.Errorf("first fix step %q does not name the fingerprint", diag.FixTexts(r.Findings[0].Steps, &diag.Env{})[0])
	}
}

// TestOtherKeysAreNeverTypos: a single code of another key never passes for a typo of
// this key's codes. It may match somewhere by chance (the likely wrong clocks and ±24 h
// hold about 10,000 steps: about 1% of the time); such a match says chance is not
// negligible.
func TestOtherKeysAreNeverTypos(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 300
	if testing.Short() {
		n = 30
	}
	accidents := 0
	for i := range n {
		other := randomKey(rng)
		other.Algorithm, other.Digits, other.Period = "", 0, 0
		r := runCheck(t, &Check{Key: testKey, Codes: codesAt(other, now, 0, 1)}, 0)
		got := causes(r)
		if slices.Contains(got, diag.CauseCodeTypo) {
			t.Fatalf("key %d: %s", i, r.Summary)
		}
		if len(got) == 1 && got[0] == diag.CauseSecretMismatch {
			continue
		}
		accidents++
		if chance := factsOf(r).ChanceMatches; chance < 0.0005 {
			t.Errorf("key %d matched by accident (%s), but chance_matches is only %v", i, r.Summary, chance)
		}
	}
	if accidents > n/20 {
		t.Errorf("%d of %d other keys matched somewhere", accidents, n)
	}
}

// TestCodesNotConsecutive: two codes valid on their own but not at consecutive steps
// are said to be so, not taken for another key; a code given twice counts once.
func TestCodesNotConsecutive(t *testing.T) {
	skipped := []string{codesAt(testKey, now, -2, 1)[0], codesAt(testKey, now, 0, 1)[0]}
	r := runCheck(t, &Check{Key: testKey, Codes: skipped}, 0)
	wantOutcome(t, r, diag.StatusWarn)
	if !strings.Contains(r.Summary, "not from consecutive steps: code 1 alone is valid 1 step from its expected step") {
		t.Errorf("summary %q", r.Summary)
	}

	twice := []string{codesAt(testKey, now, 0, 1)[0], codesAt(testKey, now, 0, 1)[0]}
	r = runCheck(t, &Check{Key: testKey, Codes: twice}, 0)
	wantOutcome(t, r, diag.StatusOK)
	if codes := factsOf(r).Codes; codes != 1 {
		t.Errorf("codes = %v, want the repeated code counted once", codes)
	}
}

func TestMalformedCode(t *testing.T) {
	r := runCheck(t, &Check{Key: testKey, Codes: []string{"12a456"}}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseCodeTypo)
	if !strings.Contains(r.Summary, "column 3: a letter") {
		t.Errorf("summary %q", r.Summary)
	}
	r = runCheck(t, &Check{Key: testKey, Codes: []string{"123456", "1234567"}}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseCodeTypo)
}

func TestHOTP(t *testing.T) {
	k := secret.Key{Type: secret.HOTP, Secret: testKey.Secret, Counter: 40, HasCounter: true}
	code := func(counter uint64) string { return HOTP(k, counter) }

	r := runCheck(t, &Check{Key: k, Codes: []string{code(40)}, LookAhead: DefaultLookAhead}, 0)
	wantOutcome(t, r, diag.StatusOK)

	r = runCheck(t, &Check{Key: k, Codes: []string{code(47), code(48)}, LookAhead: DefaultLookAhead}, 0)
	wantOutcome(t, r, diag.StatusWarn, diag.CauseCounterDrift)
	if r.Findings[0].Severity != diag.SeverityWarn {
		t.Errorf("7 ahead, within what services look ahead: %s", r.Findings[0].Severity)
	}
	if ahead := factsOf(r).CounterAhead; ahead == nil || *ahead != 7 || !strings.Contains(r.Summary, "resynchronise the service to counter 49") {
		t.Errorf("counter_ahead %v, summary %q", ahead, r.Summary)
	}
	if counter := factsOf(r).Counter; counter == nil || *counter != 47 {
		t.Errorf("counter %v", counter)
	}

	// 300 ahead, found with a look-ahead of 1000: past what services look ahead.
	r = runCheck(t, &Check{Key: k, Codes: []string{code(340), code(341)}, LookAhead: 1000}, 0)
	wantOutcome(t, r, diag.StatusWarn, diag.CauseCounterDrift)
	if ahead := factsOf(r).CounterAhead; r.Findings[0].Severity != diag.SeverityFail || ahead == nil || *ahead != 300 {
		t.Errorf("300 ahead: %s, counter_ahead %v", r.Findings[0].Severity, ahead)
	}

	// Beyond the look-ahead: a search limit, said as such, not a claim of another key.
	r = runCheck(t, &Check{Key: k, Codes: []string{code(47), code(48)}, LookAhead: 5}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseSecretMismatch)
	if f := r.Findings[0]; f.Severity != diag.SeverityWarn || !strings.Contains(f.Message, "--look-ahead 1000 searches further") {
		t.Errorf("beyond the look-ahead: %s %q", f.Severity, f.Message)
	}
	// Past the most --look-ahead takes, it suggests no more than that, or nothing.
	for ahead, want := range map[uint64]string{
		MaxLookAhead / 2: fmt.Sprintf("--look-ahead %d searches further", MaxLookAhead),
		MaxLookAhead:     "further ahead than otpdoctor searches",
	} {
		if got := furtherAhead(ahead); !strings.Contains(got, want) {
			t.Errorf("furtherAhead(%d) = %q, want %q", ahead, got, want)
		}
	}

	sha256 := k
	sha256.Algorithm = secret.SHA256
	r = runCheck(t, &Check{Key: sha256, Codes: []string{code(41), code(42)}, LookAhead: DefaultLookAhead}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseParameterMismatch)
}

// A search the deadline ends says which search was cut short, and is unfinished (exit
// 1); one Ctrl-C ends says it was interrupted. Neither shows Go's error text.
func TestCutShort(t *testing.T) {
	env := &diag.Env{Now: func() time.Time { return now }}
	other := secret.Key{Secret: []byte("a different key entirely")}
	// Contexts that are already over: which phase of the search a running deadline
	// would cut depends on how busy the machine is, and the summary must not.
	deadline, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	interrupted, interrupt := context.WithCancel(context.Background())
	interrupt()
	for ctx, want := range map[context.Context]struct {
		summary    string
		unfinished bool
	}{
		deadline:    {"The search ran out of time before it found the code: SHA1, 6 digits, 30 s:", true},
		interrupted: {"The search was interrupted before it found the code.", false},
	} {
		c := &Check{Key: testKey, Codes: codesAt(other, now, 0, 2), Window: DefaultWindow, Deep: true}
		r := c.Run(ctx, env)
		wantOutcome(t, r, diag.StatusError)
		if !strings.HasPrefix(r.Summary, want.summary) || strings.Contains(r.Summary, "context") || r.Unfinished != want.unfinished {
			t.Errorf("summary %q (unfinished %v), want %q (unfinished %v)", r.Summary, r.Unfinished, want.summary, want.unfinished)
		}
	}
}

// Budgets follow each algorithm's measured cost and saturate: a huge look-ahead gets
// the cap, not an overflow or centuries.
func TestBudget(t *testing.T) {
	const timeout = 3 * time.Second
	base := diag.DefaultBudget(timeout)
	budget := func(c Check) time.Duration { return c.Budget(timeout) }
	narrow := budget(Check{Key: testKey, Window: DefaultWindow})
	deep := budget(Check{Key: testKey, Window: DefaultWindow, Deep: true})
	sha512 := testKey
	sha512.Algorithm = secret.SHA512
	deep512 := budget(Check{Key: sha512, Window: DefaultWindow, Deep: true})
	if narrow > base+time.Second || deep <= narrow || deep512 <= deep || deep512 > base+maxSearch {
		t.Errorf("budgets: default %s, deep %s, deep SHA512 %s (network %s, cap %s)", narrow, deep, deep512, base, maxSearch)
	}
	hotp := secret.Key{Type: secret.HOTP, Secret: testKey.Secret}
	for _, n := range []uint64{1e9, 1e18, math.MaxUint64} {
		if got := budget(Check{Key: hotp, LookAhead: n}); got != base+maxSearch {
			t.Errorf("--look-ahead %d: budget %s, want the cap %s", n, got, base+maxSearch)
		}
	}
	if got := budget(Check{Key: hotp, LookAhead: DefaultLookAhead}); got > base+time.Millisecond {
		t.Errorf("--look-ahead %d: budget %s, want about %s", DefaultLookAhead, got, base)
	}
	// The Go API takes any timeout: the longest saturates instead of wrapping negative.
	if got := (&Check{Key: hotp, LookAhead: math.MaxUint64}).Budget(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("the longest timeout: budget %s, want the longest duration", got)
	}
}

// An algorithm the search does not know is a clear, unfinished result, not a panic
// (the key parsers refuse it first; this is the search's own guard).
func TestUnknownAlgorithm(t *testing.T) {
	k := testKey
	k.Algorithm = "MD5"
	r := runCheck(t, &Check{Key: k, Codes: []string{"123456"}}, 0)
	wantOutcome(t, r, diag.StatusError)
	if !r.Unfinished || !strings.Contains(r.Summary, `"MD5" is not one otpdoctor computes codes with`) {
		t.Errorf("result %+v", r)
	}
	if code := HOTP(k, 1); code != "" {
		t.Errorf("HOTP under MD5 = %q, want none", code)
	}
}

// A backup code typed where the authenticator's code belongs is named as such, while a
// code of the key's own length is still searched as a code.
func TestBackupCodeInTheCodeField(t *testing.T) {
	for _, tc := range []struct {
		service, code string
		backup        bool
	}{
		{"github", "1a2b3-c4d5e", true},
		{"google", "1234 5678", true}, // 8 digits where Google's codes have 6
		{"google", codesAt(testKey, now, 0, 1)[0], false},
		{"generic", "1a2b3-c4d5e", false}, // the generic profile issues no backup codes
	} {
		p, _ := profile.Lookup(tc.service)
		env := &diag.Env{Now: func() time.Time { return now }, TrueTime: diag.NewTrueTime(), Service: p}
		env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNTP})
		r := run(t, &Check{Key: testKey, Codes: []string{tc.code}}, env)
		isBackup := strings.Contains(r.Summary, "backup code")
		if isBackup != tc.backup {
			t.Errorf("%s %q: summary %q, want backup=%v", tc.service, tc.code, r.Summary, tc.backup)
		}
		if isBackup && (r.Status != diag.StatusFail || len(r.Findings) != 1 || r.Findings[0].Cause != diag.CauseCodeTypo) {
			t.Errorf("%s %q: %+v", tc.service, tc.code, r)
		}
	}
}

// Without --window, two codes are searched a year either side, where they cannot match
// by chance; one code only a day, and one that matches nowhere is not claimed to come
// from another key.
func TestAutomaticWindow(t *testing.T) {
	env := func() *diag.Env {
		env := &diag.Env{Now: func() time.Time { return now }, TrueTime: diag.NewTrueTime()}
		env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNTP})
		return env
	}
	fortyDays := int64(40 * 2880)
	r := (&Check{Key: testKey, Codes: codesAt(testKey, now, fortyDays-1, 2)}).Run(context.Background(), env())
	wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
	if ws := factsOf(r).WindowSteps; ws != uint64(WideWindow/(30*time.Second)) {
		t.Errorf("window_steps %d, want a year's", ws)
	}
	r = (&Check{Key: testKey, Codes: codesAt(testKey, now, fortyDays, 1)}).Run(context.Background(), env())
	wantOutcome(t, r, diag.StatusFail, diag.CauseSecretMismatch)
	if f := r.Findings[0]; f.Severity != diag.SeverityWarn || !strings.Contains(f.Message, "give two consecutive codes") || !strings.Contains(f.Message, "within 24 h") {
		t.Errorf("one code nowhere within a day: %s %q", f.Severity, f.Message)
	}
}

// An authenticator on this computer shows codes as far off as this computer's clock,
// however odd the amount: that clock is searched before a wider window.
func TestSearchedAtThisComputersClock(t *testing.T) {
	ahead := 3*24*time.Hour + 7*time.Minute
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(testKey, now.Add(ahead), 0, 1), Window: NarrowWindow}, ahead)
	wantOutcome(t, r, diag.StatusFail, diag.CauseAuthenticatorClock)
	if likely := factsOf(r).LikelyClock; !strings.Contains(likely, "authenticator on this computer") {
		t.Errorf("likely_clock %q", likely)
	}
}

// Codes that match nowhere under the key given but do under another entry's key for
// the same account are that stale entry's, not another key's.
func TestStaleEntryTried(t *testing.T) {
	stale := secret.Key{Type: secret.TOTP, Secret: []byte("the stale entry's key")}
	r := runCheck(t, &Check{Key: testKey, Codes: codesAt(stale, now, -1, 2), Stale: []secret.Key{stale}}, 0)
	wantOutcome(t, r, diag.StatusFail, diag.CauseDuplicateEntry)
	if !strings.Contains(r.Summary, stale.Fingerprint()) {
		t.Errorf("summary %q does not name the stale entry", r.Summary)
	}
}
