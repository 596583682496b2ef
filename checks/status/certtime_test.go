package status

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web/webtest"
	"github.com/otpdoctor/otpdoctor/profile"
)

func newCA(t testing.TB, name, org string) *webtest.CA {
	t.Helper()
	ca, err := webtest.NewCA(name, org)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func issue(t testing.TB, ca *webtest.CA, notBefore, notAfter time.Time, dnsNames ...string) tls.Certificate {
	t.Helper()
	cert, err := ca.Issue(notBefore, notAfter, dnsNames...)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// tlsServer serves handler over TLS with cert, its clock (the Date header) shifted by
// serverSkew.
func tlsServer(t testing.TB, cert tls.Certificate, serverSkew time.Duration, handler http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(serverSkew).UTC().Format(http.TimeFormat))
		handler.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = quietLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

const oneDay = 24 * time.Hour

func TestTLSClock(t *testing.T) {
	ca := newCA(t, "Test Root CA", "otpdoctor tests")
	now := time.Now()
	current := issue(t, ca, now.Add(-30*oneDay), now.Add(60*oneDay))
	expired := issue(t, ca, now.Add(-90*oneDay), now.Add(-1*oneDay))
	early := issue(t, ca, now.Add(2*oneDay), now.Add(90*oneDay))
	statusOK := reply(200, `{"status": 0, "msg": "normal"}`)
	tests := []struct {
		name       string
		cert       tls.Certificate
		localSkew  time.Duration // this machine's clock minus true time
		serverSkew time.Duration // the service's clock minus true time
		ref        *diag.Reference
		failure    string
		cause      diag.Cause
		offset     time.Duration // the server_offset_seconds expected
		atDate     bool
	}{
		{"this clock two years ahead", current, 2 * 365 * oneDay, 0, nil, FailTLSClock, diag.CauseTLSClock, 2 * 365 * oneDay, true},
		{"this clock a year behind", current, -365 * oneDay, 0, nil, FailTLSClock, diag.CauseTLSClock, -365 * oneDay, true},
		{"certificate really expired", expired, 0, 0, nil, FailTLSExpired, diag.CauseServiceOutage, 0, false},
		{"certificate really not yet valid", early, 0, 0, nil, FailTLSExpired, diag.CauseServiceOutage, 0, false},
		// The service's own clock is three days ahead, so its Date lets its early
		// certificate pass; the NTP reference says this machine is right: not tls-clock.
		{"the service's clock is wrong, NTP says ours is right", early, 0, 3 * oneDay,
			&diag.Reference{Source: diag.ReferenceNTP, Uncertainty: 50 * time.Millisecond}, FailTLSExpired, diag.CauseServiceOutage, -3 * oneDay, true},
		// The same with NTP agreeing that this machine is a year behind: tls-clock.
		{"NTP confirms this clock is behind", current, -365 * oneDay, 0,
			&diag.Reference{Source: diag.ReferenceNTP, Offset: -365 * oneDay, Uncertainty: 50 * time.Millisecond}, FailTLSClock, diag.CauseTLSClock, -365 * oneDay, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tlsServer(t, tt.cert, tt.serverSkew, statusOK)
			c := &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/sapi/v1/system/status", Kind: KindBinance}, Roots: ca.Pool()}
			res := probe(t, c, testEnv(tt.localSkew, tt.ref))
			want(t, res, diag.StatusFail, map[string]any{"failure": tt.failure, "indicator": "unknown", "http_status": nil}, tt.cause)
			got := factsOf(res).ServerOffsetSeconds
			if got == nil || (time.Duration(*got*float64(time.Second))-tt.offset).Abs() > 2*time.Second {
				t.Errorf("server_offset_seconds %v, want %v", got, tt.offset.Seconds())
			}
			tlsFacts := diag.FactValues(res.Facts)["tls"].(map[string]any)
			if tlsFacts["valid_at_server_date"] != tt.atDate || tlsFacts["verified"] != false {
				t.Errorf("tls facts %v", tlsFacts)
			}
			if tt.cause == diag.CauseTLSClock {
				direction := map[bool]string{true: "ahead of", false: "behind"}[tt.localSkew > 0]
				if !strings.Contains(res.Summary, direction) || !strings.Contains(res.Summary, "clock is wrong") {
					t.Errorf("summary %q does not say the clock is wrong and %s", res.Summary, direction)
				}
			}
		})
	}
}

func TestTLSClockUnconfirmed(t *testing.T) {
	// The service sends no Date and there is no reference: otpdoctor cannot tell a wrong
	// clock from an expired certificate, and says so.
	ca := newCA(t, "Test Root CA", "otpdoctor tests")
	now := time.Now()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Date"] = nil
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{issue(t, ca, now.Add(-oneDay), now.Add(oneDay))}}
	srv.Config.ErrorLog = quietLog()
	srv.StartTLS()
	defer srv.Close()
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL, Kind: KindHTTP}, Roots: ca.Pool()}, testEnv(10*oneDay, nil))
	want(t, res, diag.StatusWarn, map[string]any{"failure": FailTLSClock, "server_offset_seconds": nil}, diag.CauseTLSClock)
	if !strings.Contains(res.Summary, "at least 9 days ahead of true time") {
		t.Errorf("summary %q does not give the least the clock is off", res.Summary)
	}
}

