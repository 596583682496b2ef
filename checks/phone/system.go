package phone

import (
	"fmt"

	"github.com/otpdoctor/otpdoctor/diag"
)

// androidRootsSince is the first Android version whose certificate store holds ISRG
// Root X1, the root Let's Encrypt's certificates chain to. Older versions relied on a
// cross-signature that expired on 30 September 2024, so sites with those
// certificates (a large part of the web) fail on them. Sources are in
// docs/phone.md ("Outdated systems").
var androidRootsSince = []int{7, 1, 1}

// outdatedSystem says when the phone's system is too old for today's TLS
// certificates: worth knowing (signing in from that phone may fail), though it is not
// why codes are refused. Only versions with a published threshold are judged.
func outdatedSystem(d Device) (diag.Finding, bool) {
	if d.Platform != diag.PlatformAndroid {
		return diag.Finding{}, false
	}
	if below, ok := versionBelow(d.OSVersion, androidRootsSince); !ok || !below {
		return diag.Finding{}, false
	}
	// Only this step: the catalog's steps for the cause are about this computer.
	return diag.Finding{
		Cause: diag.CauseTLSUntrusted, Severity: diag.SeverityInfo,
		Message: fmt.Sprintf("This phone runs Android %s, older than 7.1.1: it does not trust the root certificate of Let's Encrypt, whose certificates many sites use, so secure pages and apps can fail on it with certificate errors.", d.OSVersion),
		Steps: []diag.Step{{Device: diag.DevicePhone, Platform: diag.PlatformAndroid,
			Text: "Install the system updates the phone offers (Settings → System → System update); if it is offered none any more, sign in from a newer device, or use Firefox, which brings its own certificates."}},
	}, true
}
