// Package status is the status check: is the service itself down, blocked, or
// refusing connections because of this machine's clock? It reads the service's status
// API (Atlassian Statuspage, Binance, Kraken) or, for any other service, times plain
// HTTPS reachability; it reads the service's clock (a time API or the Date header),
// which is the clock that judges codes; and it explains every failure on the way
// (DNS, refused, timeout, proxy, TLS, HTTP 403/418/429/5xx, malformed answers).
package status

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
	"github.com/otpdoctor/otpdoctor/profile"
)

// ID and Title of the check.
const (
	ID    = "status"
	Title = "Service status"
)

// Check probes one service's status endpoint, and its time API when it has one.
type Check struct {
	// Endpoint is the status URL and what it speaks (a Kinds value; "" is auto).
	Endpoint profile.Endpoint
	// TimeAPI is the service's time API (a TimeKinds value), or nil: then the status
	// answer's Date header is the service's clock.
	TimeAPI *profile.Endpoint
	// Service names the service in messages ("" for the status URL's host); Links are
	// its status and support pages, added to the fix steps.
	Service string
	Links   profile.Links
	// UserAgent is sent with every request (web.UserAgent); "": web.New's default.
	UserAgent string
	// Roots are the certificate authorities trusted; nil: the system's.
	Roots *x509.CertPool
	// Proxy picks the proxy for a request; nil: HTTPS_PROXY and NO_PROXY.
	Proxy func(*http.Request) (*url.URL, error)
}

func (c *Check) ID() string    { return ID }
func (c *Check) Title() string { return Title }

// run is one Run of the check: what it has measured so far.
type run struct {
	c      *Check
	env    *diag.Env
	facts  diag.StatusFacts
	res    diag.Result
	name   string  // the service as messages name it
	offset *Offset // this machine against the service's clock, when read
}

func (c *Check) Run(ctx context.Context, env *diag.Env) diag.Result {
	r := &run{c: c, env: env, facts: diag.StatusFacts{Indicator: IndicatorUnknown, ServerTimeSource: "none", URL: web.Redact(c.Endpoint.URL),
		Components: []diag.ComponentFact{}, Incidents: []diag.IncidentFact{}, Maintenances: []diag.IncidentFact{}}}
	r.res.Status = diag.StatusOK
	r.probe(ctx)
	if off := r.offset; off != nil && r.res.Status == diag.StatusOK && len(r.res.Findings) == 0 {
		r.res.Summary += fmt.Sprintf(" This computer's clock is within %s of %s's.", diag.HumanDuration(max(off.Min.Abs(), off.Max.Abs())), r.name)
	}
	r.res.Facts = &r.facts
	return r.res
}

func (r *run) probe(ctx context.Context) {
	c, env := r.c, r.env
	u, err := web.ParseURL(c.Endpoint.URL)
	if err != nil {
		r.cannotRun("The status URL is not usable: %v.", err)
		return
	}
	kind := c.Endpoint.Kind
	if kind == "" {
		kind = KindAuto
	}
	if !slices.Contains(Kinds, kind) {
		r.cannotRun("The status kind %q is unknown (known: %s).", kind, strings.Join(Kinds, ", "))
		return
	}
	r.name = c.Service
	if r.name == "" {
		r.name = u.Host // as the other messages name it
	}
	target := endpointURL(u, kind)
	r.facts.URL = web.RedactURL(target)
	client := c.client(env, env.Now)

	// The status and the service's clock are asked at once: the check then takes one
	// timeout, not two, when the service does not answer.
	var timeEx *exchange
	var wg sync.WaitGroup
	timeURL := r.timeURL()
	if timeURL != nil {
		wg.Go(func() {
			ex := fetch(ctx, client, env.Now, timeURL)
			timeEx = &ex
		})
	}
	ex := fetch(ctx, client, env.Now, target)
	wg.Wait()
	r.record(ex)
	r.readClock(ctx, ex, timeEx)
	if ex.status == 0 {
		r.failed(ctx, ex)
		return
	}
	if f := classifyHTTP(ex, kind, env.Now()); f != nil {
		r.find(*f)
		return
	}
	if ex.err != nil { // the answer came but its body could not be read
		r.find(classifyError(ex.err, target.Host))
		return
	}
	r.judge(ctx, kind, client, ex)
}

// timeURL is the service's time API, or nil.
func (r *run) timeURL() *url.URL {
	if r.c.TimeAPI == nil {
		return nil
	}
	u, err := web.ParseURL(r.c.TimeAPI.URL)
	if err != nil {
		r.detail("the service's time API is not usable: %v", err)
		return nil
	}
	return u
}

// client is an HTTP client under the run's timeout whose certificates are judged at
// now's time.
func (c *Check) client(env *diag.Env, now func() time.Time) *http.Client {
	return web.New(web.Options{Timeout: env.Timeout, UserAgent: c.UserAgent, Roots: c.Roots, Now: now, Proxy: c.Proxy})
}

