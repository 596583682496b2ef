package clock

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/ntp"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/ntptest"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// ntpServers starts one loopback NTP server per behaviour and returns their addresses.
func ntpServers(t *testing.T, behaviors ...ntptest.Behavior) []string {
	t.Helper()
	var addrs []string
	for _, b := range behaviors {
		addrs = append(addrs, ntptest.NewServer(t, b).Addr)
	}
	return addrs
}

// honest is a server whose clock is right but for offset, as a client here sees it.
func honest(offset time.Duration) ntptest.Behavior {
	return ntptest.Behavior{Offset: offset, RootDispersion: 5 * ms, RootDelay: 5 * ms}
}

// patient is the timeout of runs whose servers all answer: it only bounds a hang, so a
// loaded machine never turns an answer into a timeout.
const patient = time.Minute

func testEnv(timeout time.Duration) *diag.Env {
	return &diag.Env{Now: time.Now, Timeout: timeout, TrueTime: diag.NewTrueTime()}
}

var synchronisedOS = func(context.Context) OSClock { return OSClock{Synchronized: ptr(true), MaxError: ptr(200 * ms)} }

// runCheck runs the check as the runner would: under its budget.
func runCheck(t *testing.T, cfg Config, env *diag.Env) diag.Result {
	t.Helper()
	if cfg.OSClock == nil {
		cfg.OSClock = synchronisedOS
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = web.NewClient(env.Timeout, "otpdoctor-test")
	}
	if cfg.TimeURLs == nil {
		cfg.TimeURLs = []string{} // tests never reach the real sites
	}
	c := New(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), c.Budget(env.Timeout))
	defer cancel()
	return c.Run(ctx, env)
}

func offsetOf(t *testing.T, r diag.Result) time.Duration {
	t.Helper()
	v := factsOf(r).OffsetSeconds
	if v == nil {
		t.Fatalf("no offset_seconds in %+v (%s)", r.Facts, r.Summary)
	}
	return time.Duration(*v * float64(time.Second))
}

// factsOf is the clock check's facts in r.
func factsOf(r diag.Result) *diag.ClockFacts { return r.Facts.(*diag.ClockFacts) }

// tolerance is how far a measured offset may be from the truth: the uncertainty the
// check itself states (on a busy machine, round trips and so uncertainty grow), and a
// little for rounding.
func tolerance(r diag.Result) time.Duration {
	u := factsOf(r).UncertaintySeconds
	if u == nil {
		return 5 * ms
	}
	return time.Duration(*u*float64(time.Second)) + 5*ms
}

func sourceErrors(r diag.Result) []string {
	var errs []string
	for _, s := range factsOf(r).Sources {
		errs = append(errs, *cmp.Or(s.Error, new(string)))
	}
	return errs
}

func TestOffsetRecovered(t *testing.T) {
	for _, offset := range []time.Duration{0, 125 * time.Second, -7 * time.Second, 1500 * ms} {
		env := testEnv(patient)
		r := runCheck(t, Config{NTPServers: ntpServers(t, honest(offset), honest(offset), honest(offset))}, env)
		if got := offsetOf(t, r); (got - offset).Abs() > tolerance(r) {
			t.Errorf("offset %s: measured %s", offset, got)
		}
		if factsOf(r).Reference != diag.ReferenceNTP {
			t.Errorf("reference %q", factsOf(r).Reference)
		}
		ref := env.TrueTime.Wait(context.Background())
		if ref.Source != diag.ReferenceNTP || (ref.Offset-offset).Abs() > tolerance(r) || ref.Uncertainty <= 0 {
			t.Errorf("published %+v", ref)
		}
	}
}

