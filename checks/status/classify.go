package status

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// Failure codes, as the fact "failure" names them.
const (
	FailDNS          = "dns"
	FailRefused      = "connection-refused"
	FailReset        = "connection-reset"
	FailTimeout      = "timeout"
	FailProxy        = "proxy"
	FailNetwork      = "network"
	FailRedirects    = "redirect-loop"
	FailTLSClock     = "tls-clock"
	FailTLSExpired   = "tls-expired"
	FailTLSUntrusted = "tls-untrusted"
	FailTLSHostname  = "tls-hostname"
	FailTLS          = "tls"
	FailForbidden    = "http-403"
	FailBanned       = "http-418"
	FailRateLimited  = "http-429"
	FailServer       = "http-5xx"
	FailNotStatus    = "http-4xx"
	FailMalformed    = "malformed-body"
	FailTooLarge     = "body-too-large"
)

// failure is what went wrong with a request, in plain words, and what it points to.
type failure struct {
	code     string
	cause    diag.Cause // "" when it points to no cause (the status URL is wrong)
	severity diag.Severity
	message  string
	steps    []string // fix steps specific to what was measured, before the catalog's
	// retryAfter is the wait a rate-limiting service asked for, in seconds.
	retryAfter *float64
}

// Steps that several failures share.
const (
	// The catalog's network-blocked step (another network, VPN or proxy off) follows
	// these, so they say only what is particular to the failure.
	stepSignInPage = "If this network has a sign-in page (hotel, airport, café Wi-Fi), open a browser and sign in first."
	stepVPNCountry = "If you use a VPN, turn it off or pick a server in your own country: services block many VPN and data-centre addresses."
)

// networkFailureCodes are the failure codes of the kinds of network failure.
var networkFailureCodes = map[web.Kind]string{
	web.KindOther:        FailNetwork,
	web.KindDNS:          FailDNS,
	web.KindRefused:      FailRefused,
	web.KindReset:        FailReset,
	web.KindTimeout:      FailTimeout,
	web.KindUnreachable:  FailNetwork,
	web.KindProxyRefused: FailProxy,
	web.KindProxyDown:    FailProxy,
	web.KindRedirectLoop: FailRedirects,
	web.KindCertificate:  FailTLS,
	web.KindNotTLS:       FailTLS,
}

// networkFixSteps are the steps particular to each kind of network failure.
var networkFixSteps = map[web.Kind][]string{
	web.KindDNS:          {diag.StepCheckOnline},
	web.KindRefused:      {"Check any firewall or security software on this computer."},
	web.KindReset:        {stepVPNCountry},
	web.KindTimeout:      {"Try again with a longer --timeout, for example --timeout 10s."},
	web.KindProxyRefused: {"Check the proxy settings (HTTPS_PROXY, or the system's proxy settings); a company proxy may need you to sign in or may block this service."},
	web.KindProxyDown:    {"Check the proxy settings (HTTPS_PROXY, or the system's proxy settings): the proxy named there is down or wrong."},
	web.KindRedirectLoop: {"Open the service's site in a browser: if a Wi-Fi sign-in page appears, sign in there first."},
	web.KindNotTLS:       {stepSignInPage},
}

// classifyError explains a request that got no usable answer. Certificates refused as
// expired or not yet valid are judged by Check.judgeCertTime, which needs the network.
func classifyError(err error, host string) failure {
	if errors.Is(err, fileio.ErrTooLarge) {
		return failure{code: FailTooLarge, cause: diag.CauseServiceOutage, severity: diag.SeverityWarn,
			message: fmt.Sprintf("%s sent more than %d MiB where a short status was expected: the service is misbehaving, or something in between replaced its answer.", host, web.MaxBody>>20)}
	}
	network := web.Classify(err)
	var verifyErr *tls.CertificateVerificationError
	if network.Kind == web.KindCertificate && errors.As(err, &verifyErr) {
		if f, ok := classifyVerifyError(verifyErr, host); ok {
			return f
		}
	}
	f := failure{code: networkFailureCodes[network.Kind], cause: diag.CauseNetworkBlocked, severity: diag.SeverityFail,
		message: network.Sentence(), steps: networkFixSteps[network.Kind]}
	if network.Kind == web.KindRedirectLoop { // the service's own site, most likely
		f.cause, f.severity = diag.CauseServiceOutage, diag.SeverityWarn
	}
	return f
}

