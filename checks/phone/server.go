package phone

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// DefaultWait is how long the server waits for a phone when Options.Wait is 0.
const DefaultWait = 3 * time.Minute

// MaxBody caps every request body: the page sends a few hundred bytes.
const MaxBody = 4 << 10

// Rounds the page runs, within the 8–16 the exchange is built for.
const (
	minRounds = 8
	maxRounds = 16
)

// Options say where the server listens and for how long.
type Options struct {
	// Listen is IP:PORT; "" means this computer's address on the network of its
	// default route (the one a phone on the same Wi-Fi reaches), on a free port.
	Listen string
	// Wait is how long to wait for a phone to finish (DefaultWait when 0).
	Wait time.Duration
	// Now reads this computer's clock (time.Now when nil); the phone is measured
	// against it, and the clock check's reference turns that into true time.
	Now func() time.Time
}

// Server is a one-time web server for one phone: only the URL with its random token
// answers, only when asked by the printed address, for one measuring session; then it
// closes. It stores nothing and sends the page nothing about the user's accounts.
type Server struct {
	url, host, token string
	now              func() time.Time
	wait             time.Duration
	http             *http.Server
	deadline         *time.Timer

	opened   chan struct{} // closed when the page is first loaded
	openOnce sync.Once
	measured chan *Exchange // the session's result, once
	closed   chan struct{}  // closed when the server stops
	stopOnce sync.Once

	mu       sync.Mutex
	session  string  // the phone measuring, "" until one starts
	rounds   []Round // T0, T1 and T2 of each round; T3 comes with the result
	finished bool
}

// Exchange is a phone's finished measurement, waiting for its verdict.
type Exchange struct {
	Measurement
	reply chan Verdict
}

// Reply sends the verdict the phone's screen shows. The server closes once the page
// has it.
func (e *Exchange) Reply(v Verdict) {
	select {
	case e.reply <- v:
	default: // replied already
	}
}

// Measurement is what the phone's browser measured and said of itself.
type Measurement struct {
	Estimate
	Zone      string        // IANA name the phone's browser gives
	UTCOffset time.Duration // east of UTC, at the phone's own now
	Device    Device
	// Method is diag.PhoneMethodManual for a clock read by hand (Enter pressed at the
	// phone's minute changes: Rounds presses, no round trip, no time zone); "" is the
	// page's, measured by the phone's browser.
	Method string
}

// manual reports whether m was read by hand.
func (m Measurement) manual() bool { return m.Method == diag.PhoneMethodManual }

// Verdict is what the phone's screen shows: the same as the phone check's result.
type Verdict struct {
	Status   diag.Status `json:"status"`
	Headline string      `json:"headline"`
	Message  string      `json:"message"`
	Steps    []string    `json:"steps"`
	Facts    []string    `json:"facts"`
}

// NoPhoneError is the wait ending without a finished measurement.
type NoPhoneError struct {
	Wait   time.Duration
	Opened bool // the page was loaded, but the measurement did not finish
}

func (e *NoPhoneError) Error() string {
	if e.Opened {
		return fmt.Sprintf("the page opened but did not finish measuring within %s", diag.HumanDuration(e.Wait))
	}
	return fmt.Sprintf("no phone opened the page within %s", diag.HumanDuration(e.Wait))
}

// Start listens and serves the page until a phone finishes, the wait ends or Close.
func Start(opts Options) (*Server, error) {
	if opts.Wait <= 0 {
		opts.Wait = DefaultWait
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	addr, err := listenAddress(opts.Listen)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	s := &Server{
		// rand.Text is 128 random bits in upper-case base32: 26 characters that the QR
		// code's alphanumeric mode holds.
		host: ln.Addr().String(), token: rand.Text(), now: opts.Now, wait: opts.Wait,
		opened: make(chan struct{}), measured: make(chan *Exchange, 1), closed: make(chan struct{}),
	}
	s.url = "http://" + s.host + "/" + s.token + "/"
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       20 * time.Second,
		IdleTimeout:       opts.Wait,
		MaxHeaderBytes:    16 << 10,
	}
	s.deadline = time.AfterFunc(opts.Wait, s.stop)
	go s.http.Serve(ln)
	return s, nil
}