func TestVerdicts(t *testing.T) {
	cases := []struct {
		offset  time.Duration
		status  diag.Status
		cause   diag.Cause
		summary string
	}{
		{0, diag.StatusOK, "", "2 of 2 time servers agree)."},
		{5 * time.Second, diag.StatusWarn, diag.CauseDeviceClock, "refuses about 17% of codes"},
		{-125 * time.Second, diag.StatusFail, diag.CauseDeviceClock, "2 min 5 s behind true time"},
		{45 * time.Second, diag.StatusFail, diag.CauseDeviceClock, "refuses about 50%"},
	}
	for _, tc := range cases {
		r := runCheck(t, Config{NTPServers: ntpServers(t, honest(tc.offset), honest(tc.offset))}, testEnv(patient))
		if r.Status != tc.status || !strings.Contains(r.Summary, tc.summary) {
			t.Errorf("offset %s: %s %q, want %s containing %q", tc.offset, r.Status, r.Summary, tc.status, tc.summary)
		}
		if tc.cause == "" {
			if len(r.Findings) != 0 {
				t.Errorf("offset %s: findings %v", tc.offset, r.Findings)
			}
			continue
		}
		if len(r.Findings) != 1 || r.Findings[0].Cause != tc.cause || len(diag.FixTexts(r.Findings[0].Steps, &diag.Env{})) < 2 ||
			!strings.HasPrefix(diag.FixTexts(r.Findings[0].Steps, &diag.Env{})[0], "Your clock is ") {
			t.Errorf("offset %s: findings %+v", tc.offset, r.Findings)
		}
	}
}

func TestTrueTimeFacts(t *testing.T) {
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(-time.Minute))}, testEnv(patient))
	trueTime, err := time.Parse(time.RFC3339, *factsOf(r).TrueTime)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(trueTime) - time.Minute; d.Abs() > time.Second {
		t.Errorf("true_time %s is not a minute ahead of this clock", trueTime)
	}
	if left := factsOf(r).StepSecondsLeft; left == nil || *left <= 0 || *left > 30 {
		t.Errorf("step_seconds_left %v", left)
	}
}

func TestOneFalsetickerOfThreeIgnored(t *testing.T) {
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(0), honest(time.Hour), honest(0))}, testEnv(patient))
	if got := offsetOf(t, r); got.Abs() > tolerance(r) {
		t.Errorf("the liar moved the estimate to %s", got)
	}
	if errs := sourceErrors(r); errs[0] != "" || errs[1] != "falseticker" || errs[2] != "" {
		t.Errorf("source errors %q", errs)
	}
	if r.Status != diag.StatusOK || !strings.Contains(r.Summary, "2 of 3 time servers agree") {
		t.Errorf("%s: %s", r.Status, r.Summary)
	}
}