// record keeps what every answer tells: status, timings, certificate.
func (r *run) record(ex exchange) {
	if ex.status != 0 {
		status := ex.status
		r.facts.HTTPStatus = &status
	}
	timings := ex.timings
	r.facts.Timings = &timings
	if ex.tls != nil {
		r.facts.TLS = tlsFactsOf(ex.tls.PeerCertificates, ex.tls.Version)
		r.facts.TLS.Verified = true
	}
	r.detail("%s", describeExchange(ex))
}

// describeExchange is one request as a line for -v: what came back, and how long each
// phase took.
func describeExchange(ex exchange) string {
	answer := "no answer"
	if ex.status != 0 {
		answer = fmt.Sprintf("HTTP %d, %d bytes", ex.status, len(ex.body))
	}
	return fmt.Sprintf("GET %s: %s in %.1f ms (%s)", web.RedactURL(ex.url), answer, ex.timings.Total, describeTimings(ex.timings))
}

func describeTimings(t diag.Timings) string {
	var parts []string
	for _, p := range []struct {
		name string
		ms   *float64
	}{{"DNS", t.DNS}, {"connect", t.Connect}, {"TLS", t.TLS}, {"first byte", t.FirstByte}} {
		if p.ms != nil {
			parts = append(parts, fmt.Sprintf("%s %.1f ms", p.name, *p.ms))
		}
	}
	if len(parts) == 0 {
		return "no phase completed"
	}
	return strings.Join(parts, ", ")
}

// failed explains a status request that got no answer at all.
func (r *run) failed(ctx context.Context, ex exchange) {
	var verifyErr *tls.CertificateVerificationError
	var invalid x509.CertificateInvalidError
	if errors.As(ex.err, &verifyErr) {
		r.facts.TLS = tlsFactsOf(verifyErr.UnverifiedCertificates, 0)
		if r.facts.TLS != nil {
			r.facts.TLS.Error = verifyErr.Err.Error()
		}
	}
	r.detail("the request failed: %s", web.RedactError(ex.err))
	if verifyErr != nil && errors.As(verifyErr.Err, &invalid) && invalid.Reason == x509.Expired && len(verifyErr.UnverifiedCertificates) > 0 {
		v := r.c.judgeCertTime(ctx, r.env, ex.url, verifyErr, invalid.Cert)
		r.res.Details = append(r.res.Details, v.details...)
		if r.facts.TLS != nil {
			r.facts.TLS.ValidAtServerDate, r.facts.TLS.ValidAtTrueTime = v.atDate, v.atTrue
		}
		if v.offset != nil {
			r.setOffset(*v.offset)
		}
		r.find(v.failure)
		return
	}
	r.find(classifyError(ex.err, ex.url.Host))
}

// find adds the finding f points to (if any) and worsens the status to match; the
// summary is the message of the worst.
func (r *run) find(f failure) {
	if r.facts.Failure == "" {
		r.facts.Failure = f.code
	}
	if f.retryAfter != nil {
		r.facts.RetryAfterSeconds = f.retryAfter
	}
	status := diag.StatusError // no cause: the check could not measure
	if f.cause != "" {
		finding := diag.NewFinding(f.cause, f.severity, f.message, f.steps...)
		finding.Steps = diag.AppendSteps(finding.Steps, diag.Steps(r.statusLinks(f.cause)...)...)
		r.res.Findings = append(r.res.Findings, finding)
		status = diag.StatusOf(finding)
	}
	if r.res.Summary == "" || status.Worse(r.res.Status) {
		r.res.Summary = f.message
	}
	if status.Worse(r.res.Status) {
		r.res.Status = status
	}
}

// statusLinks are the last steps for an outage or a blocked network: where the
// service's own status and support are.
func (r *run) statusLinks(cause diag.Cause) []string {
	if cause != diag.CauseServiceOutage && cause != diag.CauseNetworkBlocked {
		return nil
	}
	var steps []string
	if page := r.c.Links.StatusPage; page != "" {
		steps = append(steps, fmt.Sprintf("Follow %s's status page: %s", r.name, page))
	}
	if support := r.c.Links.Support; support != "" {
		steps = append(steps, fmt.Sprintf("If it goes on, contact %s's support: %s", r.name, support))
	}
	return steps
}

// cannotRun ends the run as unable to measure.
func (r *run) cannotRun(format string, args ...any) {
	r.res.Status = diag.StatusError
	r.res.Summary = fmt.Sprintf(format, args...)
}

func (r *run) detail(format string, args ...any) {
	r.res.Details = append(r.res.Details, fmt.Sprintf(format, args...))
}

// ok reports what was found when nothing is wrong (findings' messages take precedence).
func (r *run) ok(format string, args ...any) {
	if r.res.Summary == "" {
		r.res.Summary = fmt.Sprintf(format, args...)
	}
}