// URL is the page's address, to print and to put in the QR code.
func (s *Server) URL() string { return s.url }

// QRText is the URL as the QR code should carry it: upper case, which the QR code's
// compact alphanumeric mode holds (a smaller code that fits a terminal). Scheme and
// host are case-insensitive and the token is upper case already.
func (s *Server) QRText() string { return strings.ToUpper(s.url) }

// Opened is closed when a phone first loads the page.
func (s *Server) Opened() <-chan struct{} { return s.opened }

// Wait waits for the phone's measurement. It returns a *NoPhoneError when the wait
// ends first, ctx.Err() when ctx ends first.
func (s *Server) Wait(ctx context.Context) (*Exchange, error) {
	select {
	case ex := <-s.measured:
		return ex, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.closed:
		select {
		case ex := <-s.measured:
			return ex, nil
		default:
		}
		opened := false
		select {
		case <-s.opened:
			opened = true
		default:
		}
		return nil, &NoPhoneError{Wait: s.wait, Opened: opened}
	}
}

// Close stops the server at once.
func (s *Server) Close() {
	s.deadline.Stop()
	s.stop()
}

// stop stops the server at once; the wait's timer calls it (and must not touch
// itself: it may fire before Start has stored it).
func (s *Server) stop() {
	s.stopOnce.Do(func() {
		close(s.closed)
		s.http.Close()
	})
}

// closeAfterReply stops the server once the page has its verdict: the response being
// written finishes, nothing else is accepted.
func (s *Server) closeAfterReply() {
	s.stopOnce.Do(func() {
		s.deadline.Stop()
		close(s.closed)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if s.http.Shutdown(ctx) != nil {
				s.http.Close()
			}
		}()
	})
}

// ServeHTTP answers only the printed address and the token's URL.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the URL holds the token
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	if !strings.EqualFold(r.Host, s.host) {
		// A name that resolves here (DNS rebinding) is not the address printed.
		http.Error(w, "wrong host", http.StatusMisdirectedRequest)
		return
	}
	rest, ok := s.underToken(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	finished := s.finished
	s.mu.Unlock()
	if finished {
		// The server is closing: one phone session only.
		jsonError(w, http.StatusGone, "this page has measured a phone already; run otpdoctor phone again")
		return
	}
	switch rest {
	case "":
		http.Redirect(w, r, s.url, http.StatusMovedPermanently)
	case "/":
		s.servePage(w, r)
	case "/sync":
		s.serveSync(w, r)
	case "/done":
		s.serveDone(w, r)
	default:
		http.NotFound(w, r)
	}
}

// underToken returns what follows the token in path; ok is false when path does not
// start with the token. The compare takes the same time whatever the path holds.
func (s *Server) underToken(path string) (rest string, ok bool) {
	first, rest, slash := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if subtle.ConstantTimeCompare([]byte(first), []byte(s.token)) != 1 {
		return "", false
	}
	if slash {
		rest = "/" + rest
	}
	return rest, true
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	s.openOnce.Do(func() { close(s.opened) })
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Nothing from anywhere else: the page works on a LAN with no internet, and
	// nothing it shows can be framed or sent elsewhere.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Write(pageHTML)
}

// syncRequest is one round's request: the phone's send time, and its session once it
// has one.
type syncRequest struct {
	Session string  `json:"session"`
	T0      float64 `json:"t0"`
}

type syncReply struct {
	Session string  `json:"session"`
	Round   int     `json:"round"`
	T1      float64 `json:"t1"`
	T2      float64 `json:"t2"`
}

