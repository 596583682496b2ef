package phone

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// startServer starts a server on loopback, closed when the test ends.
func startServer(t testing.TB, wait time.Duration) *Server {
	t.Helper()
	srv, err := Start(Options{Listen: "127.0.0.1:0", Wait: wait})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// request sends method to path under srv's address with body, Host set to host.
func request(t testing.TB, srv *Server, method, path, host string, body []byte) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+srv.host+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var decoded map[string]any
	json.Unmarshal(data, &decoded)
	return resp, decoded
}

// goPhone is a phone played from Go: it runs the page's exchange with its clock
// offset from this one.
type goPhone struct {
	srv     *Server
	offset  time.Duration
	session string
	t3      []float64
}

func (p *goPhone) now() float64 { return unixMillis(time.Now().Add(p.offset)) }

func (p *goPhone) post(t testing.TB, path string, v any) (*http.Response, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(v)
	return request(t, p.srv, http.MethodPost, "/"+p.srv.token+path, p.srv.host, body)
}

// rounds runs n rounds of the exchange.
func (p *goPhone) rounds(t testing.TB, n int) {
	t.Helper()
	for range n {
		resp, reply := p.post(t, "/sync", map[string]any{"session": p.session, "t0": p.now()})
		arrived := p.now()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("sync: %s %v", resp.Status, reply)
		}
		p.session = reply["session"].(string)
		p.t3 = append(p.t3, arrived)
	}
}

// done sends the last request, as a Pixel in Berlin would.
func (p *goPhone) done(t testing.TB) (*http.Response, map[string]any) {
	t.Helper()
	return p.post(t, "/done", map[string]any{"session": p.session, "t3": p.t3, "zone": "Europe/Berlin", "utc_offset_minutes": 60})
}

// judgeOnce answers the first exchange with the check's verdict against an exact
// reference, and hands back the result.
func judgeOnce(srv *Server) <-chan diag.Result {
	out := make(chan diag.Result, 1)
	go func() { out <- NewCheck(srv).Run(context.Background(), trueTimeNow("")) }()
	return out
}

func TestExchangeMeasuresTheOffset(t *testing.T) {
	srv := startServer(t, time.Minute)
	results := judgeOnce(srv)
	p := &goPhone{srv: srv, offset: -90 * time.Second}
	p.rounds(t, 10)
	resp, verdict := p.done(t)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("done: %s %v", resp.Status, verdict)
	}
	if !strings.Contains(verdict["headline"].(string), "1 min 30 s behind") {
		t.Errorf("verdict %v", verdict)
	}
	f := (<-results).Facts.(*diag.PhoneFacts)
	if d := time.Duration(*f.OffsetSeconds*float64(time.Second)) - p.offset; d.Abs() > offsetAccuracy {
		t.Errorf("offset %v s, want %v", *f.OffsetSeconds, p.offset)
	}
	if f.Rounds != 10 {
		t.Errorf("rounds %v, want 10", f.Rounds)
	}
}

