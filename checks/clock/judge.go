package clock

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// judge turns what was measured into the check's result.
func judge(env *diag.Env, m measurement, osc OSClock) diag.Result {
	now := env.Now()
	_, utcOffset := now.Zone()
	f := &diag.ClockFacts{
		Reference:         m.reference,
		Sources:           []diag.ClockSourceFacts{},
		OSSynchronized:    osc.Synchronized,
		OSAutomaticTime:   osc.AutomaticTime,
		OSMaxErrorSeconds: secondsOf(osc.MaxError),
		OSEstErrorSeconds: secondsOf(osc.EstError),
		Timezone:          zoneName(now, osc.Zone),
		UTCOffsetSeconds:  utcOffset,
	}
	var details []string
	for _, s := range m.sources() {
		f.Sources = append(f.Sources, factsOfSource(s))
		details = append(details, describeSource(s))
	}
	details = append(details, osc.Notes...)
	details = append(details, fmt.Sprintf("time zone: %s (%s)", f.Timezone, utcOffsetName(utcOffset)))

	var r diag.Result
	switch {
	case env.Offline:
		// Skip, whatever the OS says: the offset was not measured, and an offline CI run
		// must not pass or fail on the state of the runner's time daemon. The OS's view
		// is in the summary and the facts.
		r.Status, r.Summary = diag.StatusSkip, "Not measured (--offline). "+osSentence(osc)+"."
	case m.reference == diag.ReferenceNone:
		r.Status = diag.StatusError
		r.Summary, r.Findings = unreachable(m)
	case m.selection.Disputed():
		r = judgeDispute(m)
		f.Majority, f.DisagreementSeconds = ptr(false), secondsOf(&m.selection.Disagreement)
	default:
		r = judgeOffset(m, osc, f)
		sel := m.selection
		f.OffsetSeconds, f.UncertaintySeconds, f.SpreadSeconds = secondsOf(&sel.Offset), secondsOf(&sel.Uncertainty), secondsOf(&sel.Spread)
		f.Majority = &sel.Majority
		if !sel.Majority {
			f.DisagreementSeconds = secondsOf(&sel.Disagreement)
		}
		trueNow := now.Add(-sel.Offset).UTC()
		f.TrueTime = ptr(trueNow.Format("2006-01-02T15:04:05.000Z07:00"))
		f.StepSecondsLeft = ptr(stepSecondsLeft(trueNow))
	}
	r.Details = append(details, r.Details...)
	r.Facts = f
	return r
}

// StepLeft is how long the 30-second TOTP step that t (true time) is in lasts on.
func StepLeft(t time.Time) time.Duration {
	into := time.Duration(t.UnixNano() % int64(step))
	if into < 0 {
		into += step
	}
	return step - into
}

// stepSecondsLeft is StepLeft as the facts carry it: in seconds, rounded up to a tenth
// as authenticators count down, so never 0 while the step lasts.
func stepSecondsLeft(t time.Time) float64 { return math.Ceil(StepLeft(t).Seconds()*10) / 10 }

// judgeOffset rates a measured offset and names its likely cause; f holds the zone.
func judgeOffset(m measurement, osc OSClock, f *diag.ClockFacts) diag.Result {
	sel := m.selection
	offset, uncertainty := sel.Offset, sel.Uncertainty
	r := diag.Result{Status: diag.ClockStatus(offset, uncertainty), Details: []string{combined(m)}}
	if offset.Abs() < time.Millisecond {
		r.Summary = fmt.Sprintf("Within a millisecond of true time (%s; %s)", plusMinus(uncertainty), agreement(m))
	} else {
		r.Summary = fmt.Sprintf("%s %s true time (%s; %s)", diag.HumanDuration(offset), direction(offset), plusMinus(uncertainty), agreement(m))
	}
	ntpBlocked := m.reference == diag.ReferenceHTTPSDate && dominantReason(m.ntp) == "timeout"
	if ntpBlocked {
		r.Details = append(r.Details, "No NTP server answered, so the time came from HTTPS sites: this network seems to block NTP (UDP port 123), which also stops the OS from setting its clock from the network.")
	}
	if r.Status == diag.StatusOK {
		r.Summary += "."
		if osc.Synchronized != nil && !*osc.Synchronized {
			r.Details = append(r.Details, "The OS says its clock is not synchronised to a time service: it is right now, but may drift. Turn on automatic time to keep it right.")
		}
		return r
	}
	r.Summary += ": " + codesEffect(offset) + "."
	severity := diag.SeverityWarn
	if r.Status == diag.StatusFail {
		severity = diag.SeverityFail
	}
	r.Findings = []diag.Finding{offsetFinding(offset, osc, f, ntpBlocked, severity)}
	return r
}

