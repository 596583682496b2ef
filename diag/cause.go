package diag

import "strings"

// Cause is one of the report contract's cause ids: why a code is refused.
type Cause string

// The cause vocabulary (DESIGN.md). Users' scripts match these strings: never rename one.
const (
	CauseDeviceClock        Cause = "device-clock"
	CauseTimezone           Cause = "timezone"
	CauseAuthenticatorClock Cause = "authenticator-clock"
	CauseCodeExpired        Cause = "code-expired"
	CauseCodeTypo           Cause = "code-typo"
	CauseParameterMismatch  Cause = "parameter-mismatch"
	CauseSecretMismatch     Cause = "secret-mismatch"
	CauseSecretInvalid      Cause = "secret-invalid"
	CauseDuplicateEntry     Cause = "duplicate-entry"
	CauseBackupCodeInvalid  Cause = "backup-code-invalid"
	CauseBackupCodeUsed     Cause = "backup-code-used"
	CauseBackupKeyConfusion Cause = "backup-key-confusion"
	CauseServiceOutage      Cause = "service-outage"
	CauseNetworkBlocked     Cause = "network-blocked"
	CauseTLSClock           Cause = "tls-clock"
	CauseTLSUntrusted       Cause = "tls-untrusted"
)

// Platforms a fix step can be specific to: the device holding the authenticator, or
// this computer. "" means any.
const (
	PlatformAndroid = "android"
	PlatformIOS     = "ios"
	PlatformWindows = "windows"
	PlatformMacOS   = "macos"
	PlatformLinux   = "linux"
)

// Platforms lists the platforms in the order fix steps are shown.
var Platforms = []string{PlatformAndroid, PlatformIOS, PlatformWindows, PlatformMacOS, PlatformLinux}

// PlatformName is a platform as people write it.
func PlatformName(p string) string {
	switch p {
	case PlatformAndroid:
		return "Android"
	case PlatformIOS:
		return "iPhone/iPad"
	case PlatformWindows:
		return "Windows"
	case PlatformMacOS:
		return "macOS"
	case PlatformLinux:
		return "Linux"
	}
	return p
}

// Step is one fix step; Platform and App narrow where it applies ("" = anywhere).
type Step struct {
	Platform string
	App      string
	Text     string
}

// CauseInfo is everything otpdoctor says about a cause. It is the one source of both
// the fix steps in reports and the pages under docs/causes (make docs).
type CauseInfo struct {
	ID       Cause
	Headline string // plain words, no jargon: what a locked-out person reads first
	Meaning  string // what it is
	Detect   string // how otpdoctor tells
	Steps    []Step
}

// Fix returns the steps for the given platform and app. With platform "" every
// platform's steps are given, each prefixed with where it applies; with app "" the
// app-specific steps are given, prefixed with the app's name.
func (c CauseInfo) Fix(platform, app string) []string {
	var out []string
	for _, s := range c.Steps {
		if platform != "" && s.Platform != "" && s.Platform != platform {
			continue
		}
		if app != "" && s.App != "" && s.App != app {
			continue
		}
		// Say where the step applies, unless the caller named it already.
		markPlatform, markApp := s.Platform, s.App
		if platform != "" {
			markPlatform = ""
		}
		if app != "" {
			markApp = ""
		}
		out = append(out, stepMark(markPlatform, markApp)+s.Text)
	}
	return out
}

// stepMark is what goes before a step that applies only on a platform, in an app, or
// both: "On Android: ", "Google Authenticator: ", "On Android, in Google
// Authenticator: ". tailorStep reads it back.
func stepMark(platform, app string) string {
	switch {
	case platform != "" && app != "":
		return "On " + PlatformName(platform) + ", in " + AppName(app) + ": "
	case platform != "":
		return "On " + PlatformName(platform) + ": "
	case app != "":
		return AppName(app) + ": "
	}
	return ""
}

// markOf splits a step into the platform and app its mark names ("" when none) and
// the step's own text.
func markOf(step string) (platform, app, text string) {
	platforms, apps := append([]string{""}, Platforms...), append([]string{""}, Apps()...)
	for _, p := range platforms {
		for _, a := range apps {
			if mark := stepMark(p, a); mark != "" && strings.HasPrefix(step, mark) {
				return p, a, step[len(mark):]
			}
		}
	}
	return "", "", step
}

// AppName is an authenticator app id (as --app takes it) as people write it.
func AppName(id string) string {
	for _, a := range apps {
		if a.id == id {
			return a.name
		}
	}
	return id
}

// apps are the authenticator apps fix steps can be specific to, in the order --app
// lists them.
var apps = []struct{ id, name string }{
	{"google-authenticator", "Google Authenticator"},
	{"microsoft-authenticator", "Microsoft Authenticator"},
	{"authy", "Authy"},
	{"duo", "Duo Mobile"},
	{"2fas", "2FAS"},
	{"aegis", "Aegis"},
	{"freeotp", "FreeOTP"},
	{"bitwarden", "Bitwarden"},
	{"1password", "1Password"},
}

// Apps lists the authenticator app ids --app accepts.
func Apps() []string {
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.id
	}
	return ids
}

// LookupCause returns what otpdoctor knows of c.
func LookupCause(c Cause) (CauseInfo, bool) {
	for _, info := range causes {
		if info.ID == c {
			return info, true
		}
	}
	return CauseInfo{}, false
}

// Causes lists every cause in vocabulary order.
func Causes() []CauseInfo { return causes }

// headline returns c's headline, or the id itself for a cause from a newer version.
func headline(c Cause) string {
	if info, ok := LookupCause(c); ok {
		return info.Headline
	}
	return strings.ReplaceAll(string(c), "-", " ")
}