func TestTLSUntrusted(t *testing.T) {
	trusted := newCA(t, "Test Root CA", "otpdoctor tests")
	interceptor := newCA(t, "Web Shield Root", "Contoso Antivirus")
	now := time.Now()
	srv := tlsServer(t, issue(t, interceptor, now.Add(-oneDay), now.Add(oneDay)), 0, reply(200, "{}"))
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL, Kind: KindAuto}, Roots: trusted.Pool()}, testEnv(0, nil))
	want(t, res, diag.StatusFail, map[string]any{"failure": FailTLSUntrusted}, diag.CauseTLSUntrusted)
	if !strings.Contains(res.Summary, `"Web Shield Root" (Contoso Antivirus)`) {
		t.Errorf("summary %q does not name the issuer", res.Summary)
	}
	if fix := strings.Join(diag.FixTexts(res.Findings[0].Steps, &diag.Env{}), " "); !strings.Contains(fix, "Contoso Antivirus") {
		t.Errorf("fix does not name the issuer: %s", fix)
	}
}

func TestTLSWrongName(t *testing.T) {
	ca := newCA(t, "Test Root CA", "otpdoctor tests")
	now := time.Now()
	srv := tlsServer(t, issue(t, ca, now.Add(-oneDay), now.Add(oneDay), "portal.hotel.example"), 0, reply(200, "{}"))
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL, Kind: KindAuto}, Roots: ca.Pool()}, testEnv(0, nil))
	want(t, res, diag.StatusFail, map[string]any{"failure": FailTLSHostname}, diag.CauseNetworkBlocked)
}

func TestTLSNotTLS(t *testing.T) {
	// An https:// URL whose server speaks plain HTTP: a filter or portal in the way.
	srv := serve(t, reply(200, "{}"))
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: strings.Replace(srv.URL, "http://", "https://", 1), Kind: KindAuto}}, testEnv(0, nil))
	want(t, res, diag.StatusFail, map[string]any{"failure": FailTLS}, diag.CauseNetworkBlocked)
}

func TestTLSVerified(t *testing.T) {
	ca := newCA(t, "Test Root CA", "otpdoctor tests")
	now := time.Now()
	srv := tlsServer(t, issue(t, ca, now.Add(-oneDay), now.Add(oneDay)), 0, reply(200, `{"status": 0, "msg": "normal"}`))
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/sapi/v1/system/status", Kind: KindBinance}, Roots: ca.Pool()}, testEnv(0, nil))
	want(t, res, diag.StatusOK, map[string]any{"indicator": "none"})
	tlsFacts := diag.FactValues(res.Facts)["tls"].(map[string]any)
	if tlsFacts["verified"] != true || tlsFacts["issuer"] != `"Test Root CA" (otpdoctor tests)` || !strings.HasPrefix(fmt.Sprint(tlsFacts["version"]), "TLS") {
		t.Errorf("tls facts %v", tlsFacts)
	}
	timings := diag.FactValues(res.Facts)["timings"].(map[string]any)
	if timings["tls_ms"] == nil {
		t.Errorf("no TLS handshake timing: %v", timings)
	}
}

func TestValidInstant(t *testing.T) {
	at := func(days int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days) }
	cert := func(from, until int) *x509.Certificate {
		return &x509.Certificate{NotBefore: at(from), NotAfter: at(until)}
	}
	if got, ok := validInstant([]*x509.Certificate{cert(0, 10), cert(-100, 4)}); !ok || !got.Equal(at(2)) {
		t.Errorf("validInstant = %v, %v; want %v", got, ok, at(2))
	}
	if _, ok := validInstant([]*x509.Certificate{cert(0, 10), cert(20, 30)}); ok {
		t.Error("disjoint validity gave an instant")
	}
	if _, ok := validInstant(nil); ok {
		t.Error("no chain gave an instant")
	}
}
