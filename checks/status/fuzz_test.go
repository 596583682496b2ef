package status

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// FuzzRetryAfter: any Retry-After header, at any instant, is a wait of zero or more, or
// none; never a panic or a negative wait.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC).Unix()
	for _, raw := range []string{"120", "0", "4294967295", "4294967296", "-1", "1e3", " 5",
		"Thu, 26 Nov 2026 09:05:00 GMT", "Thursday, 26-Nov-26 09:05:00 GMT", "Thu Nov 26 09:05:00 2026",
		"Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", ""} {
		f.Add(raw, now)
	}
	f.Fuzz(func(t *testing.T, raw string, unix int64) {
		wait, ok := retryAfter(http.Header{"Retry-After": {raw}}, time.Unix(unix, 0))
		if !ok && wait != 0 || wait < 0 {
			t.Fatalf("Retry-After %q: wait %v, ok %v", raw, wait, ok)
		}
	})
}

// certTimeServer is a TLS server on loopback whose certificate and Date header each
// fuzz input sets.
type certTimeServer struct {
	srv  *httptest.Server
	cert atomic.Pointer[tls.Certificate]
	date atomic.Pointer[string]
}

func newCertTimeServer(f *testing.F) *certTimeServer {
	s := &certTimeServer{}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Date"] = []string{*s.date.Load()}
		w.Write([]byte("{}"))
	}))
	s.srv.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return &tls.Config{Certificates: []tls.Certificate{*s.cert.Load()}}, nil
	}}
	s.srv.Config.ErrorLog = quietLog()
	s.srv.StartTLS()
	f.Cleanup(s.srv.Close)
	return s
}

// FuzzCertTime: the judgement of a certificate refused for its dates, with every date
// fuzzed (the certificate's validity, this machine's clock, the service's Date header,
// the reference's offset), never panics and blames the right party. A chain valid at
// true time was refused for this machine's clock (tls-clock); one invalid at true time
// is the service's (expired or not yet valid). Instants within a minute of a validity
// bound are not judged: the real clock moves on during the run.
func FuzzCertTime(f *testing.F) {
	ca := newCA(f, "Test Root CA", "otpdoctor tests")
	s := newCertTimeServer(f)
	const day = int64(24 * 60 * 60)
	// notBefore, notAfter and this clock's error in seconds from now; the reference's
	// say, or none; the service's Date.
	f.Add(-30*day, 60*day, 2*365*day, true, 2*365*day, "")
	f.Add(-30*day, 60*day, -365*day, false, int64(0), "Thu, 26 Nov 2026 09:00:00 GMT")
	f.Add(-90*day, -day, int64(0), true, int64(0), "not a date")
	f.Add(2*day, 90*day, int64(0), true, int64(0), "Mon, 01 Jan 0001 00:00:00 GMT")
	f.Add(60*day, -60*day, 100*365*day, true, -100*365*day, "Fri, 31 Dec 9999 23:59:59 GMT")
	f.Fuzz(func(t *testing.T, notBefore, notAfter, skew int64, refKnown bool, refOffset int64, date string) {
		const limit = 200 * 365 * day // a Duration holds 292 years
		notBefore, notAfter, skew, refOffset = notBefore%limit, notAfter%limit, skew%limit, refOffset%limit
		now := time.Now()
		from, until := now.Add(time.Duration(notBefore)*time.Second), now.Add(time.Duration(notAfter)*time.Second)
		cert, err := ca.Issue(from, until)
		if err != nil {
			return // dates a certificate cannot hold
		}
		s.cert.Store(&cert)
		if date == "" {
			date = now.UTC().Format(http.TimeFormat)
		}
		s.date.Store(&date)
		var ref *diag.Reference
		if refKnown {
			ref = &diag.Reference{Source: diag.ReferenceNTP, Offset: time.Duration(refOffset) * time.Second, Uncertainty: time.Second}
		}
		env := testEnv(time.Duration(skew)*time.Second, ref)
		c := &Check{Endpoint: profile.Endpoint{URL: s.srv.URL, Kind: KindHTTP}, Roots: ca.Pool()}
		res := c.Run(context.Background(), env)

		for _, text := range append([]string{res.Summary}, res.Details...) {
			if strings.ContainsFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
				t.Fatalf("control character in %q", text)
			}
		}
		// An instant is judged only when it is a minute or more from both bounds; a
		// reversed validity holds no instant.
		clearly := func(at time.Time) (valid, sure bool) {
			near := func(b time.Time) bool { return at.Sub(b).Abs() < time.Minute }
			if near(from) || near(until) {
				return false, false
			}
			return !at.Before(from) && !at.After(until), true
		}
		failure := factsOf(res).Failure
		localNow := env.Now()
		if valid, sure := clearly(localNow); sure && valid {
			if failure == FailTLSClock || failure == FailTLSExpired {
				t.Fatalf("a certificate valid at this clock's time judged %s: %s", failure, res.Summary)
			}
			return
		}
		if !refKnown || failure != FailTLSClock && failure != FailTLSExpired {
			return // no reference to judge by, or refused for another reason (a reversed validity)
		}
		if valid, sure := clearly(localNow.Add(-ref.Offset)); sure {
			wantFailure := map[bool]string{true: FailTLSClock, false: FailTLSExpired}[valid]
			if failure != wantFailure {
				t.Fatalf("a certificate valid at true time: %v, judged %s: %s", valid, failure, res.Summary)
			}
		}
	})
}