// judgeDispute is the verdict when the sources disagree with no majority: the offset
// is not judged, since any estimate would be one liar's word or an average of liars.
// Only what every source says is claimed, and the finding asks the user to compare
// with a clock they trust; it is information, so the diagnosis holds it at low.
func judgeDispute(m measurement) diag.Result {
	used := m.usedSources()
	noun := "time servers"
	if m.reference == diag.ReferenceHTTPSDate {
		noun = "web sites (by their HTTPS Date headers)"
	}
	apart := diag.HumanDuration(m.selection.Disagreement)
	claims := make([]string, len(used))
	for i, s := range used {
		claims[i] = displayServer(s.Server) + " says " + sourceSays(s.Interval)
	}
	said := strings.Join(claims, ", ")
	message := fmt.Sprintf("The %s disagree by %s with no majority (%s), so this computer's clock could not be checked: some of them are wrong, and nothing here tells which.", noun, apart, said)
	if bound := commonBound(used); bound != "" {
		message += " " + bound
	}
	return diag.Result{
		Status:  diag.StatusWarn,
		Summary: fmt.Sprintf("Not judged: %d %s disagree by %s and no majority agrees (%s).", len(used), noun, apart, said),
		Details: []string{combined(m)},
		Findings: []diag.Finding{{
			Cause: diag.CauseDeviceClock, Severity: diag.SeverityInfo, Message: message,
			Steps: fixSteps(diag.CauseDeviceClock,
				"Compare this computer's clock with one you trust: open a time web site such as time.is in a browser, or run otpdoctor phone to compare your phone's clock (which its network sets) with this one.",
				"Ask other time servers, or from another network (such as your phone's hotspot): otpdoctor check --ntp-server HOST --ntp-server HOST --ntp-server HOST. With three or more, a majority outvotes a wrong one."),
		}},
	}
}

// usedSources are the sources the selection was made from.
func (m measurement) usedSources() []source {
	from := m.ntp
	if m.reference == diag.ReferenceHTTPSDate {
		from = m.dates
	}
	var used []source
	for _, s := range from {
		if s.usable() {
			used = append(used, s)
		}
	}
	return used
}

// sourceSays is what one source says of this clock: "right", "1 h ahead".
func sourceSays(iv Interval) string {
	if iv.Offset.Abs() <= iv.Radius {
		return "this clock is right"
	}
	return diag.HumanDuration(iv.Offset) + " " + shortDirection(iv.Offset)
}

// commonBound is what every source says alike, when they all put this clock off the
// same way by more than codes tolerate: "All of them say it is at least 23 h behind."
func commonBound(sources []source) string {
	lo, hi := sources[0].lo(), sources[0].hi()
	for _, s := range sources[1:] {
		lo, hi = min(lo, s.lo()), max(hi, s.hi())
	}
	switch {
	case lo >= diag.ClockOK:
		return fmt.Sprintf("All of them say it is at least %s ahead.", diag.HumanDuration(lo))
	case hi <= -diag.ClockOK:
		return fmt.Sprintf("All of them say it is at least %s behind.", diag.HumanDuration(hi))
	}
	return ""
}