func TestOnlyTheTokenAnswers(t *testing.T) {
	srv := startServer(t, time.Minute)
	wrong := strings.Repeat("A", len(srv.token))
	for _, path := range []string{"/", "/" + wrong + "/", "/" + wrong + "/sync", "/" + srv.token[:len(srv.token)-1] + "/", "/" + srv.token + "x/", "/favicon.ico", "/" + srv.token + "/other"} {
		resp, _ := request(t, srv, http.MethodGet, path, srv.host, nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", path, resp.Status)
		}
	}
	resp, _ := request(t, srv, http.MethodGet, "/"+srv.token+"/", srv.host, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the page: %s", resp.Status)
	}
	select {
	case <-srv.Opened():
	default:
		t.Error("loading the page did not mark it opened")
	}
	for _, h := range []string{"Set-Cookie", "Access-Control-Allow-Origin"} {
		if resp.Header.Get(h) != "" {
			t.Errorf("the page sets %s", h)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("Content-Security-Policy %q lets the page load from elsewhere", csp)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Error("the page may leak its token as a referrer")
	}
}

func TestWrongHostIsRefused(t *testing.T) {
	srv := startServer(t, time.Minute)
	_, port, _ := strings.Cut(srv.host, ":")
	for _, host := range []string{"attacker.example:" + port, "localhost:" + port, "127.0.0.1", "127.0.0.2:" + port} {
		resp, _ := request(t, srv, http.MethodGet, "/"+srv.token+"/", host, nil)
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: %s, want 421", host, resp.Status)
		}
	}
	select {
	case <-srv.Opened():
		t.Error("a request for another host opened the page")
	default:
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	srv := startServer(t, time.Minute)
	body := []byte(`{"session":"","t0":1,"pad":"` + strings.Repeat("x", MaxBody) + `"}`)
	resp, reply := request(t, srv, http.MethodPost, "/"+srv.token+"/sync", srv.host, body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d-byte body: %s %v, want 413", len(body), resp.Status, reply)
	}
}

func TestBadRequestsAreRefused(t *testing.T) {
	srv := startServer(t, time.Minute)
	base := "/" + srv.token
	for _, c := range []struct {
		method, path, body string
		status             int
	}{
		{http.MethodGet, base + "/sync", "", http.StatusMethodNotAllowed},
		{http.MethodPost, base + "/", "{}", http.StatusMethodNotAllowed},
		{http.MethodPost, base + "/sync", "not json", http.StatusBadRequest},
		{http.MethodPost, base + "/sync", `{"t0":1}{"t0":2}`, http.StatusBadRequest},
		{http.MethodPost, base + "/sync", `{"t0":1e300}`, http.StatusBadRequest},
		{http.MethodPost, base + "/done", `{"t3":[]}`, http.StatusBadRequest},
	} {
		resp, reply := request(t, srv, c.method, c.path, srv.host, []byte(c.body))
		if resp.StatusCode != c.status {
			t.Errorf("%s %s %q: %s %v, want %d", c.method, c.path, c.body, resp.Status, reply, c.status)
		}
	}
}

func TestOneSessionThenTheServerCloses(t *testing.T) {
	srv := startServer(t, time.Minute)
	results := judgeOnce(srv)
	first := &goPhone{srv: srv}
	first.rounds(t, 2)

	second := &goPhone{srv: srv}
	resp, reply := second.post(t, "/sync", map[string]any{"session": "", "t0": second.now()})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("a second device: %s %v, want 409", resp.Status, reply)
	}
	resp, _ = second.post(t, "/sync", map[string]any{"session": "GUESSED", "t0": second.now()})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("a guessed session: %s, want 409", resp.Status)
	}

	first.rounds(t, minRounds-2)
	if resp, reply := first.done(t); resp.StatusCode != http.StatusOK {
		t.Fatalf("done: %s %v", resp.Status, reply)
	}
	<-results
	<-srv.closed
	// Once the page has its verdict the server is gone: nothing answers any more.
	req, _ := http.NewRequest(http.MethodGet, srv.URL(), nil)
	if resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req); err == nil {
		// Shutdown may still be finishing the last response; a new request must
		// still not be served.
		if resp.StatusCode == http.StatusOK {
			t.Errorf("after the session, the page still answers: %s", resp.Status)
		}
		resp.Body.Close()
	}
}

func TestAfterTheWaitNothingAnswers(t *testing.T) {
	srv := startServer(t, time.Millisecond)
	_, err := srv.Wait(context.Background())
	var none *NoPhoneError
	if !errors.As(err, &none) || none.Opened {
		t.Fatalf("Wait: %v, want a NoPhoneError for an unopened page", err)
	}
	_, err = http.Get(srv.URL())
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		t.Errorf("GET after the wait: %v, want a refused connection", err)
	}
	r := NewCheck(srv).Run(context.Background(), trueTimeNow(""))
	if r.Status != diag.StatusError || !strings.Contains(r.Summary, "same Wi-Fi") || len(r.Details) < 3 {
		t.Errorf("after the wait: %s %q %q", r.Status, r.Summary, r.Details)
	}
}

