package status

import (
	"context"
	"crypto/tls"
	"math"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// exchange is one GET and what came of it.
type exchange struct {
	url *url.URL
	// wrote and answered bracket the moment the server wrote its answer, on this
	// machine's clock (env.Now): after the request was written, before the first byte
	// of the answer arrived.
	wrote, answered time.Time
	status          int // 0: no answer
	header          http.Header
	body            []byte
	tls             *tls.ConnectionState
	timings         diag.Timings
	err             error // the request or reading the body failed
}

// fetch GETs u with client, timing each phase with httptrace and stamping the answer
// with now (this machine's clock, as --now sets it).
func fetch(ctx context.Context, client *http.Client, now func() time.Time, u *url.URL) exchange {
	rec := &recorder{now: now}
	start, sent := time.Now(), now()
	ex := exchange{url: u}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, rec.trace()), http.MethodGet, u.String(), nil)
	if err == nil {
		req.Header.Set("Accept", "application/json, */*;q=0.5")
		var resp *http.Response
		if resp, err = client.Do(req); err == nil {
			ex.status, ex.header, ex.tls = resp.StatusCode, resp.Header, resp.TLS
			ex.body, err = web.ReadBody(resp)
		}
	}
	ex.err = err

	rec.mu.Lock()
	defer rec.mu.Unlock()
	ex.timings = rec.timings
	ex.timings.Total = *msSince(start)
	ex.wrote, ex.answered = rec.wrote, rec.answered
	if ex.wrote.IsZero() {
		ex.wrote = sent
	}
	if ex.answered.IsZero() {
		ex.answered = now()
	}
	return ex
}

// recorder collects a request's timings from httptrace hooks, which run on the
// transport's goroutines (a losing parallel dial may report late: hence the lock).
type recorder struct {
	now func() time.Time

	mu                                        sync.Mutex
	dnsStart, connectStart, tlsStart, wroteAt time.Time
	wrote, answered                           time.Time
	timings                                   diag.Timings
}

func (r *recorder) trace() *httptrace.ClientTrace {
	mark := func(at *time.Time) {
		r.mu.Lock()
		defer r.mu.Unlock()
		*at = time.Now()
	}
	span := func(start *time.Time, into **float64) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if !start.IsZero() {
			*into = msSince(*start)
		}
	}
	return &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { mark(&r.dnsStart) },
		DNSDone:           func(httptrace.DNSDoneInfo) { span(&r.dnsStart, &r.timings.DNS) },
		ConnectStart:      func(string, string) { mark(&r.connectStart) },
		ConnectDone:       func(string, string, error) { span(&r.connectStart, &r.timings.Connect) },
		TLSHandshakeStart: func() { mark(&r.tlsStart) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { span(&r.tlsStart, &r.timings.TLS) },
		WroteRequest: func(httptrace.WroteRequestInfo) {
			mark(&r.wroteAt)
			r.mu.Lock()
			defer r.mu.Unlock()
			r.wrote = r.now()
		},
		GotFirstResponseByte: func() {
			span(&r.wroteAt, &r.timings.FirstByte)
			r.mu.Lock()
			defer r.mu.Unlock()
			r.answered = r.now()
		},
	}
}

func msSince(start time.Time) *float64 {
	ms := math.Round(float64(time.Since(start).Microseconds())/100) / 10
	return &ms
}
