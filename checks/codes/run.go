package codes

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// search is one run of the codes check: the stages tried in order, what they cost in
// chance, and what the first match means.
type search struct {
	check *Check
	key   secret.Key // with defaults
	codes []string   // digits only, oldest first
	now   time.Time  // true time, or this machine's clock when no reference answered
	// firstAt is, in the same time, when the first code was read, if known.
	firstAt time.Time
	// hostOffset is this machine's clock minus true time, when a reference measured it:
	// an authenticator on this machine shows codes that far off.
	hostOffset time.Duration
	env        *diag.Env
	facts      diag.CodesFacts
	details    []string
	chance     float64 // expected accidental matches over everything searched so far
	// hotpStart is the counter an HOTP key's next code should have (0 when not given).
	hotpStart uint64
	cutShort  string // the stage the deadline ended, when it did
	gens      map[Params]*Generator
}

// stage is one window searched under one setting.
type stage struct {
	name   string // what was searched, for the progress line
	group  string // what was searched, for the facts: stages of one kind share it
	params Params
	span   Span
	clock  string // the likely wrong clock this stage tests; "" for a window around the reference
	// lone, when set, is the one code (1-based) this stage looks for on its own; 0 means
	// all the codes, at consecutive steps.
	lone int
}

// match is where a stage found the codes.
type match struct {
	stage   stage
	counter uint64 // of the first code
}

