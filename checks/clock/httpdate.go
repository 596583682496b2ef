package clock

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// DefaultTimeURLs are well-known HTTPS sites whose Date header stands in for NTP when
// UDP port 123 is blocked.
var DefaultTimeURLs = []string{"https://www.google.com/", "https://www.cloudflare.com/", "https://www.apple.com/", "https://www.microsoft.com/"}

// maxRefineProbes bounds the requests sent to one site while refining: each halves the
// uncertainty, so eight take one second down to 4 ms, below what a round trip allows.
const maxRefineProbes = 8

// dateReading is one HEAD request: sent and received on this machine's clock, and the
// server's Date, which is its clock at some instant in between, cut to the second.
type dateReading struct {
	sent, received time.Time
	date           time.Time
}

// bounds is the offset range the reading allows: the server's clock read in
// [date, date+1s) at a local instant in [sent, received].
func (r dateReading) bounds() (lo, hi time.Duration) {
	return r.sent.Sub(r.date) - time.Second, r.received.Sub(r.date)
}

// unusableDate is an answer whose Date cannot be trusted or read.
type unusableDate struct{ reason, detail string }

func (e *unusableDate) Error() string { return e.reason + ": " + e.detail }

// readDate reads a response's Date, refusing cached answers (Age > 0), whose Date is
// older than the request.
func readDate(h http.Header) (time.Time, error) {
	if age := h.Get("Age"); age != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(age), 10, 63)
		if err != nil {
			return time.Time{}, &unusableDate{"cached answer", "its Age header is unreadable, so it may come from a cache"}
		}
		if n > 0 {
			return time.Time{}, &unusableDate{"cached answer", fmt.Sprintf("Age: %d s says a cache kept it, so its Date is not the time now", n)}
		}
	}
	raw := h.Get("Date")
	if raw == "" {
		return time.Time{}, &unusableDate{"no Date header", "the answer carries no Date header"}
	}
	date, err := http.ParseTime(raw)
	if err != nil {
		return time.Time{}, &unusableDate{"unreadable Date header", "the Date header is not an HTTP date"}
	}
	return date, nil
}

// headDate sends one HEAD request and reads its Date. It returns the URL that finally
// answered, so that refining probes skip the redirects.
func headDate(ctx context.Context, client *http.Client, target string, now func() time.Time) (dateReading, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, target, nil)
	if err != nil {
		return dateReading{}, "", err
	}
	req.Header.Set("Cache-Control", "no-cache")
	sent := now()
	resp, err := client.Do(req)
	received := now()
	if err != nil {
		return dateReading{}, "", err
	}
	web.Drain(resp)
	date, err := readDate(resp.Header)
	if err != nil {
		return dateReading{}, "", err
	}
	return dateReading{sent: sent, received: received, date: date}, resp.Request.URL.String(), nil
}

// queryDate measures the offset against one site's Date header: a first request bounds
// it to about a second, then, while ctx allows, requests timed to land where the
// server's second should tick over halve the bound each (htpdate's bisection).
func queryDate(ctx context.Context, client *http.Client, target string, now func() time.Time) source {
	src := source{Server: web.Redact(target), Protocol: diag.ReferenceHTTPSDate}
	if u, err := url.Parse(target); err == nil {
		src.Server = u.Host
	}
	first, final, err := headDate(ctx, client, target, now)
	if err != nil {
		src.Err, src.Detail = describeHTTPError(err)
		var unusable *unusableDate
		src.answered = errors.As(err, &unusable)
		return src
	}
	src.answered = true
	lo, hi := first.bounds()
	rtt := first.received.Sub(first.sent)
	src.RTT = rtt
	probes := 0
	for ; probes < maxRefineProbes && hi-lo > max(rtt, minRadius); probes++ {
		cut := lo + (hi-lo)/2
		sendAt := sendTimeForCut(now(), cut, rtt)
		wait := sendAt.Sub(now())
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait+2*rtt+minRadius {
			break // the answer would come too late
		}
		if !sleep(ctx, wait) {
			break
		}
		r, _, err := headDate(ctx, client, final, now)
		if err != nil {
			break
		}
		rtt = r.received.Sub(r.sent)
		rlo, rhi := r.bounds()
		nlo, nhi := max(lo, rlo), min(hi, rhi)
		if nlo > nhi {
			src.Detail = "its Date headers contradict each other (servers behind it disagree?); kept the first bounds"
			break
		}
		lo, hi = nlo, nhi
	}
	src.Interval = Interval{Offset: lo + (hi-lo)/2, Radius: max((hi-lo)/2, minRadius)}
	src.measured = true
	if src.Detail == "" {
		src.Detail = fmt.Sprintf("%d requests narrowed the Date header's one-second steps to %s", probes+1, plusMinus(src.Radius))
	}
	return src
}

// sendTimeForCut is when to send a request so that the server handles it (half a round
// trip later) just as its clock ticks over a second, if this machine's offset is cut:
// whether the Date shows the new second or the old then says on which side of cut the
// offset lies.
func sendTimeForCut(now time.Time, cut, rtt time.Duration) time.Time {
	const margin = time.Millisecond
	earliestServer := now.Add(-cut).Add(rtt/2 + margin)
	tick := earliestServer.Truncate(time.Second)
	if tick.Before(earliestServer) {
		tick = tick.Add(time.Second)
	}
	return tick.Add(cut).Add(-rtt / 2)
}

// sleep waits d, or less when ctx ends first (then it returns false).
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// describeHTTPError turns a failed request into a short reason and a longer detail.
func describeHTTPError(err error) (reason, detail string) {
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	var unusable *unusableDate
	switch {
	case errors.As(err, &unusable):
		return unusable.reason, unusable.detail
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "certificate expired or not yet valid", "the site's certificate is not valid at this machine's time: the clock may be far off (" + invalid.Error() + ")"
	case errors.As(err, &unknown):
		return "certificate not trusted", "the certificate is signed by an unknown authority: an outdated root store, or a proxy or antivirus intercepting HTTPS"
	}
	failure := web.Classify(err)
	return failure.Reason, failure.Explanation
}
