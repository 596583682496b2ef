package diag

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Confidence levels of a diagnosis.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// Diagnosis is one ranked cause with what supports it and what fixes it.
type Diagnosis struct {
	Cause      Cause    `json:"cause"`
	Confidence string   `json:"confidence"`
	Summary    string   `json:"summary"`
	Evidence   []string `json:"evidence"`
	// Against is the evidence that speaks against this cause.
	Against []string `json:"evidence_against,omitempty"`
	// Fix is Steps as text, each saying where it applies when the report does not.
	Fix []string `json:"fix"`
	// Steps are the steps that fix the cause, tailored to the report's devices and app.
	Steps []Step `json:"steps"`
	// Checks are the ids of the checks whose findings support this cause.
	Checks []string `json:"checks"`
	// Docs is the path of the cause's page in otpdoctor's repository.
	Docs string `json:"docs"`
}

// Diagnose ranks the causes the checks' findings point to, most likely first.
//
// Each finding gives its cause a weight (fail 3, warn 2, info 1). Then the rules below
// reason across checks, which no check can do alone: they move weight between causes and
// add evidence for and against. Weight decides rank and confidence (3 or more: high,
// 2: medium, less: low); ties keep the order of the checks.
func Diagnose(results []Result, env *Env) []Diagnosis {
	b := newBoard(results)
	for _, rule := range rules {
		rule(b)
	}
	list := make([]*candidate, len(b.order))
	for i, cause := range b.order {
		list[i] = b.candidates[cause]
	}
	slices.SortStableFunc(list, func(x, y *candidate) int { return cmp.Compare(y.weight, x.weight) })
	out := make([]Diagnosis, 0, len(list))
	for _, c := range list {
		d := c.d
		d.Confidence = confidenceOf(c.weight)
		if len(c.steps) == 0 {
			c.steps = FixSteps(d.Cause)
		}
		d.Steps = Tailor(c.steps, env)
		d.Fix = StepTexts(d.Steps, env)
		d.Docs = DocsPath(d.Cause)
		out = append(out, d)
	}
	return out
}

// candidate is a cause under consideration.
type candidate struct {
	d      Diagnosis
	steps  []Step // every step that may apply, Tailor picks
	weight int
}

// board holds the evidence the rules reason over.
type board struct {
	results    map[string]Result
	candidates map[Cause]*candidate
	order      []Cause // first-seen order, for stable ties
}

func newBoard(results []Result) *board {
	b := &board{results: map[string]Result{}, candidates: map[Cause]*candidate{}}
	for _, r := range results {
		b.results[r.ID] = r
		for _, f := range r.Findings {
			c := b.candidate(f.Cause, f.Message)
			if w := severityWeight(f.Severity); w > c.weight {
				// The finding that heads a cause leads its fix too: its first steps are
				// the ones specific to what it measured.
				c.weight, c.d.Summary = w, f.Message
				c.steps = AppendSteps(slices.Clone(f.Steps), c.steps...)
			}
			c.d.Evidence = AppendNew(c.d.Evidence, f.Message)
			c.steps = AppendSteps(c.steps, f.Steps...)
			c.d.Checks = AppendNew(c.d.Checks, r.ID)
		}
	}
	return b
}

// candidate returns the candidate for cause, creating it with summary when new.
func (b *board) candidate(cause Cause, summary string) *candidate {
	c, ok := b.candidates[cause]
	if !ok {
		c = &candidate{d: Diagnosis{Cause: cause, Summary: summary}}
		b.candidates[cause] = c
		b.order = append(b.order, cause)
	}
	return c
}

func (b *board) has(cause Cause) bool { _, ok := b.candidates[cause]; return ok }

// failed reports whether a check found cause with severity fail.
func (b *board) failed(cause Cause) bool {
	for _, r := range b.results {
		for _, f := range r.Findings {
			if f.Cause == cause && f.Severity == SeverityFail {
				return true
			}
		}
	}
	return false
}

// support adds weight and evidence to a cause already found.
func (b *board) support(cause Cause, weight int, evidence string) {
	if c, ok := b.candidates[cause]; ok {
		c.weight += weight
		c.d.Evidence = AppendNew(c.d.Evidence, evidence)
	}
}