// offsetFinding says what the offset means (a zone set wrong, or a clock that is
// simply off) and how to set it right.
func offsetFinding(offset time.Duration, osc OSClock, f *diag.ClockFacts, ntpBlocked bool, severity diag.Severity) diag.Finding {
	how := fmt.Sprintf("This computer's clock is %s %s true time", diag.HumanDuration(offset), direction(offset))
	osNote := ""
	if osc.Synchronized != nil && !*osc.Synchronized {
		osNote = " The OS says its clock is not synchronised to a time service."
	}
	blockedStep := ""
	if ntpBlocked {
		osNote += " This network seems to block NTP (UDP port 123), so the OS cannot set the clock from the network."
		blockedStep = "This network blocks NTP (UDP port 123): ask its administrator to allow it, or set the clock by hand from the true time at the end of this report."
	}
	zone := utcOffsetName(f.UTCOffsetSeconds)
	whole, ok := diag.ZoneShaped(offset)
	if !ok {
		return diag.Finding{
			Cause: diag.CauseDeviceClock, Severity: severity,
			Message: how + ": " + codesEffect(offset) + "." + osNote,
			Steps: fixSteps(diag.CauseDeviceClock, fmt.Sprintf("Your clock is %s %s: set it right with the steps below (the true time is shown at the end of this report).",
				diag.HumanDuration(offset), shortDirection(offset)), blockedStep),
		}
	}
	why := fmt.Sprintf("within two minutes of a whole time-zone amount (%s): the time zone is probably set wrong and the clock moved by hand to look right.", diag.HumanDuration(whole))
	if whole == time.Duration(f.UTCOffsetSeconds)*time.Second {
		// The hardware clock keeps local time (as Windows sets it) and the OS reads
		// it as UTC: the clock is ahead by the zone's offset.
		why = fmt.Sprintf("exactly this zone's UTC offset (%s): the hardware clock probably keeps local time and the OS reads it as UTC, which PCs that also boot Windows often do.", zone)
	}
	return diag.Finding{
		Cause: diag.CauseTimezone, Severity: severity,
		Message: how + ", " + why + osNote,
		Steps: fixSteps(diag.CauseTimezone, fmt.Sprintf("Your clock is %s %s: check the time zone (now %s, %s) is where you are, then let the network set the time.",
			diag.HumanDuration(offset), shortDirection(offset), f.Timezone, zone), blockedStep),
	}
}

// combined says, for -v, how the sources were combined.
func combined(m measurement) string {
	sel := m.selection
	switch {
	case sel.Disputed():
		return fmt.Sprintf("not combined: no majority among %d sources, which disagree by %s: any estimate would be a liar's or an average of liars", len(sel.Truechimers), diag.HumanDuration(sel.Disagreement))
	case !sel.Majority:
		return fmt.Sprintf("combined: no majority among %d sources, which disagree by %s, so the median %s, %s to cover them all", len(sel.Truechimers), diag.HumanDuration(sel.Disagreement), signedSeconds(sel.Offset), plusMinus(sel.Uncertainty))
	}
	line := fmt.Sprintf("combined: %d of %d usable sources share the region %s %s (their offsets spread over %s)",
		sel.Agree, len(sel.Truechimers), signedSeconds(sel.Offset), plusMinus(sel.Uncertainty), diag.HumanDuration(sel.Spread))
	if sel.Agree < len(sel.Truechimers) {
		line += "; the others are falsetickers"
	}
	return line
}