func (s *Server) serveSync(w http.ResponseWriter, r *http.Request) {
	var req syncRequest
	if !s.admitted(w, r, &req, true) {
		return
	}
	defer s.mu.Unlock()
	t1 := s.now()
	if len(s.rounds) >= maxRounds {
		jsonError(w, http.StatusConflict, fmt.Sprintf("at most %d rounds", maxRounds))
		return
	}
	t0, _ := phoneTime(req.T0) // checked by admitted
	i := len(s.rounds)
	s.rounds = append(s.rounds, Round{T0: t0, T1: t1})
	t2 := s.now()
	s.rounds[i].T2 = t2
	writeJSON(w, syncReply{Session: s.session, Round: i, T1: unixMillis(t1), T2: unixMillis(t2)})
}

// sessionRequest is a request that carries the phone's session.
type sessionRequest interface {
	session() string
	// check finds what is wrong with the request on its own, before it is admitted.
	check() error
}

func (r *syncRequest) session() string { return r.Session }
func (r *doneRequest) session() string { return r.Session }

func (r *syncRequest) check() error {
	if _, err := phoneTime(r.T0); err != nil {
		return fmt.Errorf("t0: %w", err)
	}
	return nil
}

// check: the times and what the phone says of itself are read with the rounds they
// belong to (measurementOf).
func (r *doneRequest) check() error { return nil }

// admitted reads a POST's JSON body into req, checks it, and lets in its session: the first to
// ask (when mayStart), then only it. It returns true holding s.mu, or false having
// answered with the error.
func (s *Server) admitted(w http.ResponseWriter, r *http.Request, req sessionRequest, mayStart bool) bool {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, "POST")
		return false
	}
	if !readJSON(w, r, req) {
		return false
	}
	if err := req.check(); err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return false
	}
	s.mu.Lock()
	switch session := req.session(); {
	case s.session == "" && session == "" && mayStart:
		s.session = rand.Text()
		return true
	case s.session != "" && subtle.ConstantTimeCompare([]byte(session), []byte(s.session)) == 1:
		return true
	case s.session == "":
		s.mu.Unlock()
		jsonError(w, http.StatusBadRequest, "no session: measure first")
		return false
	}
	s.mu.Unlock()
	jsonError(w, http.StatusConflict, "another device is being measured; only one at a time")
	return false
}

// doneRequest is the page's last request: the arrival time of each round's answer,
// and what the browser says of its zone and itself.
type doneRequest struct {
	Session          string    `json:"session"`
	T3               []float64 `json:"t3"`
	Zone             string    `json:"zone"`
	UTCOffsetMinutes float64   `json:"utc_offset_minutes"`
	TouchPoints      int       `json:"touch_points"`
	Hints            *Hints    `json:"hints"`
}

func (s *Server) serveDone(w http.ResponseWriter, r *http.Request) {
	var req doneRequest
	if !s.admitted(w, r, &req, false) {
		return
	}
	m, err := measurementOf(s.rounds, req, r.UserAgent())
	if err != nil {
		s.mu.Unlock()
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.finished = true
	s.mu.Unlock()

	ex := &Exchange{Measurement: m, reply: make(chan Verdict, 1)}
	s.measured <- ex // buffered for the one session, which is finished now
	select {
	case v := <-ex.reply:
		writeJSON(w, v)
		s.closeAfterReply()
	case <-r.Context().Done():
	case <-s.closed:
		jsonError(w, http.StatusServiceUnavailable, "otpdoctor stopped before it could judge the measurement")
	}
}

// measurementOf completes the rounds with the phone's arrival times and reads what it
// said of itself.
func measurementOf(rounds []Round, req doneRequest, ua string) (Measurement, error) {
	if len(req.T3) != len(rounds) {
		return Measurement{}, fmt.Errorf("t3 has %d times for %d rounds", len(req.T3), len(rounds))
	}
	if len(rounds) < minRounds {
		return Measurement{}, fmt.Errorf("%d rounds: at least %d are needed", len(rounds), minRounds)
	}
	done := make([]Round, len(rounds))
	for i, r := range rounds {
		t3, err := phoneTime(req.T3[i])
		if err != nil {
			return Measurement{}, fmt.Errorf("t3[%d]: %w", i, err)
		}
		r.T3 = t3
		done[i] = r
	}
	e, ok := Estimated(done)
	if !ok {
		return Measurement{}, errors.New("no round is usable: every round trip is negative, so the phone's clock jumped while measuring")
	}
	minutes := req.UTCOffsetMinutes
	if math.IsNaN(minutes) || math.Abs(minutes) > 24*60 {
		return Measurement{}, fmt.Errorf("utc_offset_minutes %v is not a UTC offset", minutes)
	}
	return Measurement{
		Estimate:  e,
		Zone:      cleanZone(req.Zone),
		UTCOffset: time.Duration(minutes * float64(time.Minute)),
		Device:    ParseDevice(ua, req.Hints, req.TouchPoints),
	}, nil
}

// cleanZone keeps a zone name only when it looks like one (Area/City, UTC): it is
// shown to people, and came from the network.
func cleanZone(zone string) string {
	if len(zone) > 64 {
		return ""
	}
	for _, c := range zone {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("/_-+", c)) {
			return ""
		}
	}
	return zone
}

