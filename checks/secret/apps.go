package secret

import (
	"fmt"
	"strings"

	"github.com/otpdoctor/otpdoctor/diag"
)

// support is how an authenticator app handles one key parameter (REFERENCE.md's table
// of reported behaviour; versions differ).
type support int

const (
	supportUnknown    support = iota
	supportYes                // handles it
	supportNo                 // accepts the QR code, then ignores the parameter
	supportOlder              // older versions ignore it
	supportUnreliable         // reported to handle it unreliably
)

// parameter is a key parameter that not every app handles.
type parameter int

const (
	paramAlgorithm parameter = iota // SHA256 or SHA512
	paramDigits                     // 7 or 8 digits
	paramPeriod                     // a period other than 30 s
	paramHOTP                       // counter-based codes
)

// appSupport is one app's row of the table.
type appSupport map[parameter]support

// appTable is REFERENCE.md's "Authenticator apps" table; an app or parameter missing
// from it is unknown. Google Authenticator differs between Android and iOS.
var appTable = map[string]appSupport{
	"google-authenticator":    {paramAlgorithm: supportOlder, paramDigits: supportOlder, paramPeriod: supportNo, paramHOTP: supportYes},
	"microsoft-authenticator": {paramAlgorithm: supportNo, paramDigits: supportNo, paramPeriod: supportNo, paramHOTP: supportNo},
	"authy":                   {paramAlgorithm: supportNo, paramDigits: supportUnreliable},
	"duo":                     {paramAlgorithm: supportNo},
	"2fas":                    {paramAlgorithm: supportNo, paramDigits: supportYes, paramPeriod: supportYes},
	"aegis":                   {paramAlgorithm: supportYes, paramDigits: supportYes, paramPeriod: supportYes, paramHOTP: supportYes},
	"freeotp":                 {paramAlgorithm: supportYes, paramDigits: supportYes, paramPeriod: supportYes, paramHOTP: supportYes},
	"bitwarden":               {paramDigits: supportYes},
}

// googleIOS: Google Authenticator on iOS supported SHA256/SHA512 and 8 digits earlier.
var googleIOS = appSupport{paramAlgorithm: supportYes, paramDigits: supportYes, paramPeriod: supportNo, paramHOTP: supportYes}

// supportOf says how app (on platform, when known) handles p.
func supportOf(app, platform string, p parameter) support {
	row := appTable[app]
	if app == "google-authenticator" && platform == diag.PlatformIOS {
		row = googleIOS
	}
	return row[p]
}

// unusualParameters are the parameters of k that some apps do not handle, each with how
// it reads in a message.
func unusualParameters(k Key) map[parameter]string {
	out := map[parameter]string{}
	if k.Algorithm == SHA256 || k.Algorithm == SHA512 {
		out[paramAlgorithm] = string(k.Algorithm)
	}
	if k.Digits == 7 || k.Digits == 8 {
		out[paramDigits] = fmt.Sprintf("%d digits", k.Digits)
	}
	if k.Type == TOTP && k.Period != 30 {
		out[paramPeriod] = fmt.Sprintf("a %d-second period", k.Period)
	}
	if k.Type == HOTP {
		out[paramHOTP] = "counter-based (HOTP) codes"
	}
	return out
}

// appFindings are the parameter-mismatch findings for k's unusual parameters: for the
// user's app when --app names it, else naming the apps that would show wrong codes.
func appFindings(k Key, env *diag.Env) (findings []diag.Finding, details []string) {
	unusual := unusualParameters(k)
	for _, p := range []parameter{paramAlgorithm, paramDigits, paramPeriod, paramHOTP} {
		what, ok := unusual[p]
		if !ok {
			continue
		}
		if env.App == "" {
			if f := anyAppFinding(env, p, what); f != nil {
				findings = append(findings, *f)
			}
			continue
		}
		f, detail := oneAppFinding(env, p, what)
		if f != nil {
			findings = append(findings, *f)
		}
		details = append(details, detail)
	}
	return findings, details
}

// anyAppFinding names the apps that ignore parameter p, or is nil when none is known to.
func anyAppFinding(env *diag.Env, p parameter, what string) *diag.Finding {
	var ignoring, older []string
	for _, app := range diag.Apps() {
		switch supportOf(app, env.Platform, p) {
		case supportNo:
			ignoring = append(ignoring, diag.AppName(app))
		case supportOlder, supportUnreliable:
			older = append(older, diag.AppName(app))
		}
	}
	if len(ignoring)+len(older) == 0 {
		return nil
	}
	msg := fmt.Sprintf("The key asks for %s, which ", what)
	switch {
	case len(ignoring) > 0 && len(older) > 0:
		msg += fmt.Sprintf("%s %s, and %s may ignore (older versions, or unreliably)", joinAnd(ignoring), diag.Plural(len(ignoring), "ignores", "ignore"), joinAnd(older))
	case len(ignoring) > 0:
		msg += fmt.Sprintf("%s %s", joinAnd(ignoring), diag.Plural(len(ignoring), "ignores", "ignore"))
	default:
		msg += fmt.Sprintf("%s may ignore (older versions, or unreliably)", joinAnd(older))
	}
	msg += ": those apps accept the key and then show codes the service refuses."
	f := diag.NewFinding(diag.CauseParameterMismatch, diag.SeverityWarn, msg, anyAppStep)
	return &f
}

// The first fix steps of parameter findings: the same for every parameter, so that a
// key with several unusual parameters gets the step once.
const (
	anyAppStep = "Use an app that handles every parameter of this key (Aegis and FreeOTP handle them all); give --app NAME to check yours."
	oneAppStep = "Move the key to an app that handles every parameter of this key (Aegis and FreeOTP handle them all): otpdoctor secret show --reveal prints it as a QR code to scan."
)

// oneAppFinding judges parameter p for the app --app names.
func oneAppFinding(env *diag.Env, p parameter, what string) (*diag.Finding, string) {
	name := diag.AppName(env.App)
	var msg string
	severity := diag.SeverityWarn
	switch supportOf(env.App, env.Platform, p) {
	case supportYes:
		return nil, fmt.Sprintf("%s handles %s.", name, what)
	case supportNo:
		msg = fmt.Sprintf("%s ignores %s: it accepts the key and then shows codes the service refuses.", name, what)
	case supportOlder:
		msg = fmt.Sprintf("Older versions of %s ignore %s and show codes the service refuses; update the app.", name, what)
	case supportUnreliable:
		msg = fmt.Sprintf("%s is reported to handle %s unreliably: its codes may be refused.", name, what)
	default:
		severity = diag.SeverityInfo
		msg = fmt.Sprintf("It is not known whether %s handles %s: if its codes are refused, that may be why.", name, what)
	}
	f := diag.NewFinding(diag.CauseParameterMismatch, severity, msg, oneAppStep)
	return &f, msg
}

// joinAnd lists names as "A, B and C".
func joinAnd(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