// TestWhenServersDisagree: with no majority the offset is not judged (no tick, no
// average of liars); the servers are named with what each says, the facts say how far
// apart they are, nothing is published as true time, and the diagnosis holds the
// clock at low confidence with steps to compare against a clock the user trusts.
// With a majority, the liar is named and set aside.
func TestWhenServersDisagree(t *testing.T) {
	const h = time.Hour
	cases := []struct {
		name    string
		offsets []time.Duration
		status  diag.Status
		// summary holds these, with %[n]s the address of server n.
		summary []string
		// disagreement is the facts' disagreement_seconds (0: null); disputed, whether
		// the offset is left unjudged.
		disagreement time.Duration
		disputed     bool
		sources      []string // each source's error
	}{
		{"0, 1 h behind, 1 h ahead: no majority", []time.Duration{0, -h, h}, diag.StatusWarn,
			[]string{"Not judged: 3 time servers disagree by 2 h and no majority agrees", "{1} says this clock is right", "{2} says 1 h behind", "{3} says 1 h ahead"},
			2 * h, true, []string{"", "", ""}},
		{"two servers an hour apart: neither, nor the half-way", []time.Duration{0, h}, diag.StatusWarn,
			[]string{"Not judged: 2 time servers disagree by 1 h", "{1} says this clock is right, {2} says 1 h ahead"},
			h, true, []string{"", ""}},
		{"two an hour apart, both far off: what both say", []time.Duration{-24 * h, -23 * h}, diag.StatusWarn,
			[]string{"disagree by 1 h", "{1} says 24 h behind"}, h, true, []string{"", ""}},
		{"two a second apart: covered, judged", []time.Duration{0, time.Second}, diag.StatusOK,
			[]string{"no majority: the time servers that answered disagree by ", " s, so this is their median"}, time.Second, false, []string{"", ""}},
		{"2 of 3 agree: the majority wins, the liar named", []time.Duration{0, h, 0}, diag.StatusOK,
			[]string{"2 of 3 time servers agree; {2} says 1 h ahead and is set aside"}, 0, false, []string{"", "falseticker", ""}},
		{"all agree", []time.Duration{-h, -h, -h}, diag.StatusFail,
			[]string{"1 h behind true time", "3 of 3 time servers agree)"}, 0, false, []string{"", "", ""}},
		{"one server only: used, and said to be alone", []time.Duration{-h}, diag.StatusFail,
			[]string{"1 h behind true time", "1 of 1 time servers agree; a single source, so nothing checks it"}, 0, false, []string{""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var behaviors []ntptest.Behavior
			for _, o := range tc.offsets {
				behaviors = append(behaviors, honest(o))
			}
			addrs := ntpServers(t, behaviors...)
			env := testEnv(patient)
			r := runCheck(t, Config{NTPServers: addrs}, env)
			r.ID = diag.CheckClock
			var names []string
			for i, a := range addrs {
				names = append(names, fmt.Sprintf("{%d}", i+1), a)
			}
			named := strings.NewReplacer(names...)
			if r.Status != tc.status {
				t.Errorf("status %s, want %s: %s", r.Status, tc.status, r.Summary)
			}
			for _, want := range tc.summary {
				if want = named.Replace(want); !strings.Contains(r.Summary, want) {
					t.Errorf("summary %q lacks %q", r.Summary, want)
				}
			}
			if errs := sourceErrors(r); strings.Join(errs, "|") != strings.Join(tc.sources, "|") {
				t.Errorf("source errors %q, want %q", errs, tc.sources)
			}

			f := factsOf(r)
			var facts map[string]any
			data, _ := json.Marshal(f)
			if err := json.Unmarshal(data, &facts); err != nil {
				t.Fatal(err)
			}
			if got, ok := facts["disagreement_seconds"].(float64); tc.disagreement == 0 && facts["disagreement_seconds"] != nil ||
				tc.disagreement != 0 && (!ok || math.Abs(got-tc.disagreement.Seconds()) > 0.1) {
				t.Errorf("disagreement_seconds %v, want %s", facts["disagreement_seconds"], tc.disagreement)
			}
			ref := env.TrueTime.Wait(context.Background())
			diagnosis := diag.Diagnose([]diag.Result{r}, &diag.Env{})
			if !tc.disputed {
				if facts["offset_seconds"] == nil || !ref.Known() {
					t.Errorf("judged, yet offset_seconds %v, published %+v", facts["offset_seconds"], ref)
				}
				if r.Status == diag.StatusOK && len(diagnosis) != 0 {
					t.Errorf("diagnosis %+v of a right clock", diagnosis)
				}
				return
			}
			if facts["offset_seconds"] != nil || facts["uncertainty_seconds"] != nil || facts["majority"] != false || facts["true_time"] != nil {
				t.Errorf("disputed, yet facts %s", data)
			}
			if ref.Known() || !ref.Disputed {
				t.Errorf("a disputed time was published as true time, or not as disputed: %+v", ref)
			}
			if len(diagnosis) != 1 || diagnosis[0].Cause != diag.CauseDeviceClock || diagnosis[0].Confidence != diag.ConfidenceLow {
				t.Fatalf("diagnosis %+v, want device-clock at low confidence", diagnosis)
			}
			d := diagnosis[0]
			if !strings.Contains(d.Summary, "could not be checked") || !strings.Contains(d.Summary, fmt.Sprintf("%s says", addrs[1])) {
				t.Errorf("diagnosis summary %q", d.Summary)
			}
			fix := strings.Join(d.Fix, "\n")
			for _, want := range []string{"time.is", "otpdoctor phone", "--ntp-server HOST"} {
				if !strings.Contains(fix, want) {
					t.Errorf("the steps lack %q:\n%s", want, fix)
				}
			}
			if tc.offsets[0] < -diag.ClockFail && !strings.Contains(d.Summary, "All of them say it is at least 23 h behind") {
				t.Errorf("what every server says is not said: %q", d.Summary)
			}
		})
	}
}

