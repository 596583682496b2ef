package phone

import (
	"cmp"
	"fmt"
	"math"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// Judge rates the phone's clock against true time (ref converts this computer's
// clock to it) and says what to do, both for the report and for the phone's screen.
func Judge(env *diag.Env, m Measurement, ref diag.Reference) (diag.Result, Verdict) {
	offset, uncertainty := m.Offset, m.Uncertainty
	if ref.Known() {
		// m.Offset is against this computer's clock, which is ref.Offset ahead of true time.
		offset, uncertainty = offset+ref.Offset, uncertainty+ref.Uncertainty
	}
	utcOffset := int(m.UTCOffset / time.Second)
	f := &diag.PhoneFacts{
		Method:             cmp.Or(m.Method, diag.PhoneMethodBrowser),
		OffsetSeconds:      ptr(roundedSeconds(offset)),
		UncertaintySeconds: ptr(roundedSeconds(uncertainty)),
		RTTMS:              ptr(math.Round(float64(m.RTT)/float64(time.Microsecond)) / 1000),
		Rounds:             m.Rounds,
		Reference:          ref.Source,
		Timezone:           m.Zone,
		UTCOffsetSeconds:   &utcOffset,
		Platform:           m.Device.Platform,
		OSVersion:          m.Device.OSVersion,
		Browser:            m.Device.Browser,
		BrowserVersion:     m.Device.BrowserVersion,
	}
	if !ref.Known() {
		f.Reference = diag.ReferenceNone
	}
	if m.manual() { // presses by hand time no round trip and cannot tell the zone
		f.RTTMS, f.UTCOffsetSeconds = nil, nil
	}

	r := diag.Result{Status: diag.ClockStatus(offset, uncertainty), Facts: f, Details: details(m, ref)}
	v := Verdict{Status: r.Status, Facts: r.Details}
	against := "true time"
	if !ref.Known() {
		against = "this computer's clock (" + ref.Missing() + ")"
	}
	if r.Status == diag.StatusOK {
		within := diag.HumanDuration(max(offset.Abs(), uncertainty))
		v.Headline = "Your phone's clock is right"
		v.Message = fmt.Sprintf("It is within %s of %s: codes from your authenticator are on time.", within, against)
		r.Summary = fmt.Sprintf("Your phone's clock is right: within %s of %s.", within, against)
	} else {
		how := fmt.Sprintf("%s %s", diag.HumanDuration(offset), direction(offset, against))
		finding := offFinding(m, offset, how, r.Status)
		r.Findings = append(r.Findings, finding)
		measured := fmt.Sprintf("%d rounds", m.Rounds)
		if m.manual() {
			measured = "by hand"
		}
		r.Summary = fmt.Sprintf("Your phone's clock is %s (±%s, %s): %s.", how, diag.HumanDuration(uncertainty), measured, effect(offset))
		v.Headline = fmt.Sprintf("Your phone's clock is %s %s", diag.HumanDuration(offset), direction(offset, ""))
		v.Message = finding.Message
		v.Steps = forThisPhone(finding.Steps, env, m.Device.Platform)
	}
	if old, ok := outdatedSystem(m.Device); ok {
		r.Findings = append(r.Findings, old)
		v.Facts = append(v.Facts, old.Message)
		if r.Status == diag.StatusOK {
			v.Steps = forThisPhone(old.Steps, env, m.Device.Platform)
		}
	}
	return r, v
}

// forThisPhone is steps as the phone's own screen shows them: for its platform (the
// one its browser gave, else --platform's), in the user's app when named.
func forThisPhone(steps []diag.Step, env *diag.Env, platform string) []string {
	phoneEnv := *env
	if platform != "" {
		phoneEnv.Platform = platform
	}
	return diag.FixTexts(steps, &phoneEnv)
}

// offFinding names why the phone's clock is off (its zone set wrong, or the clock
// itself) and how to set it right on that phone.
func offFinding(m Measurement, offset time.Duration, how string, status diag.Status) diag.Finding {
	severity := diag.SeverityWarn
	if status == diag.StatusFail {
		severity = diag.SeverityFail
	}
	zone := cmp.Or(m.Zone, "not given") + ", UTC" + diag.FormatUTCOffset(int(m.UTCOffset/time.Second))
	if m.manual() {
		zone = "not known: read by hand"
	}
	if whole, ok := diag.ZoneShaped(offset); ok {
		// The catalog's first step is the zone and automatic time, never the clock by
		// hand; the zone the phone has now is in the message.
		return onPhone(diag.NewFinding(diag.CauseTimezone, severity,
			fmt.Sprintf("Your phone's clock is %s, within minutes of a whole time-zone amount (%s): its time zone (%s) is probably wrong and the clock was moved by hand to look right, so every code it shows is refused.",
				how, diag.HumanDuration(whole), zone)))
	}
	return onPhone(diag.NewFinding(diag.CauseAuthenticatorClock, severity,
		fmt.Sprintf("Your phone's clock is %s: %s.", how, effect(offset)),
		fmt.Sprintf("Turn on automatic date and time on the phone: its clock is %s.", how)))
}

// onPhone is f with its steps done on the phone, the device measured.
func onPhone(f diag.Finding) diag.Finding {
	f.Steps = diag.On(diag.DevicePhone, f.Steps)
	return f
}

// effect says what the offset does to the codes the phone shows.
func effect(offset time.Duration) string {
	const step = 30 * time.Second
	if offset.Abs() < step {
		return "a service that accepts only the current 30-second code refuses some of the codes your authenticator shows"
	}
	steps := int(math.Round(float64(offset.Abs()) / float64(step)))
	return fmt.Sprintf("the codes your authenticator shows are %d %s of 30 seconds off, so services refuse them", steps, diag.Plural(steps, "step", "steps"))
}

// details are the lines shown under -v and on the phone under "What was measured".
func details(m Measurement, ref diag.Reference) []string {
	lines := []string{
		fmt.Sprintf("Measured in %d rounds over the network; the %d quickest (round trip from %s) give the result.", m.Rounds, m.Kept, diag.HumanDuration(m.RTT)),
	}
	if m.manual() {
		lines[0] = fmt.Sprintf("Read by hand: Enter pressed at %d changes of the phone's minute, less a typical reaction time.", m.Rounds)
	}
	switch {
	case ref.Known():
		lines = append(lines, fmt.Sprintf("True time came from %s, ±%s.", referenceName(ref.Source), diag.HumanDuration(ref.Uncertainty)))
	default:
		lines = append(lines, "The phone was measured against this computer's clock: "+ref.Missing()+".")
	}
	if !m.manual() {
		lines = append(lines, fmt.Sprintf("Time zone: %s (UTC%s).", cmp.Or(m.Zone, "not given"), diag.FormatUTCOffset(int(m.UTCOffset/time.Second))))
	}
	if sys := deviceName(m.Device); sys != "" {
		lines = append(lines, "System: "+sys+".")
	}
	return lines
}

// referenceName says a reference source in words.
func referenceName(source string) string {
	switch source {
	case diag.ReferenceNTP:
		return "time servers (NTP)"
	case diag.ReferenceHTTPSDate:
		return "the Date header of HTTPS sites"
	case diag.ReferenceService:
		return "the service's own clock"
	}
	return source
}

// deviceName says the device as people do: "Android 14, Chrome 120".
func deviceName(d Device) string {
	system := diag.PlatformName(d.Platform)
	if system != "" && d.OSVersion != "" {
		system += " " + d.OSVersion
	}
	browser := d.Browser
	if browser != "" && d.BrowserVersion != "" {
		browser += " " + d.BrowserVersion
	}
	switch {
	case system != "" && browser != "":
		return system + ", " + browser
	case system != "":
		return system
	}
	return browser
}

// direction says which way offset goes, relative to what (or alone when what is "").
func direction(offset time.Duration, what string) string {
	word := "behind"
	if offset > 0 {
		word = "ahead"
		if what != "" {
			word = "ahead of"
		}
	}
	if what == "" {
		return word
	}
	return word + " " + what
}

func ptr[T any](v T) *T { return &v }

// roundedSeconds is d in seconds to the microsecond.
func roundedSeconds(d time.Duration) float64 { return math.Round(d.Seconds()*1e6) / 1e6 }
