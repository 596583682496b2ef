package status

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
	"github.com/otpdoctor/otpdoctor/profile"
)

const noIncidents = "[]"

func TestStatuspageIndicators(t *testing.T) {
	activeMaintenance := `[{"name": "Authentication database upgrade", "status": "in_progress", "impact": "maintenance", "shortlink": "https://stspg.io/m1", "components": [{"name": "Authentication", "status": "under_maintenance"}]}]`
	tests := []struct {
		name, indicator, description, auth, pages, maintenances string
		status                                                  diag.Status
		wantIndicator                                           string
		causes                                                  []diag.Cause
	}{
		{"all operational", "none", "All Systems Operational", "operational", "operational", noIncidents, diag.StatusOK, "none", nil},
		{"minor, elsewhere", "minor", "Minor Service Outage", "operational", "degraded_performance", noIncidents, diag.StatusOK, "minor", []diag.Cause{diag.CauseServiceOutage}},
		{"major, sign-in partly down", "major", "Partial System Outage", "partial_outage", "operational", noIncidents, diag.StatusWarn, "major", []diag.Cause{diag.CauseServiceOutage}},
		{"critical, sign-in down", "critical", "Major System Outage", "major_outage", "major_outage", noIncidents, diag.StatusFail, "critical", []diag.Cause{diag.CauseServiceOutage}},
		{"critical alone", "critical", "Major System Outage", "operational", "major_outage", noIncidents, diag.StatusFail, "critical", []diag.Cause{diag.CauseServiceOutage}},
		{"maintenance indicator", "maintenance", "Service Under Maintenance", "under_maintenance", "operational", noIncidents, diag.StatusWarn, "maintenance", []diag.Cause{diag.CauseServiceOutage}},
		{"active maintenance, indicator none", "none", "All Systems Operational", "operational", "operational", activeMaintenance, diag.StatusWarn, "maintenance", []diag.Cause{diag.CauseServiceOutage}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, reply(200, summary(t, tt.indicator, tt.description, tt.auth, tt.pages, noIncidents, tt.maintenances)))
			res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/api/v2/summary.json", Kind: KindStatuspage}}, testEnv(0, nil))
			want(t, res, tt.status, map[string]any{"indicator": tt.wantIndicator, "http_status": 200, "kind": "statuspage", "url": srv.URL + "/api/v2/summary.json"}, tt.causes...)
		})
	}
}

func TestStatuspageComponentStates(t *testing.T) {
	states := []struct {
		state          string
		authStatus     diag.Status // the Authentication component in this state
		authSeverity   diag.Severity
		unrelatedCause bool // the Pages component in this state gives an info finding
	}{
		{"operational", diag.StatusOK, "", false},
		{"degraded_performance", diag.StatusWarn, diag.SeverityWarn, true},
		{"partial_outage", diag.StatusWarn, diag.SeverityWarn, true},
		{"major_outage", diag.StatusFail, diag.SeverityFail, true},
		{"under_maintenance", diag.StatusWarn, diag.SeverityWarn, true},
	}
	for _, s := range states {
		t.Run("Authentication "+s.state, func(t *testing.T) {
			srv := serve(t, reply(200, summary(t, "none", "All Systems Operational", s.state, "operational", noIncidents, noIncidents)))
			res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL, Kind: KindStatuspage}}, testEnv(0, nil))
			if res.Status != s.authStatus {
				t.Errorf("status %s, want %s", res.Status, s.authStatus)
			}
			if s.authSeverity != "" && (len(res.Findings) != 1 || res.Findings[0].Severity != s.authSeverity || !strings.Contains(res.Findings[0].Message, `component "Authentication" (`+words(s.state)+")")) {
				t.Errorf("findings %+v, want one %s naming Authentication", res.Findings, s.authSeverity)
			}
			components := diag.FactValues(res.Facts)["components"].([]any)
			auth := components[1].(map[string]any) // API Requests is listed first: it is relevant too
			if auth["name"] != "Authentication" || auth["status"] != s.state || auth["relevant"] != true {
				t.Errorf("components fact %v", components)
			}
		})
		t.Run("Pages "+s.state, func(t *testing.T) {
			srv := serve(t, reply(200, summary(t, "none", "All Systems Operational", "operational", s.state, noIncidents, noIncidents)))
			res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL, Kind: KindStatuspage}}, testEnv(0, nil))
			if res.Status != diag.StatusOK {
				t.Errorf("status %s: an unrelated component must not warn", res.Status)
			}
			if got := len(res.Findings) == 1 && res.Findings[0].Severity == diag.SeverityInfo; got != s.unrelatedCause {
				t.Errorf("findings %+v, want an info finding: %v", res.Findings, s.unrelatedCause)
			}
		})
	}
}

