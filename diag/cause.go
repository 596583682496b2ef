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
		text := s.Text
		if s.App != "" && app == "" {
			text = appPrefix(s.App) + text
		}
		if s.Platform != "" && platform == "" {
			text = platformPrefix(s.Platform) + text
		}
		out = append(out, text)
	}
	return out
}

// platformPrefix and appPrefix mark a step given for every platform or app as the one
// it applies to ("On Android: ", "Google Authenticator: ").
func platformPrefix(p string) string { return "On " + PlatformName(p) + ": " }
func appPrefix(app string) string    { return AppName(app) + ": " }

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
