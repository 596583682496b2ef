package diag

import (
	"slices"
	"strings"
	"unicode"
)

// Device is the device a fix step is done on.
type Device string

const (
	// DeviceAny: the step is done wherever the authenticator runs, or anywhere.
	DeviceAny Device = ""
	// DeviceThisComputer: the step is done on the computer otpdoctor ran on.
	DeviceThisComputer Device = "this-computer"
	// DevicePhone: the step is done on the device that holds the authenticator.
	DevicePhone Device = "phone"
)

// Step is one fix step and where it applies: on which device, on which platform, in
// which app ("" = anywhere). Checks and the catalog give every step that may apply;
// Tailor picks those for a run's devices and app.
type Step struct {
	Device   Device `json:"device,omitempty"`
	Platform string `json:"platform,omitempty"`
	App      string `json:"app,omitempty"`
	Text     string `json:"text"`
}

// Steps are plain steps (done anywhere) from texts, empty ones left out.
func Steps(texts ...string) []Step {
	var out []Step
	for _, t := range texts {
		if t != "" {
			out = append(out, Step{Text: t})
		}
	}
	return out
}

// On is steps with every step that names no device done on device.
func On(device Device, steps []Step) []Step {
	out := slices.Clone(steps)
	for i := range out {
		if out[i].Device == DeviceAny {
			out[i].Device = device
		}
	}
	return out
}

// StepCheckOnline is the first step of a check that reached nothing: the checks share
// it, so that a report whose clock and status checks both found the network down says
// it once.
const StepCheckOnline = "Check that this computer is online: open any web site in a browser. If none opens, fix the connection (or its DNS settings) first; some networks block services by their names (DNS)."

// AppendSteps appends the steps of add that list does not hold yet, in words that
// differ only in case, spacing or punctuation either.
func AppendSteps(list []Step, add ...Step) []Step {
	for _, s := range add {
		key := stepKey(s.Text)
		if !slices.ContainsFunc(list, func(t Step) bool { return stepKey(t.Text) == key }) {
			list = append(list, s)
		}
	}
	return list
}

// stepKey is a step's text reduced to its words, lower case.
func stepKey(text string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// PlatformOfOS is an operating system, as Go names it (runtime.GOOS), as fix steps
// name platforms; "" for one they do not know.
func PlatformOfOS(goos string) string {
	switch goos {
	case "linux":
		return PlatformLinux
	case "darwin":
		return PlatformMacOS
	case "windows":
		return PlatformWindows
	case "android":
		return PlatformAndroid
	case "ios":
		return PlatformIOS
	}
	return ""
}

// Tailor is the steps that apply to env: this computer's for env.Host, the
// authenticator's device's for env.Platform, the app's for env.App. Where a platform or
// app is not known, every one's steps stay, and StepTexts says where each applies.
//
// A step for this computer on the platform of the authenticator's device, when that is
// another device, is kept for that device: the clock that is set wrong here may be set
// the same wrong way there (the codes check cannot tell them apart by itself).
func Tailor(steps []Step, env *Env) []Step {
	var out []Step
	for _, s := range steps {
		if env.App != "" && s.App != "" && s.App != env.App {
			continue
		}
		switch {
		case s.Platform == "":
		case s.Device == DeviceThisComputer && env.Host != "" && s.Platform != env.Host:
			if !authenticatorElsewhere(env) || s.Platform != env.Platform {
				continue
			}
			s.Device = DevicePhone
		case s.Device != DeviceThisComputer && env.Platform != "" && s.Platform != env.Platform:
			continue
		}
		out = AppendSteps(out, s)
	}
	return out
}

// authenticatorElsewhere: the authenticator's platform is known and is not this computer's.
func authenticatorElsewhere(env *Env) bool {
	return env.Platform != "" && env.Platform != env.Host
}

// StepTexts are tailored steps as people read them, each saying where it applies when
// env does not make that plain: "On Android: …", "Authy: …", and, when the steps are for
// both this computer and the phone, "On this computer: …" and "On your iPhone/iPad: …".
func StepTexts(steps []Step, env *Env) []string {
	both := slices.ContainsFunc(steps, func(s Step) bool { return s.Device == DeviceThisComputer }) &&
		slices.ContainsFunc(steps, func(s Step) bool { return s.Device == DevicePhone })
	out := make([]string, 0, len(steps))
	for _, s := range steps {
		out = append(out, stepMark(whereOf(s, env, both), appOf(s, env))+s.Text)
	}
	return out
}

// whereOf names the device or platform a step is for, when env leaves it open; both:
// the steps around it are for this computer and the phone.
func whereOf(s Step, env *Env, both bool) string {
	if s.Platform == "" {
		return ""
	}
	switch {
	case s.Device == DeviceThisComputer && (both || env.Host == ""):
		if env.Host == "" {
			return "On " + PlatformName(s.Platform)
		}
		return "On this computer"
	case s.Device == DeviceThisComputer:
		return ""
	case env.Platform == "":
		return "On " + PlatformName(s.Platform)
	case both:
		return "On your " + PlatformName(s.Platform)
	}
	return ""
}

// appOf names the app a step is for, when env does not.
func appOf(s Step, env *Env) string {
	if env.App != "" {
		return ""
	}
	return s.App
}

// stepMark is what goes before a step that applies only in one place, in one app, or
// both: "On Android: ", "Google Authenticator: ", "On Android, in Google Authenticator: ".
func stepMark(where, app string) string {
	switch {
	case where != "" && app != "":
		return where + ", in " + AppName(app) + ": "
	case where != "":
		return where + ": "
	case app != "":
		return AppName(app) + ": "
	}
	return ""
}

// FixTexts is steps tailored to env, as text.
func FixTexts(steps []Step, env *Env) []string { return StepTexts(Tailor(steps, env), env) }
