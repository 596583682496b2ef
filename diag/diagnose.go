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

// Roles of a diagnosis in a report.
const (
	// RoleCause: the cause may explain why this code was refused.
	RoleCause = "cause"
	// RoleOther: something else found, worth fixing, that does not explain why this
	// code was refused (the evidence against says why).
	RoleOther = "other"
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
	// Role is RoleCause or RoleOther: causes come first, other things found after.
	Role string `json:"role"`
}

// Diagnose ranks the causes the checks' findings point to, most likely first.
//
// Every cause a finding names is a hypothesis. Its support is how strongly it was
// measured (its worst finding: fail 3, warn 2, info 1). The rules below then weigh
// each hypothesis against the evidence of every check, which no check can do alone:
// whether it predicts the refused code as it was found (it explains the code), whether
// the evidence contradicts it as the reason (it becomes another thing found), and how
// much confidence the evidence allows at most.
//
// Causes that may explain the code come first: those that explain it, then by
// support, then in check order. Confidence is high only when the cause was measured
// for certain and no other cause explains the evidence nearly as well.
func Diagnose(results []Result, env *Env) []Diagnosis {
	b := newBoard(results, env)
	for _, r := range rules {
		r.apply(b)
	}
	list := make([]*candidate, len(b.order))
	for i, cause := range b.order {
		list[i] = b.candidates[cause]
	}
	slices.SortStableFunc(list, func(x, y *candidate) int {
		return cmp.Or(
			cmp.Compare(boolRank(x.other), boolRank(y.other)),
			cmp.Compare(boolRank(!x.explains), boolRank(!y.explains)),
			cmp.Compare(y.effective(), x.effective()),
		)
	})
	out := make([]Diagnosis, 0, len(list))
	for i, c := range list {
		d := c.d
		d.Confidence, d.Role = confidenceOf(c, list[:i], list[i+1:]), RoleCause
		if c.other {
			d.Role = RoleOther
		}
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

// SplitDiagnosis parts a report's diagnosis into the causes that may explain why the
// code was refused and the other things found, each in rank order.
func SplitDiagnosis(list []Diagnosis) (causes, others []Diagnosis) {
	for _, d := range list {
		if d.Role == RoleOther {
			others = append(others, d)
		} else {
			causes = append(causes, d)
		}
	}
	return causes, others
}

// boolRank orders false before true.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// candidate is a cause under consideration.
type candidate struct {
	d     Diagnosis
	steps []Step // every step that may apply, Tailor picks
	// support is how strongly the cause was measured: its worst finding's weight, moved
	// by the rules.
	support int
	// explains: the code as it was found is what this cause predicts.
	explains bool
	// other: the evidence says this is not why the code was refused.
	other bool
	// ceiling is the highest confidence the evidence allows ("" when no rule limits it).
	ceiling string
}

// effective is support as far as the ceiling lets it count: a hint cannot outrank a
// measurement by being loud.
func (c *candidate) effective() int {
	switch c.ceiling {
	case ConfidenceLow:
		return min(c.support, 1)
	case ConfidenceMedium:
		return min(c.support, 2)
	}
	return c.support
}

// confidenceOf is c's confidence, ranked after above and before below. High needs a
// certain measurement (support 3) and the alternatives excluded: no cause ranked
// above, and none below that explains the code as well with as much support.
// A cause that is not the best explanation is at most medium.
func confidenceOf(c *candidate, above, below []*candidate) string {
	level := ConfidenceLow
	switch s := c.effective(); {
	case s >= 3:
		level = ConfidenceHigh
	case s == 2:
		level = ConfidenceMedium
	}
	if level == ConfidenceHigh && !c.other {
		if slices.ContainsFunc(above, func(a *candidate) bool { return !a.other }) {
			level = ConfidenceMedium
		}
		for _, rival := range below {
			if !rival.other && rival.explains == c.explains && rival.effective() >= c.effective() {
				level = ConfidenceMedium
			}
		}
	}
	if c.ceiling != "" && confidenceRank(c.ceiling) < confidenceRank(level) {
		level = c.ceiling
	}
	return level
}

func confidenceRank(level string) int {
	return slices.Index([]string{ConfidenceLow, ConfidenceMedium, ConfidenceHigh}, level)
}

// board holds the evidence the rules reason over.
type board struct {
	env        *Env
	results    map[string]Result
	candidates map[Cause]*candidate
	order      []Cause // first-seen order, for stable ties
}

func newBoard(results []Result, env *Env) *board {
	b := &board{env: env, results: map[string]Result{}, candidates: map[Cause]*candidate{}}
	for _, r := range results {
		b.results[r.ID] = r
		for _, f := range r.Findings {
			c := b.candidate(f.Cause, f.Message)
			if w := severityWeight(f.Severity); w > c.support {
				// The finding that heads a cause leads its fix too: its first steps are
				// the ones specific to what it measured.
				c.support, c.d.Summary = w, f.Message
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
		c = &candidate{d: Diagnosis{Cause: cause, Summary: summary, Evidence: []string{}, Checks: []string{}}}
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
		c.support += weight
		c.d.Evidence = AppendNew(c.d.Evidence, evidence)
	}
}

// doubt takes weight from a cause (never below 0) and records why.
func (b *board) doubt(cause Cause, weight int, against string) {
	if c, ok := b.candidates[cause]; ok {
		c.support = max(0, c.support-weight)
		c.d.Against = AppendNew(c.d.Against, against)
	}
}

// notWhy makes a cause another thing found: the evidence says the code was not
// refused for it.
func (b *board) notWhy(cause Cause, against string) {
	if c, ok := b.candidates[cause]; ok {
		c.other = true
		c.d.Against = AppendNew(c.d.Against, against)
	}
}

// limit caps the confidence a cause can have, saying why.
func (b *board) limit(cause Cause, level, against string) {
	if c, ok := b.candidates[cause]; ok {
		if c.ceiling == "" || confidenceRank(level) < confidenceRank(c.ceiling) {
			c.ceiling = level
		}
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

// foundBy reports whether check id has a finding of cause.
func (b *board) foundBy(id string, cause Cause) bool {
	return slices.ContainsFunc(b.results[id].Findings, func(f Finding) bool { return f.Cause == cause })
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

// code is what the codes check found of the code(s) the user gave.
type code struct {
	*CodesFacts
	// own: the match is under the key's own settings.
	own bool
}

// code returns what the codes check found, when it ran.
func (b *board) code() (code, bool) {
	f, ok := measured[*CodesFacts](b, CheckCodes)
	if !ok {
		return code{}, false
	}
	return code{CodesFacts: f, own: f.Matched && !b.foundBy(CheckCodes, CauseParameterMismatch)}, true
}

// validNow: the code matched, surely, under the key's own settings at the step it
// was expected at.
func (c code) validNow() bool {
	return c.own && !c.Possible && c.OffsetSteps != nil && *c.OffsetSteps == 0
}

// offsetRange is the authenticator's clock minus true time that the match implies.
func (c code) offsetRange() (lo, hi float64, ok bool) {
	if len(c.AuthenticatorOffsetSeconds) != 2 {
		return 0, 0, false
	}
	return c.AuthenticatorOffsetSeconds[0], c.AuthenticatorOffsetSeconds[1], true
}

// wideSearch is the half-width, in time, beyond which codes that match nowhere say
// something about the key rather than about how far was searched.
const wideSearch = 30 * 24 * time.Hour

// searchedWide: the codes were searched at least wideSearch either side.
func (c code) searchedWide() bool {
	return c.Period != nil && time.Duration(c.WindowSteps)*time.Duration(*c.Period)*time.Second >= wideSearch
}

// rule is one piece of reasoning across checks, with the one line that says why.
type rule struct {
	name, why string
	apply     func(*board)
}

// rules reason across checks. Each is small and stands alone; order matters only in
// that later rules see what earlier ones left.
var rules = []rule{
	{"codeFindingsExplainTheCode", "A cause the codes check found accounts for the code itself: it outranks faults that say nothing about the code.", codeFindingsExplainTheCode},
	{"codeValidNow", "A code valid now was not refused for anything that makes codes wrong: such faults are other things found.", codeValidNow},
	{"codeNotFromThisClock", "A code that matches near true time was not made on this computer's clock when that clock is a step or more off: fixing it is worth doing, but it is not why.", codeNotFromThisClock},
	{"matchOverridesCapability", "A code that matches under the key's own settings proves the app handles them: guesses that it ignores them are withdrawn.", matchOverridesCapability},
	{"unnamedAppIsAHint", "Without --app, what some apps ignore is a hint about apps in general, not a measurement of the user's.", unnamedAppIsAHint},
	{"authenticatorSharesThisClock", "Codes off by this computer's own offset are made on a clock set this computer's wrong way: fix this clock first.", authenticatorSharesThisClock},
	{"phoneClockNotThisOne", "With this computer's clock right, codes from another time point at the clock of the device that shows them.", phoneClockNotThisOne},
	{"phoneRightCodesOff", "A phone whose own clock is right, showing codes of another time, has an app that corrects time on its own or shows another entry.", phoneRightCodesOff},
	{"codesZoneShaped", "Codes off by a time zone's amount while this computer is right come from a device whose zone is set wrong: zone first, never the clock by hand.", codesZoneShaped},
	{"phoneZoneShaped", "A phone off by a time zone's amount has its zone set wrong: set the zone and automatic time, never the clock by hand.", phoneZoneShaped},
	{"keyIsTheSuspect", "Codes that match nowhere point at the key only when the key is sound, the clocks are right and the search was wide enough to exclude the rest.", keyIsTheSuspect},
	{"hotpBeyondLookAhead", "An HOTP code not found within --look-ahead may be further ahead: that is a search limit, not another key.", hotpBeyondLookAhead},
	{"serviceClockWitness", "The service judges codes by its own clock, but one unauthenticated Date header is one server's word: low confidence at most.", serviceClockWitness},
	{"outageMustConcernSignIn", "An outage explains a refused code only when it concerns sign-in or two-factor; otherwise it is also going on.", outageMustConcernSignIn},
}

// codeFindingsExplainTheCode: what the codes check itself found explains the code.
func codeFindingsExplainTheCode(b *board) {
	for _, c := range b.candidates {
		if slices.Contains(c.d.Checks, CheckCodes) {
			c.explains = true
		}
	}
}

// codeWrongCauses are the causes that predict a code the service refuses because the
// code itself is wrong.
var codeWrongCauses = []Cause{
	CauseDeviceClock, CauseTimezone, CauseAuthenticatorClock, CauseCodeExpired, CauseCodeTypo, CauseCounterDrift,
	CauseParameterMismatch, CauseSecretMismatch, CauseSecretInvalid, CauseDuplicateEntry,
}

// codeValidNow: a valid code was not refused for being wrong.
func codeValidNow(b *board) {
	if c, ok := b.code(); !ok || !c.validNow() {
		return
	}
	for _, cause := range codeWrongCauses {
		b.notWhy(cause, "Your code is valid now under the key you gave: it was not refused for being wrong. If the service still refuses such a code, look at the service.")
	}
}

// codeNotFromThisClock: codes near true time while this computer's clock is a step or
// more off were not made on this clock.
func codeNotFromThisClock(b *board) {
	offset, _, known := b.clockOffset()
	c, ok := b.code()
	if !known || !ok || !c.own || c.Possible || c.OffsetSteps == nil || abs64(*c.OffsetSteps) > 2 || c.Period == nil || math.Abs(offset) < float64(*c.Period) {
		return
	}
	msg := fmt.Sprintf("Your code was made on a clock near true time, not on this computer's clock (%s): this clock did not make it.", describeOffset(offset))
	b.notWhy(CauseDeviceClock, msg)
	b.notWhy(CauseTimezone, msg)
}

// matchOverridesCapability: a match under the key's own settings withdraws the secret
// check's guesses about the app.
func matchOverridesCapability(b *board) {
	c, ok := b.code()
	if !ok || !c.own || b.foundBy(CheckCodes, CauseParameterMismatch) {
		return
	}
	b.notWhy(CauseParameterMismatch, "Your code matches under the key's own settings, so your app handles them.")
}

// unnamedAppIsAHint: without --app, the secret check's capability warnings are hints.
func unnamedAppIsAHint(b *board) {
	if b.env.App != "" || b.foundBy(CheckCodes, CauseParameterMismatch) {
		return
	}
	b.limit(CauseParameterMismatch, ConfidenceLow, "No app was named (--app), so this is what some apps do, not what yours did.")
}

// authenticatorSharesThisClock: codes off by the same amount as this machine's clock
// (within a step) mean the authenticator runs on this clock, or on one set the same wrong
// way (a zone set wrong on both): fix this device first, not "the phone". Codes that
// may be valid now (their range holds 0) are off by nothing, so they say nothing here.
func authenticatorSharesThisClock(b *board) {
	offset, _, ok := b.clockOffset()
	c, ran := b.code()
	if !ok || !ran || math.Abs(offset) < ClockOK.Seconds() || c.Period == nil {
		return
	}
	lo, hi, ok := c.offsetRange()
	period := float64(*c.Period)
	if !ok || (lo <= 0 && hi >= 0) || offset < lo-period || offset > hi+period {
		return
	}
	same := fmt.Sprintf("Your codes are off by the same amount as this computer's clock (%s): the authenticator runs on this clock, or on one set the same wrong way.", describeOffset(offset))
	for _, cause := range []Cause{CauseDeviceClock, CauseTimezone} {
		b.support(cause, 1, same)
		fixing, ok := b.candidates[cause]
		if !ok {
			continue
		}
		fixing.explains = true
		// The codes came from the authenticator's device, which may be a phone set the same
		// wrong way: the steps that set it right go with the cause that now heads the list.
		if b.has(CauseAuthenticatorClock) {
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

// phoneOffset is the phone's measured clock offset, when the phone check measured it.
func (b *board) phoneOffset() (offset float64, phone *PhoneFacts, ok bool) {
	phone, ok = measured[*PhoneFacts](b, CheckPhone)
	if !ok || phone.OffsetSeconds == nil {
		return 0, nil, false
	}
	return *phone.OffsetSeconds, phone, true
}

// phoneRightCodesOff: the phone's clock is right, yet the codes belong to another
// time: the app shifts time on its own, or shows another entry's codes.
func phoneRightCodesOff(b *board) {
	offset, _, ok := b.phoneOffset()
	c, ran := b.code()
	if !ok || !ran || math.Abs(offset) >= ClockOK.Seconds() || !c.own || c.Possible || c.OffsetSteps == nil || abs64(*c.OffsetSteps) < 2 {
		return
	}
	cand, found := b.candidates[CauseAuthenticatorClock]
	if !found {
		return
	}
	cand.d.Summary = fmt.Sprintf("Your phone's clock is right (%s), yet your codes belong to another time: the authenticator app shifts time on its own (its time correction), or you are reading another entry for this account.", describeOffset(offset))
	cand.d.Evidence = AppendNew(cand.d.Evidence, "The phone's own browser measured its clock right, so the phone's clock is not what is off.")
	cand.steps = AppendSteps(On(DevicePhone, []Step{
		{App: "google-authenticator", Platform: PlatformAndroid, Text: "⋮ menu → Settings → Time correction for codes → Sync now, so the app drops its own correction."},
		{Text: "Open the authenticator and look for a second entry for this account: an old one shows codes of another key."},
		{Text: "Force-close the authenticator app and open it again, then compare its countdown with the true time otpdoctor shows."},
	}))
	cand.explains = true
}

// zoneSteps are the timezone steps for the device that holds the authenticator, the
// zone and automatic time first: moving its clock by hand is what caused the offset.
func zoneSteps(zone string) []Step {
	info, _ := LookupCause(CauseTimezone)
	where := ""
	if zone != "" {
		where = fmt.Sprintf(" (it reads %s now)", zone)
	}
	first := Step{Device: DevicePhone, Text: fmt.Sprintf("On your phone, set the time zone for where you are%s and turn on automatic date and time; do not move the clock by hand.", where)}
	return AppendSteps([]Step{first}, On(DevicePhone, info.Steps)...)
}

// codesZoneShaped: the codes are off by a zone's amount and this computer is right:
// the authenticator's device has its zone set wrong.
func codesZoneShaped(b *board) {
	_, right := b.clockRight()
	c, ran := b.code()
	if !right || !ran || !c.own || c.Possible {
		return
	}
	lo, hi, ok := c.offsetRange()
	if !ok {
		return
	}
	mid := time.Duration((lo + hi) / 2 * float64(time.Second))
	zone, shaped := ZoneShaped(mid)
	if !shaped {
		return
	}
	msg := fmt.Sprintf("Your codes are %s off, a time zone's amount (%s), and this computer's clock is right: the device that shows them has its time zone set wrong and its clock moved by hand to look right.", describeOffset(mid.Seconds()), HumanDuration(zone.Abs()))
	tz := b.candidate(CauseTimezone, msg)
	tz.d.Summary, tz.explains = msg, true
	tz.support = max(tz.support, severityWeight(SeverityFail))
	tz.d.Evidence = AppendNew(tz.d.Evidence, msg)
	tz.d.Checks = AppendNew(tz.d.Checks, CheckCodes)
	tz.steps = AppendSteps(zoneSteps(""), tz.steps...)
	b.doubt(CauseAuthenticatorClock, 3, "The codes are off by a time zone's amount: setting the phone's clock by hand is what causes this; set its zone instead.")
}

// phoneZoneShaped: the phone is off by a zone's amount: its zone is set wrong, and the
// first steps are about the zone and automatic time.
func phoneZoneShaped(b *board) {
	offset, phone, ok := b.phoneOffset()
	if !ok {
		return
	}
	zone, shaped := ZoneShaped(time.Duration(offset * float64(time.Second)))
	if !shaped {
		return
	}
	msg := fmt.Sprintf("Your phone's clock is %s, a time zone's amount (%s): its time zone is set wrong and its clock was moved by hand to look right.", describeOffset(offset), HumanDuration(zone))
	tz := b.candidate(CauseTimezone, msg)
	if tz.support < severityWeight(SeverityFail) {
		tz.d.Summary = msg
	}
	tz.support = max(tz.support, severityWeight(SeverityFail))
	tz.d.Evidence = AppendNew(tz.d.Evidence, msg)
	tz.d.Checks = AppendNew(tz.d.Checks, CheckPhone)
	tz.steps = AppendSteps(zoneSteps(phone.Timezone), tz.steps...)
	if c, ran := b.code(); ran && c.Matched && !c.Possible {
		if lo, hi, ok := c.offsetRange(); ok && offset >= lo-30 && offset <= hi+30 {
			tz.explains = true
			tz.d.Evidence = AppendNew(tz.d.Evidence, "Your codes are off by the same amount as the phone's clock.")
		}
	}
	b.doubt(CauseAuthenticatorClock, 3, "The phone is off by a time zone's amount: setting its clock by hand is what causes this; set its zone instead.")
}

// keyIsTheSuspect: codes that match nothing, with a sound key and a right clock, mean
// the app holds another key; a malformed key explains it instead. How sure depends on
// how much was searched: one code may simply be mistyped, and a narrow search excludes
// little.
func keyIsTheSuspect(b *board) {
	if !b.has(CauseSecretMismatch) {
		return
	}
	if b.failed(CauseSecretInvalid) {
		b.doubt(CauseSecretMismatch, 2, "The key you gave is itself malformed: fix it before comparing codes.")
		b.candidates[CauseSecretInvalid].explains = true
		return
	}
	if secret, ok := b.ran(CheckSecret); ok && secret.Status != StatusFail && !b.has(CauseSecretInvalid) {
		b.support(CauseSecretMismatch, 1, "The key you gave is sound, so its codes are right; the app's codes are not made from it.")
	}
	if _, right := b.clockRight(); right {
		b.support(CauseSecretMismatch, 1, "This computer's clock is right, and the codes were searched around true time: no clock explains the mismatch.")
	}
	c, ran := b.code()
	switch {
	case !ran || c.Counter != nil || c.Period == nil:
	case c.Codes < 2:
		b.limit(CauseSecretMismatch, ConfidenceLow, "Only one code was given: a single mistyped or stale code matches nowhere too. Give two consecutive codes (--code A --code B) to tell.")
	case !c.Matched && (c.Algorithm != "SHA1" || c.Digits != 6 || *c.Period != 30):
		b.limit(CauseSecretMismatch, ConfidenceMedium, "The key asks for other settings than SHA1, 6 digits, 30 s, which apps that ignore them use instead; those were searched only near true time, so a phone clock off as well is not excluded.")
	case !c.searchedWide():
		b.limit(CauseSecretMismatch, ConfidenceMedium, fmt.Sprintf("The codes were searched only %s either side of true time: a clock further off is not excluded (--window 30d searches wider).", HumanDuration(time.Duration(c.WindowSteps)*time.Duration(*c.Period)*time.Second)))
	}
}

// hotpBeyondLookAhead: an HOTP code not found within the look-ahead is a search limit.
func hotpBeyondLookAhead(b *board) {
	c, ran := b.code()
	if !ran || c.Period != nil || c.Matched {
		return
	}
	b.limit(CauseSecretMismatch, ConfidenceLow, "Counter-based codes were searched only up to --look-ahead counters ahead: a token pressed more often is further ahead (try --look-ahead 1000).")
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
		// is off; weighed by the clock thresholds, and by how much one answer is worth.
		c := b.candidate(CauseDeviceClock, "This computer's clock is "+describeOffset(serverOffset)+", going by the service's clock (no time server answered).")
		c.support = max(c.support, severityWeight(SeverityWarn))
		if math.Abs(serverOffset) >= ClockFail.Seconds() {
			c.support = max(c.support, severityWeight(SeverityFail))
		}
		c.d.Evidence = AppendNew(c.d.Evidence, witness)
		c.d.Checks = AppendNew(c.d.Checks, CheckStatus)
		if status.ServerTimeSource == "date-header" || status.ServerTimeSource == "" {
			b.limit(CauseDeviceClock, ConfidenceLow, "Only one server's Date header says so, and nothing checks it: confirm with a time server (--ntp-server) or another network.")
		} else {
			b.limit(CauseDeviceClock, ConfidenceMedium, "Only the service's clock says so: no time server answered to confirm it.")
		}
	}
}

// outageMustConcernSignIn: an outage elsewhere at the service is also going on, not why
// the code was refused; one that concerns sign-in or 2FA comes first, since nothing on
// the user's side needs fixing while it lasts.
func outageMustConcernSignIn(b *board) {
	if !b.has(CauseServiceOutage) {
		return
	}
	status, _ := measured[*StatusFacts](b, CheckStatus)
	if status == nil || !affectsSignIn(status) {
		b.notWhy(CauseServiceOutage, "The service's trouble does not concern sign-in or two-factor, going by its status page's components and incidents.")
		return
	}
	c := b.candidates[CauseServiceOutage]
	c.explains = true
	if c.support >= 2 {
		b.support(CauseServiceOutage, 2, "While the service is down, codes can be refused however right they are: nothing on your side needs fixing first.")
	}
}

// affectsSignIn reports whether the service's trouble concerns signing in: a sign-in,
// 2FA or API component not operational, or an incident or maintenance about them; a
// status API without components (an exchange's) speaks for the whole service, as does
// a service that cannot be reached at all.
func affectsSignIn(s *StatusFacts) bool {
	for _, c := range s.Components {
		if c.Relevant && c.Status != "operational" {
			return true
		}
	}
	for _, i := range slices.Concat(s.Incidents, s.Maintenances) {
		if i.Relevant && i.Active {
			return true
		}
	}
	whole := len(s.Components) == 0 && len(s.Incidents) == 0 && len(s.Maintenances) == 0
	return s.Failure != "" || whole && slices.Contains([]string{"maintenance", "major", "critical"}, s.Indicator)
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
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

// AppendNew appends the items of add that list does not hold yet.
func AppendNew(list []string, add ...string) []string {
	for _, s := range add {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