func TestMisbehavingServersReported(t *testing.T) {
	r := runCheck(t, Config{NTPServers: ntpServers(t,
		ntptest.Behavior{KissCode: "RATE"},
		ntptest.Behavior{Leap: 3},
		ntptest.Behavior{Garbage: true},
		ntptest.Behavior{Stratum: 16},
		ntptest.Behavior{RootDispersion: 5 * time.Second},
		honest(0),
	)}, testEnv(patient))
	want := []string{"kiss-of-death RATE", "unsynchronised (leap indicator 3)", "not an NTP reply", "unsynchronised (stratum 16)", "root distance too large", ""}
	if errs := sourceErrors(r); strings.Join(errs, "|") != strings.Join(want, "|") {
		t.Errorf("source errors\n got %q\nwant %q", errs, want)
	}
	if r.Status != diag.StatusOK || factsOf(r).Reference != diag.ReferenceNTP {
		t.Errorf("the one good server should be used: %s %s", r.Status, r.Summary)
	}
	if !strings.Contains(strings.Join(r.Details, "\n"), "kiss code \"RATE\": it is asked too often") {
		t.Errorf("details do not explain the kiss-of-death: %q", r.Details)
	}
}

// silentHTTP accepts connections and never answers.
func silentHTTP(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/"
}

func TestAllSilentReturnsWithinTheTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 3 * time.Second
	silent := ntptest.Behavior{Silent: true}
	env := testEnv(timeout)
	start := time.Now()
	r := runCheck(t, Config{
		NTPServers: ntpServers(t, silent, silent, silent, silent, silent),
		TimeURLs:   []string{silentHTTP(t), silentHTTP(t)},
	}, env)
	// One timeout, not one per server (asked one after another, they would take seven);
	// the bound leaves a busy machine whole seconds.
	if took := time.Since(start); took > 3*timeout {
		t.Errorf("took %s with a %s timeout", took, timeout)
	}
	if r.Status != diag.StatusError || len(r.Findings) != 1 || r.Findings[0].Cause != diag.CauseNetworkBlocked {
		t.Fatalf("%s %q %+v", r.Status, r.Summary, r.Findings)
	}
	if !strings.Contains(r.Findings[0].Message, "UDP port 123") {
		t.Errorf("the finding does not name the likely blockage: %q", r.Findings[0].Message)
	}
	if factsOf(r).OffsetSeconds != nil || factsOf(r).Reference != diag.ReferenceNone {
		t.Errorf("facts claim a measurement: %v", r.Facts)
	}
	if ref := env.TrueTime.Wait(context.Background()); ref.Known() {
		t.Errorf("published %+v", ref)
	}
	for _, e := range sourceErrors(r) {
		if e != "timeout" {
			t.Errorf("source error %q, want timeout", e)
		}
	}
}

func TestSilentStragglerNotWaitedFor(t *testing.T) {
	// Once most servers agree, one silent server costs a short grace, not the timeout.
	const timeout = patient
	start := time.Now()
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(0), honest(0), ntptest.Behavior{Silent: true})}, testEnv(timeout))
	if took := time.Since(start); took > timeout/2 {
		t.Errorf("took %s: waited for the silent server", took)
	}
	if errs := sourceErrors(r); errs[2] != "timeout" || r.Status != diag.StatusOK {
		t.Errorf("%s, source errors %q", r.Status, errs)
	}
	if !strings.Contains(strings.Join(r.Details, "\n"), "after most servers had answered") {
		t.Errorf("details %q", r.Details)
	}
}