func TestStatuspageIncidents(t *testing.T) {
	incidents := `[
		{"name": "Users unable to sign in with 2FA", "status": "investigating", "impact": "major", "shortlink": "https://stspg.io/i1", "components": []},
		{"name": "Delayed Pages builds", "status": "monitoring", "impact": "minor", "components": [{"name": "Pages", "status": "degraded_performance"}]},
		{"name": "Old problem", "status": "resolved", "impact": "critical", "components": []}
	]`
	srv := serve(t, reply(200, summary(t, "major", "Partial System Outage", "operational", "operational", incidents, noIncidents)))
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/api/v2/summary.json"}, Service: "GitHub",
		Links: profile.Links{StatusPage: "https://www.githubstatus.com", Support: "https://support.github.com"}}, testEnv(0, nil))
	want(t, res, diag.StatusFail, map[string]any{"indicator": "major", "kind": "statuspage"}, diag.CauseServiceOutage)
	got := diag.FactValues(res.Facts)["incidents"].([]any)
	if len(got) != 2 || got[0].(map[string]any)["relevant"] != true || got[1].(map[string]any)["relevant"] != false {
		t.Errorf("incidents fact %v: want the two unresolved ones, the first relevant", got)
	}
	if url := got[0].(map[string]any)["url"]; url != "https://stspg.io/i1" {
		t.Errorf("the incident's notice %v is not in the facts", url)
	}
	// The steps' links are the profile's; the page's own stay in the facts.
	fix := strings.Join(diag.FixTexts(res.Findings[0].Steps, &diag.Env{}), "\n")
	for _, link := range []string{"https://www.githubstatus.com", "https://support.github.com"} {
		if !strings.Contains(fix, link) {
			t.Errorf("fix does not give %s:\n%s", link, fix)
		}
	}
	if strings.Contains(fix, "stspg.io") {
		t.Errorf("fix gives the page's own link:\n%s", fix)
	}
}

func TestStatuspageFoundFromHomePage(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "<!DOCTYPE html><html><body>GitHub Status</body></html>")
	})
	mux.Handle("/api/v2/summary.json", reply(200, summary(t, "none", "All Systems Operational", "operational", "operational", noIncidents, noIncidents)))
	srv := serve(t, mux)
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/"}}, testEnv(0, nil))
	want(t, res, diag.StatusOK, map[string]any{"indicator": "none", "kind": "statuspage", "url": srv.URL + "/api/v2/summary.json"})
}

// binanceServer serves Binance's status API with body, and its ping.
func binanceServer(t *testing.T, body string, ping http.HandlerFunc) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("/sapi/v1/system/status", reply(200, body))
	mux.Handle("/api/v3/ping", ping)
	return serve(t, mux)
}