// classifyVerifyError explains a certificate chain refused for its issuer or its name;
// ok is false for other reasons (its dates are judged by Check.judgeCertTime).
func classifyVerifyError(e *tls.CertificateVerificationError, host string) (f failure, ok bool) {
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	switch {
	case errors.As(e.Err, &unknown):
		issuer := describeName(presentedIssuer(e.UnverifiedCertificates, unknown.Cert))
		return failure{code: FailTLSUntrusted, cause: diag.CauseTLSUntrusted, severity: diag.SeverityFail,
			message: fmt.Sprintf("The certificate %s presented was issued by %s, which this computer does not trust.", host, issuer),
			steps: []string{
				fmt.Sprintf("If %s is the name of your antivirus, firewall or company proxy, it is intercepting secure connections: turn its HTTPS/SSL scanning off, or ask its administrator.", issuer),
				"Otherwise this computer's trusted certificates are out of date: install the system's updates.",
			}}, true
	case errors.As(e.Err, &hostname):
		return failure{code: FailTLSHostname, cause: diag.CauseNetworkBlocked, severity: diag.SeverityFail,
			message: fmt.Sprintf("The certificate presented for %s belongs to another name (%s): something on the network answered in the service's place.", host, describeName(hostname.Certificate.Subject)),
			steps:   []string{stepSignInPage, stepVPNCountry}}, true
	}
	return failure{}, false
}

// classifyHTTP explains an answer whose HTTP status says the probe failed; nil for
// statuses that carry a status (2xx) or, for plain reachability, any answer below 500
// other than the blocking ones.
func classifyHTTP(ex exchange, kind string, now time.Time) *failure {
	host := ex.url.Host
	code := ex.status
	text := fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
	switch {
	case code == http.StatusForbidden:
		return &failure{code: FailForbidden, cause: diag.CauseNetworkBlocked, severity: diag.SeverityFail,
			message: fmt.Sprintf("%s refused access (%s). Services' firewalls answer this to whole countries, VPNs and data centres, not to one account.", host, text),
			steps:   []string{stepVPNCountry}}
	case code == http.StatusTeapot || code == http.StatusTooManyRequests:
		f := &failure{code: FailRateLimited, cause: diag.CauseNetworkBlocked, severity: diag.SeverityWarn,
			message: fmt.Sprintf("%s is limiting requests from this network's address (%s): too many came from it recently.", host, text)}
		if code == http.StatusTeapot {
			f.code, f.severity = FailBanned, diag.SeverityFail
			f.message = fmt.Sprintf("%s has banned this network's address for a while (%s) after too many requests.", host, text)
		}
		wait := "a few minutes"
		if after, ok := retryAfter(ex.header, now); ok {
			wait = diag.HumanDuration(after)
			seconds := after.Seconds()
			f.retryAfter = &seconds
			f.message += " It says to retry in " + wait + "."
		}
		f.steps = []string{
			"Wait " + wait + " before trying again, and stop any app or script that calls the service's API from this network.",
			"A shared network (office, VPN, mobile carrier) shares one address with many people: try another network.",
		}
		return f
	case code >= 500:
		f := &failure{code: FailServer, cause: diag.CauseServiceOutage, severity: diag.SeverityFail,
			message: fmt.Sprintf("%s is failing (%s): the problem is on the service's side.", host, text)}
		if kind == KindStatuspage {
			f.severity = diag.SeverityWarn
			f.message = fmt.Sprintf("The status page %s is failing (%s): the service may be having trouble.", host, text)
		}
		return f
	case code >= 400 && kind != KindHTTP:
		return &failure{code: FailNotStatus, severity: diag.SeverityWarn,
			message: fmt.Sprintf("%s answered %s: %s is not a status API otpdoctor can read. Check the address, or give --status-kind http to check only that the service answers.", host, text, web.RedactURL(ex.url))}
	}
	return nil
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	raw := h.Get("Retry-After")
	if raw == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(raw, 10, 32); err == nil {
		return time.Duration(n) * time.Second, true
	}
	if at, err := http.ParseTime(raw); err == nil && at.After(now) {
		return at.Sub(now), true
	}
	return 0, false
}

// malformed explains a body that is not the status it should be.
func malformed(host string, err error) failure {
	if errors.Is(err, errHTML) {
		return failure{code: FailMalformed, cause: diag.CauseNetworkBlocked, severity: diag.SeverityWarn,
			message: fmt.Sprintf("A web page came back from %s instead of its status: often a Wi-Fi sign-in page, a filter's block page or a proxy's error page.", host),
			steps:   []string{"Open a browser: if a sign-in or block page appears, sign in or use another network."}}
	}
	return failure{code: FailMalformed, cause: diag.CauseServiceOutage, severity: diag.SeverityWarn,
		message: fmt.Sprintf("%s answered with something that is not its status: %v. The service may be having trouble.", host, err)}
}
