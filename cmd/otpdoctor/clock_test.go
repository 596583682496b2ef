package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/otpdoctor/otpdoctor/docs"
	"github.com/otpdoctor/otpdoctor/internal/ntptest"
)

func init() {
	// ntpserver NAME [offset=D] [silent] [kod=CODE] [leap=N] [stratum=N] [rootdelay=D]
	// [rootdisp=D] [garbage] [delay=D]: start an NTP server on 127.0.0.1 and set $NAME
	// to its address. offset is the clock offset clients measure (positive: ahead).
	scriptCmds["ntpserver"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) < 1 {
			ts.Fatalf("usage: ntpserver NAME [offset=D] [silent] [kod=CODE] [leap=N] [stratum=N] [rootdelay=D] [rootdisp=D] [garbage] [delay=D]")
		}
		b, err := ntptest.ParseBehavior(args[1:])
		ts.Check(err)
		s, err := ntptest.Start(b)
		ts.Check(err)
		ts.Defer(func() { s.Close() })
		ts.Setenv(args[0], s.Addr)
		ntpServers.Store(s.Addr, s)
		ts.Defer(func() { ntpServers.Delete(s.Addr) })
	}
	// ntpasked NAME: wait until the NTP server $NAME has received a request, which
	// tells that a background otpdoctor is up, has its Ctrl-C handler, and is waiting.
	scriptCmds["ntpasked"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 1 {
			ts.Fatalf("usage: ntpasked NAME")
		}
		s, ok := ntpServers.Load(ts.Getenv(args[0]))
		if !ok {
			ts.Fatalf("ntpasked: $%s is no ntpserver of this script", args[0])
		}
		select {
		case <-s.(*ntptest.Server).Asked():
		case <-time.After(hangBound):
			ts.Fatalf("ntpasked: nobody asked $%s within %s", args[0], hangBound)
		}
	}
	// dateserver NAME [offset=D] [age=N]: start a web server on 127.0.0.1 whose Date
	// header reads a clock offset by D as clients measure it, and set $NAME to its URL.
	scriptCmds["dateserver"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) < 1 {
			ts.Fatalf("usage: dateserver NAME [offset=D] [age=N]")
		}
		var offset time.Duration
		var age string
		for _, arg := range args[1:] {
			key, value, _ := strings.Cut(arg, "=")
			switch key {
			case "offset":
				var err error
				offset, err = time.ParseDuration(value)
				ts.Check(err)
			case "age":
				age = value
			default:
				ts.Fatalf("dateserver: unknown %q", arg)
			}
		}
		srv := httptest.NewServer(ntptest.DateHandler(offset, age))
		ts.Defer(srv.Close)
		ts.Setenv(args[0], srv.URL+"/")
	}
}

// ntpServers are the scripts' NTP servers by address, for ntpasked.
var ntpServers sync.Map

// startNTP starts loopback NTP servers for an in-process run: the flags naming them.
func startNTP(tb testing.TB, behaviors ...ntptest.Behavior) []string {
	tb.Helper()
	var args []string
	for _, b := range behaviors {
		args = append(args, "--ntp-server", ntptest.NewServer(tb, b).Addr)
	}
	return args
}

func TestClockWatch(t *testing.T) {
	args := append([]string{"clock", "--watch", "--time-url", "http://127.0.0.1:9/"}, startNTP(t, ntptest.Behavior{Offset: -time.Hour})...)
	ctx, cancel := context.WithTimeout(context.Background(), hangBound)
	defer cancel()
	// The run ends (as Ctrl-C would end it) once the live line has been drawn 3 times.
	out := &redraws{want: 3, reached: cancel}
	var errOut bytes.Buffer
	s := &streams{In: strings.NewReader(""), Out: out, Err: &errOut, OutTTY: true, Getenv: func(string) string { return "" }}
	code := run(ctx, args, s)
	// The clock is an hour behind: the report fails, and the live line shows true time.
	if code != exitFailed {
		t.Errorf("exit %d, want %d\n%s", code, exitFailed, errOut.String())
	}
	lines := strings.Split(out.String(), "\r\x1b[K")
	if len(lines) < 4 {
		t.Fatalf("the live line was drawn %d times:\n%s", len(lines)-1, out.String())
	}
	last := lines[len(lines)-1]
	want := out.lastAt.Add(time.Hour).UTC()
	_, trueTime, found := strings.Cut(last, " · true time ")
	if !found || !strings.Contains(last, " s left") {
		t.Fatalf("live line %q", last)
	}
	shown, err := time.Parse("15:04:05", strings.Fields(trueTime)[0])
	if err != nil {
		t.Fatal(err)
	}
	d := (shown.Hour()*3600 + shown.Minute()*60 + shown.Second()) - (want.Hour()*3600 + want.Minute()*60 + want.Second())
	if d = (d+86400+43200)%86400 - 43200; d < -2 || d > 2 { // across midnight too
		t.Errorf("live line shows %s, true time was about %s when it was drawn", strings.Fields(trueTime)[0], want.Format("15:04:05"))
	}
}

// redraws is a terminal that counts the live line's redraws and calls reached at the
// wanted count, noting when that last line was drawn.
type redraws struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	want    int
	reached func()
	lastAt  time.Time
}

func (r *redraws) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf.Write(p)
	if strings.Count(r.buf.String(), "\r\x1b[K") == r.want && r.lastAt.IsZero() {
		r.lastAt = time.Now()
		r.reached()
	}
	return len(p), nil
}

func (r *redraws) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.buf.String()
}

func TestClockWatchNeedsATerminal(t *testing.T) {
	r := execCLI(t, nil, "", "clock", "--watch", "--offline")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--watch needs a terminal") || !strings.Contains(r.stderr, "hint: ") || r.stdout != "" {
		t.Errorf("exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
}

// Every kind of clock result fits the report contract (docs/report.schema.json).
func TestClockReportsMatchTheSchema(t *testing.T) {
	refused := []string{"--time-url", "http://127.0.0.1:1/"}
	cases := map[string][]string{
		"ok":      startNTP(t, ntptest.Behavior{}, ntptest.Behavior{}, ntptest.Behavior{Offset: time.Hour}),
		"fail":    startNTP(t, ntptest.Behavior{Offset: -19800 * time.Second}),
		"kod":     startNTP(t, ntptest.Behavior{KissCode: "DENY"}),
		"silent":  append(startNTP(t, ntptest.Behavior{Silent: true}), "--timeout", "300ms"),
		"offline": {"--offline"},
	}
	for name, args := range cases {
		r := execCLI(t, nil, "", append(append([]string{"clock", "--format", "json"}, refused...), args...)...)
		if r.code == exitUsage {
			t.Fatalf("%s: %s", name, r.stderr)
		}
		if err := docs.ValidateReport([]byte(r.stdout)); err != nil {
			t.Errorf("%s: the report does not match docs/report.schema.json: %v\n%s", name, err, r.stdout)
		}
	}
}