func TestBinance(t *testing.T) {
	tests := []struct {
		name, kind, body string
		ping             http.HandlerFunc
		status           diag.Status
		indicator        string
		failure          string
		causes           []diag.Cause
	}{
		{"normal", KindBinance, `{"status": 0, "msg": "normal"}`, reply(200, "{}"), diag.StatusOK, "none", "", nil},
		{"normal, recognised", KindAuto, `{"status": 0, "msg": "normal"}`, reply(200, "{}"), diag.StatusOK, "none", "", nil},
		{"maintenance", KindBinance, `{"status": 1, "msg": "system_maintenance"}`, reply(200, "{}"), diag.StatusFail, "maintenance", "", []diag.Cause{diag.CauseServiceOutage}},
		{"ping banned", KindBinance, `{"status": 0, "msg": "normal"}`, reply(418, `{"code": -1003, "msg": "Way too many requests; IP banned until 1700000000000."}`), diag.StatusFail, "none", FailBanned, []diag.Cause{diag.CauseNetworkBlocked}},
		{"malformed", KindBinance, `{"status": "zero"}`, reply(200, "{}"), diag.StatusWarn, "unknown", FailMalformed, []diag.Cause{diag.CauseServiceOutage}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := binanceServer(t, tt.body, tt.ping)
			res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/sapi/v1/system/status", Kind: tt.kind}, Service: "Binance"}, testEnv(0, nil))
			facts := map[string]any{"indicator": tt.indicator}
			if tt.failure != "" {
				facts["failure"] = tt.failure
			}
			want(t, res, tt.status, facts, tt.causes...)
			if _, pinged := diag.FactValues(res.Facts)["ping_ms"]; pinged != (tt.failure == "") {
				t.Errorf("ping_ms present: %v", pinged)
			}
		})
	}
}

func TestKraken(t *testing.T) {
	tests := []struct {
		status    string
		want      diag.Status
		indicator string
		causes    []diag.Cause
	}{
		{KrakenOnline, diag.StatusOK, "none", nil},
		{KrakenMaintenance, diag.StatusFail, "maintenance", []diag.Cause{diag.CauseServiceOutage}},
		{KrakenCancelOnly, diag.StatusOK, "minor", []diag.Cause{diag.CauseServiceOutage}},
		{KrakenPostOnly, diag.StatusOK, "minor", []diag.Cause{diag.CauseServiceOutage}},
	}
	for _, tt := range tests {
		for _, kind := range []string{KindKraken, KindAuto} {
			t.Run(tt.status+" "+kind, func(t *testing.T) {
				body := fmt.Sprintf(`{"error":[],"result":{"status":%q,"timestamp":"2026-11-26T09:00:00Z","upcoming_maintenance":[],"emergency":[]}}`, tt.status)
				srv := serve(t, reply(200, body))
				res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/0/public/SystemStatus", Kind: kind}, Service: "Kraken"}, testEnv(0, nil))
				want(t, res, tt.want, map[string]any{"indicator": tt.indicator, "kind": "kraken", "description": tt.status}, tt.causes...)
			})
		}
	}
}

func TestPlainReachability(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "<html>welcome</html>")
	}))
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/login", Kind: KindAuto}}, testEnv(0, nil))
	want(t, res, diag.StatusOK, map[string]any{"indicator": "none", "kind": "http", "http_status": 200})
	timings := diag.FactValues(res.Facts)["timings"].(map[string]any)
	if timings["connect_ms"] == nil || timings["first_byte_ms"] == nil || timings["total_ms"] == nil {
		t.Errorf("timings %v: want connect, first byte and total", timings)
	}
}

func TestMalformedBodies(t *testing.T) {
	tests := []struct {
		name, kind, body string
		cause            diag.Cause
		message          string
	}{
		{"broken JSON", KindStatuspage, "{\"page\": {},\n \"status\": {\"indicator\": none}}", diag.CauseServiceOutage, "line 2, column 27: not valid JSON"},
		{"broken JSON, auto", KindAuto, `{"status": {"indicator": "none"`, diag.CauseServiceOutage, "ends too early"},
		{"wrong type", KindKraken, `{"error": [], "result": {"status": 1}}`, diag.CauseServiceOutage, "line 1, column 37: field result.status: want a string, got a JSON number"},
		{"unknown indicator", KindStatuspage, `{"status": {"indicator": "apocalyptic"}}`, diag.CauseServiceOutage, `"apocalyptic"`},
		{"captive portal", KindStatuspage, "<html><body>Please sign in to Hotel Wi-Fi</body></html>", diag.CauseNetworkBlocked, "web page"},
		{"empty", KindBinance, "", diag.CauseServiceOutage, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, reply(200, tt.body))
			res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/status.json", Kind: tt.kind}}, testEnv(0, nil))
			want(t, res, diag.StatusWarn, map[string]any{"indicator": "unknown", "failure": FailMalformed}, tt.cause)
			if !strings.Contains(res.Summary, tt.message) {
				t.Errorf("summary %q does not say %q", res.Summary, tt.message)
			}
		})
	}
}