func TestSilentServerBesideOneThatAnswers(t *testing.T) {
	// One of two is no majority, so the silent one is waited for; as the other
	// answered, the network does not block NTP: the silent server is at fault.
	t.Parallel()
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(0), ntptest.Behavior{Silent: true})}, testEnv(10*time.Second))
	details := strings.Join(r.Details, "\n")
	if !strings.Contains(details, "no answer within 10 s, though other time servers answered") || strings.Contains(details, "UDP port 123") {
		t.Errorf("details %q", r.Details)
	}
}

func TestTimezoneDetected(t *testing.T) {
	for _, offset := range []time.Duration{3600 * time.Second, -19800 * time.Second, 3600*time.Second + 70*time.Second} {
		r := runCheck(t, Config{NTPServers: ntpServers(t, honest(offset), honest(offset), honest(offset))}, testEnv(patient))
		if r.Status != diag.StatusFail || len(r.Findings) != 1 || r.Findings[0].Cause != diag.CauseTimezone {
			t.Errorf("offset %s: %s %+v", offset, r.Status, r.Findings)
		}
	}
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(3600*time.Second+3*time.Minute))}, testEnv(patient))
	if len(r.Findings) != 1 || r.Findings[0].Cause != diag.CauseDeviceClock {
		t.Errorf("1 h 3 min is not a zone amount: %+v", r.Findings)
	}
}

func TestTimezoneOfTheZonesOwnOffset(t *testing.T) {
	// In UTC+1, a clock an hour ahead: the hardware clock keeps local time, read as UTC.
	env := testEnv(patient)
	env.Now = func() time.Time { return time.Now().In(time.FixedZone("CET", 3600)) }
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(time.Hour))}, env)
	if len(r.Findings) != 1 || r.Findings[0].Cause != diag.CauseTimezone ||
		!strings.Contains(r.Findings[0].Message, "exactly this zone's UTC offset (UTC+01:00)") {
		t.Errorf("%+v", r.Findings)
	}
	if !strings.Contains(diag.FixTexts(r.Findings[0].Steps, &diag.Env{})[0], "check the time zone (now CET, UTC+01:00)") {
		t.Errorf("first step %q", diag.FixTexts(r.Findings[0].Steps, &diag.Env{})[0])
	}
}

func TestOffline(t *testing.T) {
	env := testEnv(time.Second)
	env.Offline = true
	env.Now = func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("", 19800)) }
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(time.Hour))}, env)
	if r.Status != diag.StatusSkip || !strings.Contains(r.Summary, "--offline") || factsOf(r).Reference != diag.ReferenceNone {
		t.Errorf("%s %q", r.Status, r.Summary)
	}
	f := factsOf(r)
	if len(f.Sources) != 0 {
		t.Errorf("offline asked sources: %+v", f.Sources)
	}
	if f.Timezone != "UTC+05:30" || f.UTCOffsetSeconds != 19800 {
		t.Errorf("zone %v %v", f.Timezone, f.UTCOffsetSeconds)
	}
	if sync := f.OSSynchronized; sync == nil || !*sync {
		t.Errorf("os_synchronized %v", sync)
	}

	unsynced := func(context.Context) OSClock { return OSClock{Synchronized: ptr(false)} }
	r = runCheck(t, Config{OSClock: unsynced}, env)
	if r.Status != diag.StatusSkip || len(r.Findings) != 0 || !strings.Contains(r.Summary, "not synchronised") {
		t.Errorf("an unsynchronised OS offline: %s %q %+v", r.Status, r.Summary, r.Findings)
	}
}

func TestNowShiftsTheOffset(t *testing.T) {
	// --now: this machine's clock reads the given instant; the servers keep real time.
	env := testEnv(patient)
	start, fixed := time.Now(), time.Now().Add(-90*time.Minute)
	env.Now = func() time.Time { return fixed.Add(time.Since(start)) }
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(0), honest(0))}, env)
	if got := offsetOf(t, r); (got + 90*time.Minute).Abs() > tolerance(r) {
		t.Errorf("measured %s, want -90m", got)
	}
}