// doubt takes weight from a cause (never below 0) and records why.
func (b *board) doubt(cause Cause, weight int, against string) {
	if c, ok := b.candidates[cause]; ok {
		c.weight = max(0, c.weight-weight)
		c.d.Against = AppendNew(c.d.Against, against)
	}
}

// ran reports whether a check ran and measured (not skipped, not an error).
func (b *board) ran(id string) (Result, bool) {
	r, ok := b.results[id]
	return r, ok && (r.Status == StatusOK || r.Status == StatusWarn || r.Status == StatusFail)
}

// measured is the facts of check id when it ran and measured.
func measured[F Facts](b *board, id string) (F, bool) {
	r, ran := b.ran(id)
	f, ok := r.Facts.(F)
	return f, ran && ok
}

// clockOffset is this machine's measured offset and its uncertainty, when a reference answered.
func (b *board) clockOffset() (offset, uncertainty float64, ok bool) {
	clock, ran := measured[*ClockFacts](b, CheckClock)
	if !ran || clock.OffsetSeconds == nil {
		return 0, 0, false
	}
	if clock.UncertaintySeconds != nil {
		uncertainty = *clock.UncertaintySeconds
	}
	return *clock.OffsetSeconds, uncertainty, true
}

// clockRight: a reference answered and this machine is within the ok threshold.
func (b *board) clockRight() (uncertainty float64, ok bool) {
	offset, u, known := b.clockOffset()
	return u, known && math.Abs(offset) < ClockOK.Seconds()
}

// rules reason across checks. Each is small and stands alone; order matters only in
// that later rules see the weights earlier ones left.
var rules = []func(*board){
	authenticatorSharesThisClock,
	phoneClockNotThisOne,
	keyIsTheSuspect,
	serviceClockWitness,
	outageFirst,
}

// authenticatorSharesThisClock: codes off by the same amount as this machine's clock
// (within a step) mean the authenticator runs on this clock, or on one set the same wrong
// way (a zone set wrong on both): fix this device first, not "the phone". Codes that
// may be valid now (their range holds 0) are off by nothing, so they say nothing here.
func authenticatorSharesThisClock(b *board) {
	offset, _, ok := b.clockOffset()
	codes, ran := measured[*CodesFacts](b, CheckCodes)
	if !ok || !ran || math.Abs(offset) < ClockOK.Seconds() || len(codes.AuthenticatorOffsetSeconds) != 2 {
		return
	}
	lo, hi := codes.AuthenticatorOffsetSeconds[0], codes.AuthenticatorOffsetSeconds[1]
	period := 0.0
	if codes.Period != nil {
		period = float64(*codes.Period)
	}
	if (lo <= 0 && hi >= 0) || offset < lo-period || offset > hi+period {
		return
	}
	same := fmt.Sprintf("Your codes are off by the same amount as this computer's clock (%s): the authenticator runs on this clock, or on one set the same wrong way.", describeOffset(offset))
	for _, c := range []Cause{CauseDeviceClock, CauseTimezone} {
		b.support(c, 1, same)
		// The codes came from the authenticator's device, which may be a phone set the same
		// wrong way: the steps that set it right go with the cause that now heads the list.
		if fixing, ok := b.candidates[c]; ok && b.has(CauseAuthenticatorClock) {
			fixing.steps = AppendSteps(fixing.steps, Step{Device: DevicePhone, Text: "Your authenticator's codes are off the same way: if it runs on another device, such as your phone, set that device's clock right too."})
			fixing.steps = AppendSteps(fixing.steps, b.candidates[CauseAuthenticatorClock].steps...)
		}
	}
	b.doubt(CauseAuthenticatorClock, 2, same)
	b.doubt(CauseCodeExpired, 2, same)
}

// phoneClockNotThisOne: this machine's clock is right and the codes belong to another
// time, so it is the phone's clock that is off.
func phoneClockNotThisOne(b *board) {
	u, right := b.clockRight()
	if !right || !b.has(CauseAuthenticatorClock) {
		return
	}
	b.support(CauseAuthenticatorClock, 1, fmt.Sprintf("This computer's clock is right (within %.2f s of true time), so the difference is in the device that shows the codes.", u))
}