func TestHugeBody(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status": {"indicator": "none", "description": "`)
		chunk := strings.Repeat("x", 64<<10)
		for range 160 { // 10 MiB
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return // the client stopped reading at its cap
			}
		}
		fmt.Fprint(w, `"}}`)
	}))
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/api/v2/summary.json", Kind: KindStatuspage}}, testEnv(0, nil))
	want(t, res, diag.StatusWarn, map[string]any{"failure": FailTooLarge, "http_status": 200, "indicator": "unknown"}, diag.CauseServiceOutage)
}

func TestServerNeverAnswers(t *testing.T) {
	stop := make(chan struct{})
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	defer close(stop)
	env := testEnv(0, nil)
	env.Timeout = 300 * time.Millisecond
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL, Kind: KindStatuspage}}, env)
	want(t, res, diag.StatusFail, map[string]any{"failure": FailTimeout, "http_status": nil, "indicator": "unknown", "server_offset_seconds": nil}, diag.CauseNetworkBlocked)
}

func TestRedirectLoop(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/again"+r.URL.Path, http.StatusFound)
	}))
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/status", Kind: KindAuto}}, testEnv(0, nil))
	want(t, res, diag.StatusWarn, map[string]any{"failure": FailRedirects, "http_status": nil}, diag.CauseServiceOutage)
}

func TestHTTPFailures(t *testing.T) {
	inTwoMinutes := time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat)
	tests := []struct {
		code       int
		retryAfter string
		status     diag.Status
		failure    string
		cause      diag.Cause
		retry      any
	}{
		{403, "", diag.StatusFail, FailForbidden, diag.CauseNetworkBlocked, nil},
		{418, "120", diag.StatusFail, FailBanned, diag.CauseNetworkBlocked, 120},
		{429, inTwoMinutes, diag.StatusWarn, FailRateLimited, diag.CauseNetworkBlocked, "about 120"},
		{503, "", diag.StatusFail, FailServer, diag.CauseServiceOutage, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.code)
			}))
			res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/sapi/v1/system/status", Kind: KindBinance}}, testEnv(0, nil))
			want(t, res, tt.status, map[string]any{"failure": tt.failure, "http_status": tt.code, "indicator": "unknown"}, tt.cause)
			retry := factsOf(res).RetryAfterSeconds
			got := *cmp.Or(retry, new(float64))
			switch tt.retry {
			case nil:
				if retry != nil {
					t.Errorf("retry_after_seconds %v, want none", got)
				}
			case "about 120":
				if got < 110 || got > 121 {
					t.Errorf("retry_after_seconds %v, want about 120", got)
				}
			default:
				if got != 120 {
					t.Errorf("retry_after_seconds %v, want 120", got)
				}
			}
		})
	}
}

func TestNotAStatusAPI(t *testing.T) {
	srv := serve(t, http.NotFoundHandler())
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/nothing", Kind: KindStatuspage}}, testEnv(0, nil))
	want(t, res, diag.StatusError, map[string]any{"failure": FailNotStatus, "http_status": 404})
	if !strings.Contains(res.Summary, "give --status-kind http") {
		t.Errorf("summary %q does not offer plain reachability", res.Summary)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: "http://" + addr + "/status", Kind: KindHTTP}}, testEnv(0, nil))
	want(t, res, diag.StatusFail, map[string]any{"failure": FailRefused}, diag.CauseNetworkBlocked)
}