// dateServer is a web site whose Date header reads a clock offset as a client here
// sees it; it counts the requests it gets.
func dateServer(t *testing.T, offset time.Duration, age string) (string, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	dates := ntptest.DateHandler(offset, age)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		dates.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", &requests
}

func TestHTTPSDateFallback(t *testing.T) {
	t.Parallel()
	const offset = 2*time.Second + 370*ms
	env := testEnv(20 * time.Second) // the silent server holds the run this long
	good, requests := dateServer(t, offset, "")
	cached, _ := dateServer(t, 0, "120")
	r := runCheck(t, Config{
		NTPServers: ntpServers(t, ntptest.Behavior{Silent: true}),
		TimeURLs:   []string{good, cached},
	}, env)
	if factsOf(r).Reference != diag.ReferenceHTTPSDate {
		t.Fatalf("reference %q: %s", factsOf(r).Reference, r.Summary)
	}
	// Bisection takes the Date header's one-second steps below a second (how far below
	// depends on round trips, long on a busy machine).
	got := offsetOf(t, r)
	uncertainty := *factsOf(r).UncertaintySeconds
	if (got-offset).Abs() > tolerance(r) || uncertainty >= 0.5 {
		t.Errorf("measured %s ± %.3f s, want %s within that (after %d requests)", got, uncertainty, offset, requests.Load())
	}
	if errs := sourceErrors(r); errs[0] != "timeout" || errs[1] != "" || errs[2] != "cached answer" {
		t.Errorf("source errors %q", errs)
	}
	if ref := env.TrueTime.Wait(context.Background()); ref.Source != diag.ReferenceHTTPSDate {
		t.Errorf("published %+v", ref)
	}
	if !strings.Contains(r.Summary, "HTTPS Date") {
		t.Errorf("summary %q does not say where the time came from", r.Summary)
	}
	if !strings.Contains(strings.Join(r.Details, "\n"), "seems to block NTP (UDP port 123)") {
		t.Errorf("details do not say NTP looks blocked: %q", r.Details)
	}
}

func TestHTTPSDateNotNeededWhenNTPAnswers(t *testing.T) {
	url, requests := dateServer(t, 0, "")
	r := runCheck(t, Config{NTPServers: ntpServers(t, honest(0)), TimeURLs: []string{url}}, testEnv(patient))
	if factsOf(r).Reference != diag.ReferenceNTP || requests.Load() != 0 || len(factsOf(r).Sources) != 1 {
		t.Errorf("reference %q, %d Date requests, sources %+v", factsOf(r).Reference, requests.Load(), factsOf(r).Sources)
	}
}

// silentResolver is a resolver whose DNS server (a UDP socket on 127.0.0.1) reads every
// query and never answers.
func silentResolver(t *testing.T) *net.Resolver {
	t.Helper()
	dns, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dns.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			if _, _, err := dns.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", dns.LocalAddr().String())
	}}
}

// With a silent DNS server, the real NTP client never reaches a time server: the
// report names DNS, not a firewall blocking NTP.
func TestSilentDNSIsNamedDNS(t *testing.T) {
	t.Parallel()
	env := testEnv(2 * time.Second) // ends the lookups: nothing answers whatever it is
	r := runCheck(t, Config{
		NTPServers: []string{"time.example.test:123", "ntp.example.test:123"},
		Query:      ntp.QueryWithOptions,
		Resolver:   silentResolver(t),
	}, env)
	if r.Status != diag.StatusError || len(r.Findings) != 1 || r.Findings[0].Cause != diag.CauseNetworkBlocked {
		t.Fatalf("%s %q %+v", r.Status, r.Summary, r.Findings)
	}
	if !strings.Contains(r.Summary, "DNS") || strings.Contains(r.Summary, "UDP port 123") || strings.Contains(r.Findings[0].Message, "firewall") {
		t.Errorf("summary %q, finding %q: want DNS named, no NTP blockage", r.Summary, r.Findings[0].Message)
	}
	for _, e := range sourceErrors(r) {
		if e != "DNS lookup failed" {
			t.Errorf("source error %q, want DNS lookup failed", e)
		}
	}
}