// keyIsTheSuspect: a code that matches nothing, with a sound key and a right clock,
// means the app holds another key; a malformed key explains it instead. A key that is
// only short (a warning) still makes codes, and the app's are not among them.
func keyIsTheSuspect(b *board) {
	if !b.has(CauseSecretMismatch) {
		return
	}
	if b.failed(CauseSecretInvalid) {
		b.doubt(CauseSecretMismatch, 2, "The key you gave is itself malformed: fix it before comparing codes.")
		return
	}
	if secret, ok := b.ran(CheckSecret); ok && secret.Status != StatusFail && !b.has(CauseSecretInvalid) {
		b.support(CauseSecretMismatch, 1, "The key you gave is sound, so its codes are right; the app's codes are not made from it.")
	}
	if _, right := b.clockRight(); right {
		b.support(CauseSecretMismatch, 1, "This computer's clock is right, and the codes were searched around true time: no clock explains the mismatch.")
	}
}

// serviceClockWitness: the service judges codes, so its clock is evidence about ours.
func serviceClockWitness(b *board) {
	status, ok := measured[*StatusFacts](b, CheckStatus)
	if !ok || status.ServerOffsetSeconds == nil {
		return
	}
	serverOffset := *status.ServerOffsetSeconds
	witness := fmt.Sprintf("The service's own clock says this computer is %s.", describeOffset(serverOffset))
	offset, u, known := b.clockOffset()
	switch {
	case known && math.Abs(serverOffset-offset) <= max(2, u+1):
		b.support(CauseDeviceClock, 0, witness)
		b.support(CauseTimezone, 0, witness)
	case !known && math.Abs(serverOffset) >= ClockOK.Seconds():
		// No time server answered: the service is the only witness, and it says the clock
		// is off; weighed by the clock check's own thresholds (15 s fails, 3 s warns).
		c := b.candidate(CauseDeviceClock, "This computer's clock is "+describeOffset(serverOffset)+", going by the service's clock (no time server answered).")
		c.weight = max(c.weight, severityWeight(SeverityWarn))
		if math.Abs(serverOffset) >= ClockFail.Seconds() {
			c.weight = max(c.weight, severityWeight(SeverityFail))
		}
		c.d.Evidence = AppendNew(c.d.Evidence, witness)
		c.d.Checks = AppendNew(c.d.Checks, CheckStatus)
	}
}

// outageFirst: when the service reports an incident or maintenance, nothing local needs
// fixing first: wait. A failure counts however it was found; a warning only when the
// service's own status says it is in maintenance or down (its word, not a guess from a
// malformed answer), since a status page rates sign-in "under maintenance" a warning.
func outageFirst(b *board) {
	c, ok := b.candidates[CauseServiceOutage]
	if !ok {
		return
	}
	status, ok := measured[*StatusFacts](b, CheckStatus)
	reported := ok && slices.Contains([]string{"maintenance", "major", "critical"}, status.Indicator)
	if c.weight >= 3 || (c.weight >= 2 && reported) {
		b.support(CauseServiceOutage, 2, "While the service is down, codes can be refused however right they are: nothing on your side needs fixing first.")
	}
}

// describeOffset says an offset in words: "2 min 5 s ahead", "3 s behind", "right".
func describeOffset(seconds float64) string {
	dir := "ahead"
	if seconds < 0 {
		dir, seconds = "behind", -seconds
	}
	if seconds < 0.5 {
		return "right"
	}
	return HumanDuration(time.Duration(seconds*float64(time.Second))) + " " + dir
}

// Advice is "avoid it next time", general and then the service's own.
func Advice(env *Env) []string {
	advice := []string{
		"Keep automatic date, time and time zone on, on your computer and on your phone.",
		"Keep your backup codes or backup key offline (printed, or in a password manager), not only on the phone that holds your authenticator.",
		"Set up a second way to sign in (a second authenticator, a security key or backup codes) before you need it.",
	}
	if env.Service != nil {
		advice = append(advice, env.Service.Advice...)
	}
	return advice
}

func severityWeight(s Severity) int {
	switch s {
	case SeverityFail:
		return 3
	case SeverityWarn:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

func confidenceOf(weight int) string {
	switch {
	case weight >= 3:
		return ConfidenceHigh
	case weight == 2:
		return ConfidenceMedium
	}
	return ConfidenceLow
}

// AppendNew appends the items of add that list does not hold yet.
func AppendNew(list []string, add ...string) []string {
	for _, s := range add {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