// codesEffect says what an offset does to 30-second codes made or checked on this
// machine: at a service accepting only the current step, a code is refused whenever
// the offset carries it into another step (|offset|/30 of the time); at one accepting
// a step either side, only past 30 s.
func codesEffect(offset time.Duration) string {
	a := offset.Abs()
	percent := func(d time.Duration) int { return int(math.Round(100 * d.Seconds() / step.Seconds())) }
	switch {
	case a < step:
		return fmt.Sprintf("a service that accepts only the current 30-second code refuses about %d%% of codes made here; one that also accepts the previous and next code still accepts them", percent(a))
	case a < 2*step:
		return fmt.Sprintf("a service that accepts only the current code refuses every code made here; one that also accepts the previous and next code refuses about %d%%", percent(a-step))
	}
	return fmt.Sprintf("codes made here are %d steps of 30 seconds off, so every service refuses them", int(math.Round(float64(a)/float64(step))))
}

// agreement says how the estimate was reached: "4 of 5 time servers agree".
func agreement(m measurement) string {
	asked, noun, how := len(m.ntp), "time servers", ""
	if m.reference == diag.ReferenceHTTPSDate {
		asked, noun, how = len(m.dates), "web sites", ", by their HTTPS Date headers, as no time server could be used"
	}
	sel := m.selection
	if !sel.Majority {
		return fmt.Sprintf("no majority: the %s that answered disagree by %s, so this is their median%s", noun, diag.HumanDuration(sel.Disagreement), how)
	}
	said := fmt.Sprintf("%d of %d %s agree%s", sel.Agree, asked, noun, how)
	if len(sel.Truechimers) == 1 {
		said += "; a single source, so nothing checks it"
	}
	for _, s := range m.sources() {
		if s.Err == "falseticker" {
			said += fmt.Sprintf("; %s says %s and is set aside", displayServer(s.Server), sourceSays(s.Interval))
		}
	}
	return said
}

// unreachable explains a run in which no reference gave a usable answer.
func unreachable(m measurement) (string, []diag.Finding) {
	all := m.sources()
	answered := slices.ContainsFunc(all, func(s source) bool { return s.answered })
	if answered {
		return fmt.Sprintf("Not measured: no reference gave a usable answer (time servers: %s; HTTPS sites: %s).", reasonCounts(m.ntp), reasonCounts(m.dates)), nil
	}
	var likely, steps []string
	ntpReason, dateReason := dominantReason(m.ntp), dominantReason(m.dates)
	switch {
	case ntpReason == "DNS lookup failed" && (dateReason == "" || dateReason == "DNS lookup failed"):
		likely = append(likely, "no name can be looked up: DNS does not work on this network, or it is offline")
		steps = append(steps, diag.StepCheckOnline)
	case ntpReason == "timeout":
		likely = append(likely, "no time server answered: a firewall probably blocks NTP (UDP port 123)")
		steps = append(steps, "Ask the network's administrator to allow NTP (UDP port 123), or name a time server this network allows: otpdoctor check --ntp-server HOST.")
	default:
		likely = append(likely, "time servers: "+reasonCounts(m.ntp))
	}
	switch dateReason {
	case "", "DNS lookup failed":
	case "proxy failed":
		likely = append(likely, "the proxy refused the HTTPS fallback")
		steps = append(steps, "If this network needs a proxy, set HTTPS_PROXY (for example HTTPS_PROXY=http://proxy.example:8080) so otpdoctor reaches HTTPS sites through it.")
	case "certificate not trusted":
		likely = append(likely, "HTTPS certificates are not trusted: a proxy or antivirus may intercept secure connections")
	case "certificate expired or not yet valid":
		likely = append(likely, "HTTPS certificates look expired or not yet valid, which a clock far off causes")
	default:
		likely = append(likely, "HTTPS sites: "+reasonCounts(m.dates))
	}
	why := strings.Join(likely, "; ") + "."
	return "Not measured: " + why, []diag.Finding{{
		Cause: diag.CauseNetworkBlocked, Severity: diag.SeverityWarn,
		Message: "No time reference could be reached, so the clock was not measured: " + why,
		Steps:   fixSteps(diag.CauseNetworkBlocked, steps...),
	}}
}

// reasonCount is how many sources failed for one reason ("" for none).
type reasonCount struct {
	reason string
	count  int
}