// Wrong clocks phones are known to have, tried before a brute-force search: a time zone
// set wrong (and the clock moved by hand to look right), a reset to a default date, and
// a GPS week-number rollover.
var (
	zoneShifts = func() []time.Duration {
		var shifts []time.Duration
		for h := 1; h <= 14; h++ {
			shifts = append(shifts, time.Duration(h)*time.Hour)
		}
		for _, m := range []int{3*60 + 30, 4*60 + 30, 5*60 + 30, 5*60 + 45, 6*60 + 30, 8*60 + 45, 9*60 + 30, 10*60 + 30, 12*60 + 45, 13*60 + 45} {
			shifts = append(shifts, time.Duration(m)*time.Minute)
		}
		return shifts
	}()
	resetDates = []time.Time{time.Unix(0, 0).UTC(), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	// resetSpan is how long after a reset date is searched: long enough for a phone
	// that reset at boot, short enough that a single code's ±24 h search stays under
	// a 1% chance of an accidental match.
	resetSpan      = 6 * time.Hour
	gpsRollover    = 1024 * 7 * 24 * time.Hour
	otherAlgorithm = []secret.Algorithm{secret.SHA1, secret.SHA256, secret.SHA512}
	otherDigits    = []int{6, 7, 8} // RFC 4226's range: a shorter code has lost a zero
	otherPeriods   = []int{30, 60}
)

func (s *search) run(ctx context.Context) diag.Result {
	if s.key.Type == secret.HOTP {
		return s.runHOTP(ctx)
	}
	own := paramsOf(s.key)
	narrow := min(NarrowWindow, s.check.window())

	if r, done := s.attempt(ctx, s.window(own, narrow), s.judgeTime); done {
		return r
	}
	if r, done := s.attempt(ctx, s.otherParams(own, narrow), s.judgeParams); done {
		return r
	}
	if r, ok := s.typo(own, s.expected(own)); ok {
		return r
	}
	later := s.likelyClocks(own, narrow)
	if s.check.window() > narrow {
		later = append(later, s.window(own, s.check.window())...)
	}
	if s.check.Deep {
		later = append(later, s.deep(own)...)
	}
	if r, done := s.attempt(ctx, later, s.judgeTime); done {
		return r
	}
	if r, done := s.attempt(ctx, s.lone(own, narrow), s.judgeLone); done {
		return r
	}
	if r, ok := s.staleEntry(narrow); ok {
		return r
	}
	return s.noMatch()
}

// lone are the stages that look for each of several codes on its own near its expected
// step: codes that are not from consecutive steps match nowhere together.
func (s *search) lone(own Params, half time.Duration) []stage {
	if len(s.codes) < 2 {
		return nil
	}
	var stages []stage
	for _, st := range s.window(own, half) {
		for i := range s.codes {
			lone := st
			lone.lone = i + 1
			lone.name = fmt.Sprintf("each code on its own, %s", st.name)
			lone.group = lone.name
			lone.span = Span{Lo: addSaturating(st.span.Lo, uint64(i)), Center: addSaturating(st.span.Center, uint64(i)), Hi: addSaturating(st.span.Hi, uint64(i))}
			stages = append(stages, lone)
		}
	}
	return stages
}

// judgeLone: one of several codes matches on its own, the codes together nowhere.
func (s *search) judgeLone(m match) diag.Result {
	i := m.stage.lone
	offset := int64(m.counter - s.expected(m.stage.params) - uint64(i-1))
	where := "at its expected step"
	if offset != 0 {
		where = stepsText(abs(offset)) + " from its expected step"
	}
	msg := fmt.Sprintf("the codes are not from consecutive steps: code %d alone is valid %s, the codes together nowhere; "+
		"give codes exactly as they follow one another, or one fresh code", i, where)
	return s.result(diag.StatusWarn, msg)
}

// runHOTP looks ahead of the key's counter, under its settings and then the others.
func (s *search) runHOTP(ctx context.Context) diag.Result {
	own := paramsOf(s.key)
	if s.key.HasCounter {
		s.hotpStart = s.key.Counter
	}
	start := s.hotpStart
	span := Span{Lo: start, Center: start, Hi: addSaturating(start, s.check.LookAhead)}
	name := func(p Params) string {
		return fmt.Sprintf("%s: counters %d to %d", p, span.Lo, span.Hi)
	}
	var others []stage
	for _, p := range s.candidates(own, false) {
		others = append(others, stage{name: name(p), params: p, span: span})
	}
	if r, done := s.attempt(ctx, s.matching([]stage{{name: name(own), params: own, span: span}}), s.judgeCounter); done {
		return r
	}
	if r, done := s.attempt(ctx, others, s.judgeParams); done {
		return r
	}
	if r, ok := s.typo(own, start+1); ok { // the next code, and the one either side
		return r
	}
	return s.noMatch()
}

// expected is the step the first code belongs to if the app's clock is right: the step
// of --code-time, or, without it, the step before the last code's, which is now's. For
// HOTP it is the key's counter.
func (s *search) expected(p Params) uint64 {
	if s.key.Type == secret.HOTP {
		return s.hotpStart
	}
	k := s.key
	k.Period = p.Period
	if !s.firstAt.IsZero() {
		return Counter(k, s.firstAt)
	}
	return subSaturating(Counter(k, s.now), uint64(len(s.codes)-1))
}

// window is the stage searching ±half around the expected step under p.
func (s *search) window(p Params, half time.Duration) []stage {
	e := s.expected(p)
	steps := uint64(half / (time.Duration(p.Period) * time.Second))
	st := stage{
		name:   fmt.Sprintf("%s: ±%s (±%d steps)", p, diag.HumanDuration(half), steps),
		params: p,
		span:   Span{Lo: subSaturating(e, steps), Center: e, Hi: addSaturating(e, steps)},
	}
	return s.matching([]stage{st})
}

// otherParams are the narrow windows under every other common setting.
func (s *search) otherParams(own Params, half time.Duration) []stage {
	var stages []stage
	for _, p := range s.candidates(own, true) {
		stages = append(stages, s.window(p, half)...)
	}
	return stages
}

// candidates are the common settings other than own that give codes as long as the
// user's: SHA1/SHA256/SHA512 × 6 to 8 digits × 30/60 s (and the key's own digits and
// period).
func (s *search) candidates(own Params, periods bool) []Params {
	if own.Encoding == secret.Steam {
		return nil // Steam Guard has one setting: no app makes its codes another way
	}
	var out []Params
	ps := []int{0}
	if periods {
		ps = append([]int{own.Period}, otherPeriods...)
	}
	for _, alg := range otherAlgorithm {
		for _, d := range append([]int{own.Digits}, otherDigits...) {
			for _, per := range ps {
				p := Params{Algorithm: alg, Digits: d, Period: per}
				if p != own && d == len(s.codes[0]) && !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// likelyClocks are the stages for the wrong clocks phones are known to have.
func (s *search) likelyClocks(own Params, half time.Duration) []stage {
	var stages []stage
	period := time.Duration(own.Period) * time.Second
	steps := uint64(half / period)
	around := func(shift time.Duration, clock, group string) {
		name := fmt.Sprintf("the phone's clock %s off", diag.HumanDuration(shift))
		e := s.expected(own)
		center := Counter(s.key, time.Unix(int64(e)*int64(own.Period), 0).Add(shift))
		stages = append(stages, stage{
			name: name, group: group, params: own, clock: clock,
			span: Span{Lo: subSaturating(center, steps), Center: center, Hi: addSaturating(center, steps)},
		})
	}
	if s.hostOffset.Abs() >= period {
		around(s.hostOffset, "likely an authenticator on this computer, whose clock is off the same way", "this computer's clock (an authenticator on this computer)")
	}
	zones := fmt.Sprintf("the phone's clock off by a time zone (±1 to 14 h, and the half- and quarter-hour zones), ±%s each", diag.HumanDuration(half))
	const zone = "likely a time zone set wrong (and the clock moved by hand to look right)"
	for _, shift := range zoneShifts {
		around(shift, zone, zones)
		around(-shift, zone, zones)
	}
	around(-gpsRollover, "likely a GPS week-number rollover (1024 weeks)", "the phone's date 1024 weeks behind (a GPS week-number rollover)")
	for _, date := range resetDates {
		lo := Counter(s.key, date)
		stages = append(stages, stage{
			name:   fmt.Sprintf("the phone's clock reset to %s, up to %s after it", date.Format(time.DateOnly), diag.HumanDuration(resetSpan)),
			params: own, clock: fmt.Sprintf("likely a reset to %s", date.Format(time.DateOnly)),
			span: Span{Lo: lo, Center: lo, Hi: Counter(s.key, date.Add(resetSpan))},
		})
	}
	return s.matching(stages)
}

// deep is the stage from 1970 to 30 years ahead.
func (s *search) deep(own Params) []stage {
	e := s.expected(own)
	hi := max(e, Counter(s.key, s.now.AddDate(deepYearsAhead, 0, 0)))
	return s.matching([]stage{{
		name:   fmt.Sprintf("%s: from 1970 to %d", own, s.now.Year()+deepYearsAhead),
		params: own,
		span:   Span{Lo: 0, Center: e, Hi: hi},
	}})
}

// matching keeps the stages whose digit count is the codes' length: no other can match.
func (s *search) matching(stages []stage) []stage {
	var out []stage
	for _, st := range stages {
		if st.params.Digits == len(s.codes[0]) {
			out = append(out, st)
		}
	}
	return out
}

// attempt searches stages; done when they matched (the result is judge's) or when the
// search was cut short.
func (s *search) attempt(ctx context.Context, stages []stage, judge func(match) diag.Result) (r diag.Result, done bool) {
	m, ok, err := s.try(ctx, stages)
	switch {
	case err != nil:
		return s.unfinished(err), true
	case ok:
		return judge(m), true
	}
	return diag.Result{}, false
}

// try runs stages in order and stops at the first match; err is set when ctx ended.
func (s *search) try(ctx context.Context, stages []stage) (m match, ok bool, err error) {
	for _, st := range stages {
		if st.group == "" {
			st.group = st.name
		}
		if n := len(s.facts.Searched); n == 0 || s.facts.Searched[n-1] != st.group {
			s.facts.Searched = append(s.facts.Searched, st.group)
		}
		g := s.generator(st.params)
		codes := s.codes
		if st.lone > 0 {
			codes = codes[st.lone-1 : st.lone]
		}
		values := make([]uint32, len(codes))
		for i, code := range codes {
			values[i] = st.params.valueOf(code)
		}
		var progress Progress
		if s.check.Progress != nil {
			progress = func(done, total uint64) { s.check.Progress(st.name, done, total) }
		}
		counter, found := g.Find(ctx, values, st.span, progress)
		if err := ctx.Err(); err != nil {
			s.facts.Searched[len(s.facts.Searched)-1] += " (cut short)"
			s.cutShort = st.name
			return match{}, false, err
		}
		s.chance += float64(st.span.Steps()) * math.Pow(st.params.codeSpace(), -float64(len(codes)))
		if st.clock == "" && st.lone == 0 && st.params == paramsOf(s.key) {
			s.facts.WindowSteps = max(s.facts.WindowSteps, st.span.Center-st.span.Lo, st.span.Hi-st.span.Center)
		}
		if found {
			return match{stage: st, counter: counter}, true, nil
		}
	}
	return match{}, false, nil
}

func (s *search) generator(p Params) *Generator {
	if s.gens == nil {
		s.gens = map[Params]*Generator{}
	}
	g, ok := s.gens[p]
	if !ok {
		g = newGenerator(p, s.key.Secret)
		s.gens[p] = g
	}
	return g
}

// result fills the facts and details every outcome carries.
func (s *search) result(status diag.Status, summary string, findings ...diag.Finding) diag.Result {
	s.facts.ChanceMatches = s.chance
	s.details = append(s.details, fmt.Sprintf("Expected accidental matches over everything searched: %.2g.", s.chance))
	for _, name := range s.facts.Searched {
		s.details = append(s.details, "Searched "+name+".")
	}
	for i := range findings {
		findings[i].Message = sentence(findings[i].Message)
	}
	return diag.Result{Status: status, Summary: sentence(summary), Facts: &s.facts, Findings: findings, Details: s.details}
}

// sentence starts text with a capital and ends it with a full stop, as the other
// checks' summaries are; the messages above are written as clauses because they are
// also built into longer sentences.
func sentence(text string) string {
	r, size := utf8.DecodeRuneInString(text)
	text = string(unicode.ToUpper(r)) + text[size:]
	if !strings.HasSuffix(text, ".") {
		text += "."
	}
	return text
}

// matched records m in the facts and returns its offset in steps from the expected step.
func (s *search) matched(m match) int64 {
	p := m.stage.params
	s.facts.Matched = true
	s.facts.Algorithm, s.facts.Digits, s.facts.Period = string(p.Algorithm), p.Digits, p.periodFact()
	s.facts.LikelyClock = m.stage.clock
	offset := int64(m.counter - s.expected(p))
	s.facts.OffsetSteps = &offset
	if p.Period > 0 {
		lo, hi := s.authenticatorOffset(p, m.counter)
		s.facts.AuthenticatorOffsetSeconds = []float64{lo, hi}
	} else {
		ahead := uint64(offset)
		s.facts.Counter, s.facts.CounterAhead = &m.counter, &ahead
	}
	s.facts.Possible = len(s.codes) == 1 && s.chance > possibleChance
	return offset
}

// authenticatorOffset is the range the app's clock minus true time lies in, given that
// the first code is at counter: shown at --code-time, or now for the last code. When
// both the first and the last code were timed as read, the clock fits both readings.
func (s *search) authenticatorOffset(p Params, counter uint64) (lo, hi float64) {
	last := counter + uint64(len(s.codes)-1)
	if s.firstAt.IsZero() {
		return offsetRange(p, last, s.now)
	}
	lo, hi = offsetRange(p, counter, s.firstAt)
	if s.check.CodeTime.IsZero() && len(s.codes) > 1 {
		lastLo, lastHi := offsetRange(p, last, s.now)
		if max(lo, lastLo) < min(hi, lastHi) { // else a reading was slow: keep the first's
			lo, hi = max(lo, lastLo), min(hi, lastHi)
		}
	}
	return lo, hi
}

// offsetRange is the range the app's clock minus true time lies in when it showed the
// code of step shown at true time at.
func offsetRange(p Params, shown uint64, at time.Time) (lo, hi float64) {
	start := float64(shown)*float64(p.Period) - float64(at.UnixMilli())/1000
	return math.Round(start*10) / 10, math.Round((start+float64(p.Period))*10) / 10
}

// describeOffset is the app's clock offset in words, from the facts, to the precision
// a code gives (its 30 s step): "about 2 minutes behind (between 1 min 37 s and 2 min 7 s)".
func (s *search) describeOffset() string {
	r := s.facts.AuthenticatorOffsetSeconds
	return diag.ApproxOffset(r[0], r[1])
}

// judgeTime says what a match under the key's own settings means.
func (s *search) judgeTime(m match) diag.Result {
	offset := s.matched(m)
	period := time.Duration(m.stage.params.Period) * time.Second
	when := fmt.Sprintf("%s true time (%s)", stepsOff(offset), diag.HumanDuration(time.Duration(abs(offset))*period))
	s.details = append(s.details, fmt.Sprintf("Matched %s, at %s: the app's clock is %.1f to %.1f s off true time.",
		when, time.Unix(int64(m.counter)*int64(m.stage.params.Period), 0).UTC().Format(time.RFC3339),
		s.facts.AuthenticatorOffsetSeconds[0], s.facts.AuthenticatorOffsetSeconds[1]))
	if s.facts.Possible {
		return s.result(diag.StatusWarn, fmt.Sprintf(
			"the code matches %s, but over so wide a search a single code matches by chance (%.0f%% likely): give the next code too (--code A --code B)",
			when, 100*chanceOfAny(s.chance)))
	}
	single := len(s.codes) == 1
	switch {
	case offset == 0:
		return s.result(diag.StatusOK, "your code is valid now: the app's key and clock are right")
	case single && offset < 0 && offset >= -2:
		msg := fmt.Sprintf("the code is %s old (from up to %s ago): it expired while it was typed",
			stepsText(-offset), diag.HumanDuration(time.Duration(1-offset)*period))
		return s.result(diag.StatusWarn, msg, diag.NewFinding(diag.CauseCodeExpired, diag.SeverityWarn,
			msg+". If it was fresh on the screen when you typed it, the phone may be up to a minute behind: give two consecutive codes (--code A --code B) to tell."))
	case single && offset > 0 && offset <= 2:
		return s.result(diag.StatusWarn, fmt.Sprintf(
			"the code belongs %s: the phone's clock may be a little ahead; give two consecutive codes (--code A --code B) to pin it", when))
	}
	msg := fmt.Sprintf("your authenticator's codes are %s true time: the phone's clock is %s", stepsOff(offset), s.describeOffset())
	if m.stage.clock != "" {
		msg += "; " + m.stage.clock
	}
	// Pinned by two or more codes, one step is also the time it takes to type them.
	severity, status := diag.SeverityFail, diag.StatusFail
	if abs(offset) == 1 {
		severity, status = diag.SeverityInfo, diag.StatusWarn
	}
	return s.result(status, msg, diag.NewFinding(diag.CauseAuthenticatorClock, severity, msg,
		fmt.Sprintf("Set the phone's clock right: it is %s.", s.describeOffset())))
}

// chanceOfAny is the probability of at least one accidental match when expected are
// expected: accidental matches are rare and independent, so they follow Poisson's law.
func chanceOfAny(expected float64) float64 { return -math.Expm1(-expected) }

// stepsOff says an offset in steps with its direction, to go before what it is
// relative to: "3 steps behind", "1 step ahead of".
func stepsOff(offset int64) string {
	if offset > 0 {
		return stepsText(offset) + " ahead of"
	}
	return stepsText(-offset) + " behind"
}

// stepsText is "1 step", "2 steps".
func stepsText(n int64) string { return fmt.Sprintf("%d %s", n, diag.Plural(n, "step", "steps")) }

// judgeParams says what a match under another setting means.
func (s *search) judgeParams(m match) diag.Result {
	offset := s.matched(m)
	app, keyParams := m.stage.params, paramsOf(s.key)
	msg := fmt.Sprintf("your app makes codes with %s, but the key says %s", app, keyParams)
	expected, by := keyParams, "the key"
	// A named service's profile says what it expects; the generic one only guesses.
	if svc := s.env.Service; svc != nil && svc.ID != profile.GenericID && svc.TOTP.Algorithm != "" {
		expected = Params{Algorithm: secret.Algorithm(svc.TOTP.Algorithm), Digits: svc.TOTP.Digits, Period: svc.TOTP.Period}
		if keyParams.Period == 0 {
			expected.Period = 0
		}
		by = svc.Name
		msg += fmt.Sprintf(", and %s expects %s", svc.Name, expected)
	}
	if offset != 0 {
		msg += fmt.Sprintf(" (matched %s the expected step)", stepsOff(offset))
	}
	var first []string
	if expected != app {
		first = append(first, fmt.Sprintf("Codes must be made with %s, as %s says; your app uses %s.", expected, by, app))
	}
	return s.result(diag.StatusFail, msg, diag.NewFinding(diag.CauseParameterMismatch, diag.SeverityFail, msg, first...))
}

// judgeCounter says what an HOTP match means: how far ahead the token is.
func (s *search) judgeCounter(m match) diag.Result {
	ahead, start := uint64(s.matched(m)), s.hotpStart
	next := m.counter + uint64(len(s.codes))
	if ahead == 0 {
		return s.result(diag.StatusOK, fmt.Sprintf("the code is the one the service expects next (counter %d)", m.counter))
	}
	msg := fmt.Sprintf("the token is %d ahead of the stored counter %d (its code is counter %d)", ahead, start, m.counter)
	step := "Give the service's resynchronisation two consecutive codes from the token."
	if len(s.codes) >= 2 {
		msg += fmt.Sprintf("; %d consecutive codes pin it: resynchronise the service to counter %d", len(s.codes), next)
		step = fmt.Sprintf("Resynchronise the service to counter %d: give its resynchronisation two consecutive codes from the token.", next)
	} else {
		msg += "; a service resynchronises only within its own look-ahead: give two consecutive codes (--code A --code B) to resynchronise without doubt"
	}
	// Services look ahead only a few codes (RFC 4226 leaves it to them): past that,
	// every code is refused until the counters are brought together.
	severity := diag.SeverityWarn
	if ahead > serviceLookAhead {
		severity = diag.SeverityFail
	}
	return s.result(diag.StatusWarn, msg, diag.NewFinding(diag.CauseCounterDrift, severity, msg, step))
}

// typo looks for a single code one slip away from a code valid at step, or either side.
func (s *search) typo(own Params, step uint64) (diag.Result, bool) {
	if len(s.codes) != 1 {
		return diag.Result{}, false
	}
	g := s.generator(own)
	typed := s.codes[0]
	s.facts.Searched = append(s.facts.Searched, "one-slip typos of the codes valid then")
	for _, d := range []int64{0, -1, 1} {
		counter := step + uint64(d)
		if d < 0 && step == 0 {
			continue
		}
		s.chance += float64(typoNeighbours(own)) / own.codeSpace()
		slip := typoOf(typed, own.format(g.Value(counter)))
		if slip == "" {
			continue
		}
		s.facts.Typo = slip
		msg := fmt.Sprintf("the code is one slip away from a valid one: %s", slip)
		return s.result(diag.StatusFail, msg, diag.NewFinding(diag.CauseCodeTypo, diag.SeverityFail, msg)), true
	}
	return diag.Result{}, false
}

// typoNeighbours is how many codes are one slip from a code of p: one character
// changed, two adjacent swapped, and (decimal codes) the leading zero lost.
func typoNeighbours(p Params) int {
	if p.Encoding == secret.Steam {
		return (len(secret.SteamAlphabet)-1)*p.Digits + (p.Digits - 1)
	}
	return 9*p.Digits + (p.Digits - 1) + 1
}

// typoOf says how typed is one slip from valid (without revealing either): one digit
// off, two adjacent digits swapped, or a lost leading zero; "" when it is not.
func typoOf(typed, valid string) string {
	if len(typed)+1 == len(valid) && valid[0] == '0' && valid[1:] == typed {
		return "the leading zero is missing"
	}
	if len(typed) != len(valid) {
		return ""
	}
	var diff []int
	for i := range typed {
		if typed[i] != valid[i] {
			diff = append(diff, i)
		}
	}
	switch {
	case len(diff) == 1:
		return fmt.Sprintf("digit %d is wrong", diff[0]+1)
	case len(diff) == 2 && diff[1] == diff[0]+1 && typed[diff[0]] == valid[diff[1]] && typed[diff[1]] == valid[diff[0]]:
		return fmt.Sprintf("digits %d and %d are swapped", diff[0]+1, diff[1]+1)
	}
	return ""
}

// staleEntry looks for the codes under the other entries' keys for this account, near
// the expected step: the app may be showing a stale entry.
func (s *search) staleEntry(half time.Duration) (diag.Result, bool) {
	for _, k := range s.check.Stale {
		k = k.WithDefaults()
		if k.Type != secret.TOTP || k.Digits != len(s.codes[0]) {
			continue
		}
		own := paramsOf(k)
		e := Counter(k, time.Unix(int64(s.expected(paramsOf(s.key)))*int64(s.key.Period), 0))
		steps := uint64(half / (time.Duration(own.Period) * time.Second))
		s.facts.Searched = append(s.facts.Searched, fmt.Sprintf("the other entry for this account (fingerprint %s), ±%s", k.Fingerprint(), diag.HumanDuration(half)))
		for c := subSaturating(e, steps); c <= e+steps; c++ {
			s.chance += math.Pow(10, -float64(own.Digits*len(s.codes)))
			if !slices.Equal(s.codes, codesFrom(k, c, len(s.codes))) {
				continue
			}
			msg := fmt.Sprintf("your codes are those of another entry for this account (fingerprint %s), not of the key given (fingerprint %s): the app shows a stale entry, or the key given is the stale one", k.Fingerprint(), s.key.Fingerprint())
			return s.result(diag.StatusFail, msg, diag.NewFinding(diag.CauseDuplicateEntry, diag.SeverityFail, msg,
				"In your authenticator, use the entry whose codes the service accepts, and delete the other one.")), true
		}
	}
	return diag.Result{}, false
}

// codesFrom are the n codes k makes from counter on.
func codesFrom(k secret.Key, counter uint64, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = HOTP(k, counter+uint64(i))
	}
	return out
}

// noMatch is secret-mismatch: nothing matched anywhere searched.
func (s *search) noMatch() diag.Result {
	near := "the true time"
	if s.facts.Reference == localClock {
		near = "this machine's time"
	}
	within := fmt.Sprintf("within %s of %s", diag.HumanDuration(s.check.window()), near)
	var msg string
	severity := diag.SeverityFail
	switch {
	case s.key.Type == secret.HOTP:
		// Not found within the look-ahead is a search limit, not a fact about the key.
		msg = fmt.Sprintf("the codes match no counter up to %d ahead under any common setting: %s, or your app holds another key", s.check.LookAhead, furtherAhead(s.check.LookAhead))
		severity = diag.SeverityWarn
	case len(s.codes) == 1:
		// One code that matches nowhere may as well be mistyped or stale.
		msg = fmt.Sprintf("the code matches nothing %s under any common setting: your app may hold another key, or the code was mistyped; give two consecutive codes (--code A --code B) to tell", within)
		severity = diag.SeverityWarn
	default:
		msg = fmt.Sprintf("the codes match nothing %s under any common setting: your app holds another key than this one", within)
	}
	return s.result(diag.StatusFail, msg, diag.NewFinding(diag.CauseSecretMismatch, severity, msg,
		fmt.Sprintf("Check that the key you gave otpdoctor (fingerprint %s) is the one the service set up.", s.key.Fingerprint())))
}

// unfinished is the result when the run's deadline or an interrupt ended the search:
// it says which search was cut short, and that nothing after it was searched.
func (s *search) unfinished(err error) diag.Result {
	if errors.Is(err, context.Canceled) {
		return s.result(diag.StatusError, "the search was interrupted before it found the code")
	}
	r := s.result(diag.StatusError, fmt.Sprintf("the search ran out of time before it found the code: %s was cut short, and nothing after it was searched "+
		"(wider windows, other settings, typos); search less (a smaller --window or --look-ahead, or without --deep)", s.cutShort))
	r.Unfinished = true
	return r
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func addSaturating(a, b uint64) uint64 {
	if a > math.MaxUint64-1-b {
		return math.MaxUint64 - 1
	}
	return a + b
}

// furtherAhead says how to search an HOTP token further ahead than lookAhead counters,
// up to MaxLookAhead.
func furtherAhead(lookAhead uint64) string {
	if lookAhead >= MaxLookAhead {
		return "the token is further ahead than otpdoctor searches"
	}
	return fmt.Sprintf("the token is further ahead (--look-ahead %d searches further)", min(max(1000, 10*lookAhead), MaxLookAhead))
}

func subSaturating(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}