func TestListenAddress(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"127.0.0.1:0", "127.0.0.1:0", ""},
		{"[::1]:8123", "[::1]:8123", ""},
		{"0.0.0.0:8123", "", "not 0.0.0.0"},
		{"localhost:8123", "", "not an IP address"},
		{"8123", "", "not IP:PORT"},
		{"127.0.0.1:08123", "127.0.0.1:8123", ""},
		{"127.0.0.1:65536", "", "from 0 to 65535"},
		{"127.0.0.1:-1", "", "from 0 to 65535"},
		{"127.0.0.1:", "", "from 0 to 65535"},
		{"127.0.0.1:http", "", "from 0 to 65535"},
	} {
		got, err := listenAddress(c.in)
		if got != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("listenAddress(%q) = %q, %v; want %q, %q", c.in, got, err, c.want, c.err)
		}
	}
}

// FuzzDoneRequest feeds the page's last request, as the network may bring it, to the
// parts that read it: never a panic, and nothing unclean kept to show people.
func FuzzDoneRequest(f *testing.F) {
	f.Add(`{"session":"S","t3":[1,2,3,4,5,6,7,8],"zone":"Europe/Berlin","utc_offset_minutes":60,"touch_points":5,"hints":{"platform":"Android","platformVersion":"14.0.0","fullVersionList":[{"brand":"Google Chrome","version":"124.0.1"}]}}`, androidChrome)
	f.Add(`{"t3":[1e300,-1,0,0,0,0,0,0],"zone":"<script>","utc_offset_minutes":1e9}`, iPhoneSafari)
	f.Add(`{"t3":[0,0,0,0,0,0,0,0],"hints":null}`, "")
	base := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	rounds := make([]Round, minRounds)
	for i := range rounds {
		rounds[i] = Round{T0: base, T1: base, T2: base}
	}
	f.Fuzz(func(t *testing.T, body, ua string) {
		var req doneRequest
		if json.Unmarshal([]byte(body), &req) != nil {
			return
		}
		m, err := measurementOf(rounds, req, ua)
		if err != nil {
			return
		}
		if m.Zone != cleanZone(m.Zone) {
			t.Errorf("zone %q kept unclean", m.Zone)
		}
		if m.UTCOffset.Abs() > 24*time.Hour {
			t.Errorf("UTC offset %v kept", m.UTCOffset)
		}
	})
}

func TestCtrlCStopsTheServer(t *testing.T) {
	srv := startServer(t, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	results := make(chan diag.Result, 1)
	go func() { results <- NewCheck(srv).Run(ctx, trueTimeNow("")) }()
	cancel()
	if r := <-results; r.Status != diag.StatusError || !strings.Contains(r.Summary, "stopped before") {
		t.Errorf("interrupted: %s %q", r.Status, r.Summary)
	}
	<-srv.closed
	if _, err := http.Get(srv.URL()); err == nil {
		t.Error("the page still answers after Ctrl-C")
	}
}

// The page is one small file that asks nothing of any other place: it works on a LAN
// with no internet, and the Content-Security-Policy would block it anyway.
func TestPageIsSelfContained(t *testing.T) {
	if len(pageHTML) >= 30<<10 {
		t.Errorf("the page is %d bytes, over 30 KB", len(pageHTML))
	}
	html := string(pageHTML)
	for _, outside := range []string{"http://", "https://", "src=", "<link", "@import", "url("} {
		if strings.Contains(html, outside) {
			t.Errorf("the page refers elsewhere: %q", outside)
		}
	}
	for _, a11y := range []string{`<html lang="en">`, `name="viewport"`, `role="status"`, `aria-live="polite"`, "<noscript>"} {
		if !strings.Contains(html, a11y) {
			t.Errorf("the page lacks %s", a11y)
		}
	}
}