// tallyReasons counts why sources failed, most common first, ties in the order met.
func tallyReasons(sources []source) []reasonCount {
	var tally []reasonCount
	for _, s := range sources {
		i := slices.IndexFunc(tally, func(c reasonCount) bool { return c.reason == s.Err })
		if i < 0 {
			tally = append(tally, reasonCount{reason: s.Err})
			i = len(tally) - 1
		}
		tally[i].count++
	}
	slices.SortStableFunc(tally, func(a, b reasonCount) int { return cmp.Compare(b.count, a.count) })
	return tally
}

// dominantReason is the most common failure among sources ("" when there are none).
func dominantReason(sources []source) string {
	if tally := tallyReasons(sources); len(tally) > 0 {
		return tally[0].reason
	}
	return ""
}

// reasonCounts summarises why sources failed: "timeout ×3, DNS lookup failed ×2".
func reasonCounts(sources []source) string {
	if len(sources) == 0 {
		return "not asked"
	}
	var parts []string
	for _, c := range tallyReasons(sources) {
		parts = append(parts, fmt.Sprintf("%s ×%d", cmp.Or(c.reason, "usable"), c.count))
	}
	return strings.Join(parts, ", ")
}

// fixSteps is a finding's steps: the clock measured is this computer's, so its steps
// are done here (diag.Tailor also offers them for the authenticator's device).
func fixSteps(cause diag.Cause, measured ...string) []diag.Step {
	return diag.On(diag.DeviceThisComputer, diag.FixSteps(cause, diag.Steps(measured...)...))
}

// osSentence says what the OS says of its clock.
func osSentence(osc OSClock) string {
	switch {
	case osc.Synchronized == nil:
		return "The OS does not say whether its clock is synchronised"
	case !*osc.Synchronized:
		return "The OS says its clock is not synchronised to a time service, so it may drift"
	case osc.MaxError != nil:
		return fmt.Sprintf("The OS says its clock is synchronised to a time service (error at most %s)", diag.HumanDuration(*osc.MaxError))
	}
	return "The OS says its clock is synchronised to a time service"
}

func factsOfSource(s source) diag.ClockSourceFacts {
	sf := diag.ClockSourceFacts{Server: displayServer(s.Server), Protocol: s.Protocol}
	if s.measured {
		sf.OffsetSeconds, sf.UncertaintySeconds = secondsOf(&s.Offset), secondsOf(&s.Radius)
	}
	if s.answered {
		sf.RTTMS = ptr(math.Round(float64(s.RTT)/float64(time.Microsecond)) / 1000)
		if s.Protocol == diag.ReferenceNTP {
			sf.Stratum = ptr(s.Stratum)
		}
	}
	if s.Err != "" {
		sf.Error = ptr(s.Err)
	}
	return sf
}

// describeSource is one source as a line for -v.
func describeSource(s source) string {
	line := s.Protocol + " " + displayServer(s.Server) + ": "
	if s.measured {
		line += fmt.Sprintf("%s %s, round trip %s ms", signedSeconds(s.Offset), plusMinus(s.Radius), diag.TrimmedDecimals(float64(s.RTT)/float64(time.Millisecond), 1))
		if s.Protocol == diag.ReferenceNTP {
			line += fmt.Sprintf(", stratum %d", s.Stratum)
		}
	}
	if s.Err != "" {
		if s.measured {
			line += ": "
		}
		line += s.Err
	}
	if s.Detail != "" {
		line += " (" + s.Detail + ")"
	}
	return line
}

// displayServer drops NTP's default port from an address.
func displayServer(address string) string { return strings.TrimSuffix(address, ":123") }

// secondsOf is d in seconds to the microsecond, or nil.
func secondsOf(d *time.Duration) *float64 {
	if d == nil {
		return nil
	}
	return ptr(math.Round(d.Seconds()*1e6) / 1e6)
}

func shortDirection(offset time.Duration) string {
	if offset > 0 {
		return "ahead"
	}
	return "behind"
}