// fakeProxy answers every CONNECT with code, like a company proxy that blocks a site.
func fakeProxy(t *testing.T, code int) *url.URL {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			t.Errorf("proxy got %s, want CONNECT", r.Method)
		}
		w.WriteHeader(code)
	}))
	u, _ := url.Parse(srv.URL)
	return u
}

func TestProxyFailures(t *testing.T) {
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadProxy := &url.URL{Scheme: "http", Host: refused.Addr().String()}
	refused.Close()
	for name, proxy := range map[string]*url.URL{
		"proxy refuses the tunnel": fakeProxy(t, http.StatusProxyAuthRequired),
		"proxy is down":            deadProxy,
	} {
		t.Run(name, func(t *testing.T) {
			// The service is never reached: every request goes to the proxy on loopback.
			c := &Check{Endpoint: profile.Endpoint{URL: "https://status.example.com/api/v2/summary.json", Kind: KindStatuspage},
				Proxy: func(*http.Request) (*url.URL, error) { return proxy, nil }}
			res := probe(t, c, testEnv(0, nil))
			want(t, res, diag.StatusFail, map[string]any{"failure": FailProxy}, diag.CauseNetworkBlocked)
			if !strings.Contains(res.Summary, proxy.Host) {
				t.Errorf("summary %q does not name the proxy %s", res.Summary, proxy.Host)
			}
		})
	}
}

func TestClassifyDNS(t *testing.T) {
	// DNS is not faked on loopback: the classifier gets the errors the resolver returns.
	for _, tt := range []struct {
		err  *net.DNSError
		want string
	}{
		{&net.DNSError{Err: "no such host", Name: "api.binance.com", IsNotFound: true}, "The name api.binance.com does not exist according to this network's DNS."}, // as the clock check says it
		{&net.DNSError{Err: "i/o timeout", Name: "api.binance.com", IsTimeout: true}, "could not be looked up"},
	} {
		err := &url.Error{Op: "Get", URL: "https://api.binance.com/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: tt.err}}
		f := classifyError(err, "api.binance.com")
		if f.code != FailDNS || f.cause != diag.CauseNetworkBlocked || !strings.Contains(f.message, tt.want) {
			t.Errorf("%v: got %+v, want a dns failure saying %q", tt.err, f, tt.want)
		}
	}
	if f := classifyError(errors.New("something odd"), "h"); f.code != FailNetwork {
		t.Errorf("unknown error: %+v", f)
	}
}

func TestUserAgentAndTimeout(t *testing.T) {
	agents := make(chan string, 4)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents <- r.UserAgent()
		fmt.Fprint(w, `{"status": 0, "msg": "normal"}`)
	}))
	probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL, Kind: KindBinance}, UserAgent: web.UserAgent("v9.8.7")}, testEnv(0, nil))
	if got := <-agents; !strings.HasPrefix(got, "otpdoctor/v9.8.7") {
		t.Errorf("User-Agent %q", got)
	}
}

func TestBadEndpoints(t *testing.T) {
	for _, e := range []profile.Endpoint{
		{URL: "http://status.example.com/", Kind: KindAuto},
		{URL: "ftp://127.0.0.1/", Kind: KindAuto},
		{URL: "https://127.0.0.1/", Kind: "carrier-pigeon"},
		{URL: "https://user:hunter2@127.0.0.1/", Kind: KindAuto},
	} {
		res := probe(t, &Check{Endpoint: e}, testEnv(0, nil))
		if res.Status != diag.StatusError || len(res.Findings) != 0 || !strings.HasPrefix(res.Summary, "The status ") {
			t.Errorf("%+v: %s %q, want an error result saying why", e, res.Status, res.Summary)
		}
		// A password in a refused URL stays out of the report.
		if report := fmt.Sprint(res.Summary, res.Facts, res.Details); strings.Contains(report, "hunter2") {
			t.Errorf("%+v: the password is in the result: %s", e, report)
		}
	}
}