// phoneTime reads a Date.now() value (milliseconds since 1970). It bounds the value
// to what time.Time holds in nanoseconds (years 1678 to 2262): a phone's clock is
// rarely further off, and one that is measures as far off as it can.
func phoneTime(ms float64) (time.Time, error) {
	if math.IsNaN(ms) || math.IsInf(ms, 0) || math.Abs(ms) > 9e12 {
		return time.Time{}, fmt.Errorf("%v is not a time in milliseconds since 1970", ms)
	}
	return time.Unix(0, int64(math.Round(ms*1e6))), nil
}

// unixMillis is t as Date.now() would say it, to the microsecond.
func unixMillis(t time.Time) float64 { return float64(t.UnixMicro()) / 1000 }

// readJSON decodes the body (at most MaxBody bytes, one JSON value) into v, or
// answers with the error and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body := http.MaxBytesReader(w, r.Body, MaxBody)
	dec := json.NewDecoder(body)
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d bytes", MaxBody))
		return false
	case err != nil:
		jsonError(w, http.StatusBadRequest, "the body is not the JSON expected: "+err.Error())
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// jsonError answers with status and a message the page can show.
func jsonError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": message})
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	jsonError(w, http.StatusMethodNotAllowed, "use "+allow)
}

// listenAddress checks --listen, or finds this computer's LAN address.
func listenAddress(listen string) (string, error) {
	if listen == "" {
		ip, err := lanAddress()
		if err != nil {
			return "", err
		}
		return net.JoinHostPort(ip.String(), "0"), nil
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("--listen %q is not IP:PORT (for example 192.168.1.20:8080, or 192.168.1.20:0 for any free port)", listen)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return "", fmt.Errorf("--listen %q: %q is not an IP address of this computer", listen, host)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return "", fmt.Errorf("--listen %q: port %q is not a number from 0 to 65535 (0: any free port)", listen, port)
	}
	if ip.IsUnspecified() {
		return "", fmt.Errorf("--listen %q: give the one address the phone will use, not %s (the page answers only the address it prints)", listen, host)
	}
	return net.JoinHostPort(ip.String(), strconv.FormatUint(n, 10)), nil
}

// lanAddress is this computer's address on the interface of its default route. A UDP
// "connection" only picks the route: it sends nothing. The destinations are
// documentation addresses (RFC 5737, RFC 3849) that nothing answers.
func lanAddress() (netip.Addr, error) {
	for _, probe := range []struct{ network, addr string }{{"udp4", "192.0.2.1:9"}, {"udp6", "[2001:db8::1]:9"}} {
		c, err := net.Dial(probe.network, probe.addr)
		if err != nil {
			continue
		}
		local := c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
		c.Close()
		if local.IsValid() && !local.IsLoopback() && !local.IsUnspecified() {
			return local, nil
		}
	}
	return netip.Addr{}, errors.New("this computer has no network route to find its Wi-Fi address by: connect it to the phone's Wi-Fi, or give --listen IP:PORT")
}
