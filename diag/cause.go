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
	CauseCounterDrift       Cause = "counter-drift"
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

// CauseInfo is everything otpdoctor says about a cause. It is the one source of both
// the fix steps in reports and the pages under docs/causes (make docs).
type CauseInfo struct {
	ID       Cause
	Headline string // plain words, no jargon: what a locked-out person reads first
	Meaning  string // what it is
	Detect   string // how otpdoctor tells
	Steps    []Step
}

// Docs is the path of the cause's page in otpdoctor's repository.
func (c CauseInfo) Docs() string { return DocsPath(c.ID) }

// DocsPath is the path of cause's page in otpdoctor's repository.
func DocsPath(c Cause) string { return "docs/causes/" + string(c) + ".md" }

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
