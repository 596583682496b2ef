package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/otpdoctor/otpdoctor/checks/codes"
	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/docs"
	"github.com/otpdoctor/otpdoctor/internal/ntptest"
	"github.com/otpdoctor/otpdoctor/profile"
)

// Scenario tests: for every cause, the inputs a locked-out user brings (a
// clock off, codes from a phone off, another key, a mistyped backup code, a service in
// maintenance, ...), given to the real `otpdoctor check` in-process against loopback
// fakes only, and the diagnosis that must head the JSON report. Each report must fit
// docs/report.schema.json, and `otpdoctor explain` on it must reach the same diagnosis.
// The TLS scenario that needs a trusted test CA (SSL_CERT_FILE, read once per process)
// runs as a script: testdata/script/scenario_tls_clock.txtar, with the same judge.

func init() {
	// diagnosis REPORT CAUSE CONFIDENCE [below=CAUSE]...: the saved JSON report fits the
	// schema, its top diagnosis is CAUSE with CONFIDENCE (each below=CAUSE is present
	// and ranked lower), and `otpdoctor explain REPORT` diagnoses it the same.
	scriptCmds["diagnosis"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) < 3 {
			ts.Fatalf("usage: diagnosis REPORT CAUSE CONFIDENCE [below=CAUSE]...")
		}
		w := expect{top: diag.Cause(args[1]), confidence: args[2]}
		for _, arg := range args[3:] {
			cause, ok := strings.CutPrefix(arg, "below=")
			if !ok {
				ts.Fatalf("diagnosis: unknown %q", arg)
			}
			w.below = append(w.below, diag.Cause(cause))
		}
		path := ts.MkAbs(args[0])
		data, err := os.ReadFile(path)
		ts.Check(err)
		ts.Check(w.judge(data))
		ts.Check(explainAgrees(path, data))
	}
}

// scenarioKey is the key the user gives otpdoctor (in OTPDOCTOR_SECRET unless a scenario
// says otherwise), RFC 6238's SHA1 key, and the one their app holds unless it holds
// otherKey.
var (
	scenarioKey    = secret.Key{Secret: []byte("12345678901234567890")}
	otherKey       = secret.Key{Secret: []byte("another key, not it!")}
	scenarioSecret = map[string]string{secretEnv: secret.EncodeBase32(scenarioKey.Secret)}
)

// scenarioStart is the instant the scenario being built starts at: clockArgs sets it,
// and the codes shownNow makes and the run's clock (--now) both start from it.
var scenarioStart time.Time

// shownNow is the code an authenticator with key k shows at the scenario's start on a
// clock off by shift (positive: ahead).
func shownNow(k secret.Key, shift time.Duration) string {
	return codes.TOTPAt(k, scenarioStart.Add(shift))
}

// clockArgs are the clock check's references for a scenario: a loopback NTP server per
// offset, by which this machine's clock is off by that much (positive: ahead), and an
// HTTPS-date fallback that refuses connections, so no default reaches the internet.
//
// The run's clock starts at the scenario's start (--now), and codes are read at the
// command's start: the codes shownNow makes and the check see the same step however long
// a busy machine takes between them. The time server runs on real time, which --now's
// clock differs from only by the moments before the run starts.
func clockArgs(t *testing.T, offsets ...time.Duration) []string {
	scenarioStart = time.Now()
	var servers []ntptest.Behavior
	for _, offset := range offsets {
		servers = append(servers, ntptest.Behavior{Offset: offset})
	}
	return append([]string{"--now", scenarioStart.UTC().Format(time.RFC3339Nano), "--time-url", refusedURL},
		startNTP(t, servers...)...)
}

// refusedURL is a loopback address nothing listens on.
const refusedURL = "http://127.0.0.1:1/"

// secretFile writes text to a key file created 0600 in a temporary directory.
func secretFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.txt")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// statusURL serves the status fake's Statuspage summary with this indicator and the
// Authentication component in this state.
func statusURL(t *testing.T, indicator, authState string) string {
	srv := httptest.NewServer(jsonReply(statuspageSummary(indicator, authState)))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/v2/summary.json"
}

// atService names service id with its own profile, but with its status endpoint moved
// to a healthy loopback Statuspage and no time API (--profiles), so that the status
// check never leaves this machine.
func atService(t *testing.T, id string) []string {
	t.Helper()
	return atServiceWith(t, id, statusURL(t, "none", "operational"))
}

// atServiceWith is atService with the status endpoint at the Statuspage url.
func atServiceWith(t *testing.T, id, url string) []string {
	t.Helper()
	p, ok := profile.Lookup(id)
	if !ok {
		t.Fatalf("no profile %q", id)
	}
	local := *p
	local.Status, local.TimeAPI = &profile.Endpoint{URL: url, Kind: "statuspage"}, nil
	data, err := json.Marshal(map[string]any{"profiles": []profile.Profile{local}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "profiles.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"--profiles", path, "--service", id}
}

// assertLoopback fails the test when a report shows a check reached beyond this
// machine: every time source and status URL must be on 127.0.0.1.
func assertLoopback(t *testing.T, data string) {
	t.Helper()
	var report diag.Report
	if err := json.Unmarshal([]byte(data), &report); err != nil {
		t.Fatal(err)
	}
	for _, c := range report.Checks {
		var places []string
		switch f := c.Facts.(type) {
		case *diag.StatusFacts:
			places = append(places, f.URL)
		case *diag.ClockFacts:
			for _, s := range f.Sources {
				places = append(places, s.Server)
			}
		}
		for _, place := range places {
			if place != "" && !strings.HasPrefix(strings.TrimPrefix(strings.TrimPrefix(place, "http://"), "https://"), "127.0.0.1:") {
				t.Errorf("the %s check reached %s, beyond this machine", c.ID, place)
			}
		}
	}
}

// expect is the diagnosis a scenario must produce; the zero value is none.
type expect struct {
	top        diag.Cause
	confidence string
	// below are causes that must be diagnosed too, ranked under top.
	below []diag.Cause
	// notAbove are causes that may be absent, but never ranked above top nor as sure.
	notAbove []diag.Cause
	// summary must be in the top diagnosis's summary, evidence in its evidence, fix in
	// its fix steps, firstFix in its first step; unfounded must not be in its evidence.
	summary, evidence, fix, firstFix, unfounded string
	// others must be among the other things found, not causes of the refusal.
	others []diag.Cause
}

// judge checks a JSON report against the expectation.
func (w expect) judge(data []byte) error {
	if err := docs.ValidateReport(data); err != nil {
		return fmt.Errorf("the report does not match docs/report.schema.json: %w", err)
	}
	var report diag.Report
	if err := json.Unmarshal(data, &report); err != nil {
		return err
	}
	if err := consistent(report); err != nil {
		return err
	}
	d, others := diag.SplitDiagnosis(report.Diagnosis)
	for _, c := range w.others {
		if !slices.ContainsFunc(others, func(o diag.Diagnosis) bool { return o.Cause == c }) {
			return fmt.Errorf("diagnosis %s: want %s among the other things found", rankingOf(report.Diagnosis), c)
		}
	}
	if w.top == "" {
		if len(d) > 0 {
			return fmt.Errorf("diagnosis %s, want no cause", rankingOf(report.Diagnosis))
		}
		return nil
	}
	if len(d) == 0 {
		return fmt.Errorf("no diagnosis, want %s (%s)", w.top, w.confidence)
	}
	ranking := rankingOf(d)
	if d[0].Cause != w.top || d[0].Confidence != w.confidence {
		return fmt.Errorf("diagnosis %s, want %s (%s) first", ranking, w.top, w.confidence)
	}
	rank := func(c diag.Cause) int {
		return slices.IndexFunc(d, func(x diag.Diagnosis) bool { return x.Cause == c })
	}
	for _, c := range w.below {
		if rank(c) <= 0 {
			return fmt.Errorf("diagnosis %s, want %s ranked under %s", ranking, c, w.top)
		}
	}
	for _, c := range w.notAbove {
		if rank(c) == 0 || (rank(c) > 0 && d[rank(c)].Confidence == d[0].Confidence && w.confidence != diag.ConfidenceLow) {
			return fmt.Errorf("diagnosis %s: %s must not compete with %s", ranking, c, w.top)
		}
	}
	if !strings.Contains(d[0].Summary, w.summary) {
		return fmt.Errorf("the summary of %s lacks %q: %s", w.top, w.summary, d[0].Summary)
	}
	if w.evidence != "" && !slices.ContainsFunc(d[0].Evidence, func(e string) bool { return strings.Contains(e, w.evidence) }) {
		return fmt.Errorf("the evidence for %s lacks %q:\n%s", w.top, w.evidence, strings.Join(d[0].Evidence, "\n"))
	}
	if w.unfounded != "" && slices.ContainsFunc(d[0].Evidence, func(e string) bool { return strings.Contains(e, w.unfounded) }) {
		return fmt.Errorf("the evidence for %s claims %q:\n%s", w.top, w.unfounded, strings.Join(d[0].Evidence, "\n"))
	}
	if w.fix != "" && !slices.ContainsFunc(d[0].Fix, func(s string) bool { return strings.Contains(s, w.fix) }) {
		return fmt.Errorf("the fix for %s lacks %q:\n%s", w.top, w.fix, strings.Join(d[0].Fix, "\n"))
	}
	if w.firstFix != "" && (len(d[0].Fix) == 0 || !strings.Contains(d[0].Fix[0], w.firstFix)) {
		return fmt.Errorf("the first step for %s is not about %q:\n%s", w.top, w.firstFix, strings.Join(d[0].Fix, "\n"))
	}
	return nil
}

// consistent fails a report that tells two stories: a code valid now next to a cause
// that says the code is wrong, or a zone set wrong whose steps move the clock by hand.
func consistent(report diag.Report) error {
	causes, _ := diag.SplitDiagnosis(report.Diagnosis)
	for _, c := range report.Checks {
		if c.ID != diag.CheckCodes || !strings.Contains(c.Summary, "valid now") {
			continue
		}
		for _, d := range causes {
			if slices.Contains([]diag.Cause{diag.CauseDeviceClock, diag.CauseTimezone, diag.CauseAuthenticatorClock, diag.CauseCodeExpired,
				diag.CauseCodeTypo, diag.CauseSecretMismatch, diag.CauseParameterMismatch, diag.CauseCounterDrift}, d.Cause) {
				return fmt.Errorf("%q, yet %s is given as why the code was refused", c.Summary, d.Cause)
			}
		}
	}
	if len(causes) > 0 && causes[0].Cause == diag.CauseTimezone && len(causes[0].Fix) > 0 {
		first := strings.ToLower(causes[0].Fix[0])
		if !strings.Contains(first, "zone") {
			return fmt.Errorf("the zone is set wrong, but the first step is not about the zone: %s", causes[0].Fix[0])
		}
	}
	return nil
}

// rankingOf writes a diagnosis as "timezone (high), authenticator-clock (low)".
func rankingOf(d []diag.Diagnosis) string {
	var parts []string
	for _, x := range d {
		parts = append(parts, fmt.Sprintf("%s (%s)", x.Cause, x.Confidence))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// explainAgrees runs `otpdoctor explain` on the report saved at path and checks it
// reaches the same diagnosis: the same causes, in the same order, with the same
// confidence, summary, evidence and fix steps.
func explainAgrees(path string, original []byte) error {
	var out, errOut strings.Builder
	s := &streams{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
	if code := run(context.Background(), []string{"explain", path, "--format", "json"}, s); code != exitOK {
		return fmt.Errorf("otpdoctor explain: exit %d: %s", code, errOut.String())
	}
	var before, after diag.Report
	if err := json.Unmarshal(original, &before); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(out.String()), &after); err != nil {
		return fmt.Errorf("otpdoctor explain --format json: %w", err)
	}
	b, _ := json.MarshalIndent(before.Diagnosis, "", "  ")
	a, _ := json.MarshalIndent(after.Diagnosis, "", "  ")
	if string(a) != string(b) {
		return fmt.Errorf("explain diagnoses the report differently:\nrun:     %s\nexplain: %s\n%s\n---\n%s", rankingOf(before.Diagnosis), rankingOf(after.Diagnosis), b, a)
	}
	return nil
}

// scenario is one row of the table: what the user brings, and what must be diagnosed.
type scenario struct {
	name string
	// args are given to `otpdoctor check --format json`; env is the environment
	// (scenarioSecret when nil).
	args func(t *testing.T) []string
	env  map[string]string
	want expect
}

// scenarios are one per cause, then mixed ones where two causes compete.
var scenarios = []scenario{
	{
		name: "device-clock: this computer is 7 minutes behind",
		args: func(t *testing.T) []string { return clockArgs(t, -7*time.Minute) },
		want: expect{top: diag.CauseDeviceClock, confidence: diag.ConfidenceHigh, fix: "Your clock is 7 min"},
	},
	{
		name: "timezone: this computer is exactly an hour ahead",
		args: func(t *testing.T) []string { return clockArgs(t, time.Hour) },
		want: expect{top: diag.CauseTimezone, confidence: diag.ConfidenceHigh},
	},
	{
		name: "authenticator-clock: two consecutive codes from a phone 5 minutes ahead",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--code", shownNow(scenarioKey, 5*time.Minute-30*time.Second), "--code", shownNow(scenarioKey, 5*time.Minute))
		},
		want: expect{top: diag.CauseAuthenticatorClock, confidence: diag.ConfidenceHigh, summary: "phone's clock is about", fix: "Set the phone's clock right"},
	},
	{
		name: "code-expired: the code of the step before",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--code", shownNow(scenarioKey, -30*time.Second))
		},
		want: expect{top: diag.CauseCodeExpired, confidence: diag.ConfidenceMedium},
	},
	{
		name: "code-typo: two digits of the current code swapped",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--code", swapped(shownNow(scenarioKey, 0)))
		},
		want: expect{top: diag.CauseCodeTypo, confidence: diag.ConfidenceHigh},
	},
	{
		name: "parameter-mismatch: the key says SHA256, the app makes SHA1 codes",
		args: func(t *testing.T) []string {
			uri := "otpauth://totp/Example:alice?secret=" + secret.EncodeBase32(scenarioKey.Secret) + "&issuer=Example&algorithm=SHA256"
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, uri), "--code", shownNow(scenarioKey, 0))
		},
		env:  map[string]string{},
		want: expect{top: diag.CauseParameterMismatch, confidence: diag.ConfidenceHigh},
	},
	{
		name: "secret-mismatch: two codes of another key, offline",
		args: func(*testing.T) []string {
			return []string{"--offline", "--code", shownNow(otherKey, -30*time.Second), "--code", shownNow(otherKey, 0)}
		},
		want: expect{top: diag.CauseSecretMismatch, confidence: diag.ConfidenceHigh},
	},
	{
		name: "secret-invalid: a key of 40 bits",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, "GEZDGNBV\n"))
		},
		env:  map[string]string{},
		want: expect{top: diag.CauseSecretInvalid, confidence: diag.ConfidenceHigh},
	},
	{
		name: "duplicate-entry: two entries for one account with different keys",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, duplicateEntries), "--account", scenarioKey.Fingerprint())
		},
		env:  map[string]string{},
		want: expect{top: diag.CauseDuplicateEntry, confidence: diag.ConfidenceMedium},
	},
	{
		name: "backup-code-invalid: a GitHub recovery code with the letter S for a 5",
		args: func(t *testing.T) []string {
			return slices.Concat(clockArgs(t, 0), atService(t, "github"), []string{"--backup-code", "1a2b3-c4dSe"})
		},
		want: expect{top: diag.CauseBackupCodeInvalid, confidence: diag.ConfidenceHigh, fix: "character 9 as the digit 5"},
	},
	{
		name: "backup-code-used: a GitHub recovery code marked used",
		args: func(t *testing.T) []string {
			if r := execCLI(t, nil, "", "backup", "mark-used", "--service", "github", "1a2b3-c4d5e"); r.code != exitOK {
				t.Fatalf("mark-used: exit %d: %s", r.code, r.stderr)
			}
			return slices.Concat(clockArgs(t, 0), atService(t, "github"), []string{"--backup-code", "1a2b3-c4d5e"})
		},
		want: expect{top: diag.CauseBackupCodeUsed, confidence: diag.ConfidenceHigh},
	},
	{
		name: "backup-key-confusion: Binance's backup key given as a backup code",
		args: func(t *testing.T) []string {
			return slices.Concat(clockArgs(t, 0), atService(t, "binance"), []string{"--backup-code", "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"})
		},
		env:  map[string]string{},
		want: expect{top: diag.CauseBackupKeyConfusion, confidence: diag.ConfidenceHigh},
	},
	{
		name: "service-outage: sign-in is down at the service",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--status-url", statusURL(t, "critical", "major_outage"))
		},
		want: expect{top: diag.CauseServiceOutage, confidence: diag.ConfidenceHigh},
	},
	{
		name: "network-blocked: no time server answers and the service refuses connections",
		args: func(t *testing.T) []string {
			return append(startNTP(t, ntptest.Behavior{Silent: true}), "--time-url", refusedURL, "--status-url", refusedURL, "--timeout", "300ms")
		},
		want: expect{top: diag.CauseNetworkBlocked, confidence: diag.ConfidenceHigh},
	},
	{
		name: "tls-untrusted: the service's certificate comes from an unknown authority",
		args: func(t *testing.T) []string {
			srv := httptest.NewTLSServer(jsonReply(statuspageSummary("none", "operational")))
			t.Cleanup(srv.Close)
			return append(clockArgs(t, 0), "--status-url", srv.URL)
		},
		want: expect{top: diag.CauseTLSUntrusted, confidence: diag.ConfidenceHigh},
	},

	// Mixed: two causes compete, and the ranking must be right.
	{
		name: "(a) this computer right, codes 4 steps early: the phone's clock",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--code", shownNow(scenarioKey, -2*time.Minute))
		},
		want: expect{top: diag.CauseAuthenticatorClock, confidence: diag.ConfidenceHigh,
			notAbove: []diag.Cause{diag.CauseDeviceClock, diag.CauseCodeExpired}, evidence: "This computer's clock is right"},
	},
	{
		name: "(b) this computer exactly an hour ahead, codes that match its clock: the zone",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, time.Hour), "--code", shownNow(scenarioKey, 0))
		},
		want: expect{top: diag.CauseTimezone, confidence: diag.ConfidenceHigh,
			notAbove: []diag.Cause{diag.CauseAuthenticatorClock}, evidence: "same amount as this computer's clock"},
	},
	{
		// Two codes: one code of another key matches somewhere searched about 1% of the
		// time, and this scenario must not fail by chance.
		name: "(c) codes that match nothing, a sound key, a right clock: another key",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--code", shownNow(otherKey, -30*time.Second), "--code", shownNow(otherKey, 0))
		},
		want: expect{top: diag.CauseSecretMismatch, confidence: diag.ConfidenceHigh, evidence: "The key you gave is sound"},
	},
	{
		name: "(d) codes off by the same 7 minutes as this computer: fix this device first",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 7*time.Minute), "--code", shownNow(scenarioKey, -30*time.Second), "--code", shownNow(scenarioKey, 0))
		},
		want: expect{top: diag.CauseDeviceClock, confidence: diag.ConfidenceHigh,
			notAbove: []diag.Cause{diag.CauseAuthenticatorClock}, evidence: "same amount as this computer's clock"},
	},
	{
		name: "(e) the service in maintenance and this clock a little off: wait",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 8*time.Second), "--status-url", statusURL(t, "maintenance", "under_maintenance"))
		},
		want: expect{top: diag.CauseServiceOutage, confidence: diag.ConfidenceHigh,
			below: []diag.Cause{diag.CauseDeviceClock}, evidence: "nothing on your side needs fixing first"},
	},
	{
		name: "(f) a malformed key and a code: the key, not another key",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, "GEZDGNBVGY3TQOJ1GEZDGNBVGY3TQOJQ\n"), "--code", "123456")
		},
		env: map[string]string{},
		want: expect{top: diag.CauseSecretInvalid, confidence: diag.ConfidenceHigh,
			notAbove: []diag.Cause{diag.CauseSecretMismatch}},
	},
	{
		name: "(g) a code valid at true time, this computer 20 s ahead: the code is fine, this clock is another thing found",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 20*time.Second), "--code", shownNow(scenarioKey, -20*time.Second))
		},
		want: expect{others: []diag.Cause{diag.CauseDeviceClock}},
	},

	// The classes of issue 10: stories where the reasoning, not the measuring, was wrong.
	{
		name: "class 1: the phone exactly an hour ahead, this computer right: the phone's zone, zone first",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--code", shownNow(scenarioKey, time.Hour-30*time.Second), "--code", shownNow(scenarioKey, time.Hour))
		},
		want: expect{top: diag.CauseTimezone, confidence: diag.ConfidenceHigh, firstFix: "time zone", notAbove: []diag.Cause{diag.CauseAuthenticatorClock}},
	},
	{
		name: "class 1: the phone 5 h 30 min behind, this computer right: the phone's zone",
		args: func(t *testing.T) []string {
			shift := -(5*time.Hour + 30*time.Minute)
			return append(clockArgs(t, 0), "--code", shownNow(scenarioKey, shift-30*time.Second), "--code", shownNow(scenarioKey, shift))
		},
		want: expect{top: diag.CauseTimezone, confidence: diag.ConfidenceHigh, firstFix: "time zone"},
	},
	{
		name: "class 1: the phone a day behind: its clock, not a zone",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--code", shownNow(scenarioKey, -24*time.Hour-30*time.Second), "--code", shownNow(scenarioKey, -24*time.Hour))
		},
		want: expect{top: diag.CauseAuthenticatorClock, confidence: diag.ConfidenceHigh, firstFix: "Set the phone's clock right", notAbove: []diag.Cause{diag.CauseTimezone}},
	},
	{
		name: "class 1: this computer 16 minutes ahead: its clock, not a zone",
		args: func(t *testing.T) []string { return clockArgs(t, 16*time.Minute) },
		want: expect{top: diag.CauseDeviceClock, confidence: diag.ConfidenceHigh, notAbove: []diag.Cause{diag.CauseTimezone}},
	},
	{
		name: "class 1: this computer a year behind: its clock, not a zone",
		args: func(t *testing.T) []string { return clockArgs(t, -365*24*time.Hour) },
		want: expect{top: diag.CauseDeviceClock, confidence: diag.ConfidenceHigh, notAbove: []diag.Cause{diag.CauseTimezone}},
	},
	{
		name: "class 2: the phone a month ahead, two codes: found by the year's search",
		args: func(t *testing.T) []string {
			month := 30 * 24 * time.Hour
			return append(clockArgs(t, 0), "--code", shownNow(scenarioKey, month-30*time.Second), "--code", shownNow(scenarioKey, month))
		},
		want: expect{top: diag.CauseAuthenticatorClock, confidence: diag.ConfidenceHigh, notAbove: []diag.Cause{diag.CauseSecretMismatch}},
	},
	{
		name: "class 2: one code of another key: not claimed, a second code asked for",
		args: func(t *testing.T) []string { return append(clockArgs(t, 0), "--code", shownNow(otherKey, 0)) },
		want: expect{top: diag.CauseSecretMismatch, confidence: diag.ConfidenceLow, summary: "give two consecutive codes"},
	},
	{
		name: "class 2: the phone fast while this computer is slow: the phone's codes explain the code",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, -7*time.Minute), "--code", shownNow(scenarioKey, 3*time.Minute-30*time.Second), "--code", shownNow(scenarioKey, 3*time.Minute))
		},
		want: expect{top: diag.CauseAuthenticatorClock, confidence: diag.ConfidenceHigh, below: []diag.Cause{diag.CauseDeviceClock}},
	},
	{
		name: "class 3: an outage of another product and a typo: the typo; the outage is also going on",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--code", swapped(shownNow(scenarioKey, 0)), "--status-url", statusURL(t, "critical", "operational"))
		},
		want: expect{top: diag.CauseCodeTypo, confidence: diag.ConfidenceHigh, others: []diag.Cause{diag.CauseServiceOutage}},
	},
	{
		name: "class 4: a valid code with a SHA256 key and no app named: nothing refused it",
		args: func(t *testing.T) []string {
			k := scenarioKey
			k.Algorithm = secret.SHA256
			uri := "otpauth://totp/Example:alice?secret=" + secret.EncodeBase32(k.Secret) + "&issuer=Example&algorithm=SHA256"
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, uri), "--code", shownNow(k, 0))
		},
		env:  map[string]string{},
		want: expect{others: []diag.Cause{diag.CauseParameterMismatch}},
	},
	{
		name: "class 5: Binance's backup key typed into the code field, no key given",
		args: func(t *testing.T) []string { return append(clockArgs(t, 0), "--code", "GEZD GNBV GY3T QOJQ") },
		env:  map[string]string{},
		want: expect{top: diag.CauseBackupKeyConfusion, confidence: diag.ConfidenceHigh, firstFix: "6-digit code your authenticator shows"},
	},
	{
		name: "class 5: codes of the stale duplicate entry in the same export: that entry, not another key",
		args: func(t *testing.T) []string {
			stale := secret.Key{Secret: []byte("Hello!\xde\xad\xbe\xefHello!\xde\xad\xbe\xef")}
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, duplicateEntries), "--account", scenarioKey.Fingerprint(),
				"--code", shownNow(stale, -30*time.Second), "--code", shownNow(stale, 0))
		},
		env:  map[string]string{},
		want: expect{top: diag.CauseDuplicateEntry, confidence: diag.ConfidenceHigh, summary: "another entry for this account", notAbove: []diag.Cause{diag.CauseSecretMismatch}},
	},
	{
		name: "class 5: --code-time: a code read ten minutes ago was valid then",
		args: func(t *testing.T) []string {
			then := time.Now().Add(-10 * time.Minute)
			return append(clockArgs(t, 0), "--code", codes.TOTPAt(scenarioKey, then), "--code-time", then.UTC().Format(time.RFC3339Nano))
		},
	},
	{
		name: "class 6: an HOTP token 30 ahead, two codes: counter drift",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, hotpURI(5)), "--code", hotpCode(35), "--code", hotpCode(36))
		},
		env:  map[string]string{},
		want: expect{top: diag.CauseCounterDrift, confidence: diag.ConfidenceHigh, firstFix: "Resynchronise the service to counter 37"},
	},
	{
		name: "class 6: an HOTP token 300 ahead, past --look-ahead: a search limit, not another key",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, hotpURI(5)), "--code", hotpCode(305), "--code", hotpCode(306))
		},
		env:  map[string]string{},
		want: expect{top: diag.CauseSecretMismatch, confidence: diag.ConfidenceLow, summary: "--look-ahead 1000 searches further"},
	},
	{
		name: "class 6: an HOTP token 300 ahead, found with --look-ahead 1000",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, hotpURI(5)), "--code", hotpCode(305), "--code", hotpCode(306), "--look-ahead", "1000")
		},
		env:  map[string]string{},
		want: expect{top: diag.CauseCounterDrift, confidence: diag.ConfidenceHigh},
	},
	{
		name: "class 7: a code valid now and this computer 2 minutes behind: one story, the clock found besides",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, -2*time.Minute), "--code", shownNow(scenarioKey, 2*time.Minute)) // true time
		},
		want: expect{others: []diag.Cause{diag.CauseDeviceClock}},
	},
	{
		name: "class 8: an 80-bit key, no service named, and a valid code: nothing wrong",
		args: func(t *testing.T) []string {
			k := secret.Key{Secret: []byte("Hello!\xde\xad\xbe\xef")}
			return append(clockArgs(t, 0), "--secret-file", secretFile(t, secret.EncodeBase32(k.Secret)), "--code", shownNow(k, 0))
		},
		env: map[string]string{},
	},
	{
		name: "no majority: time servers say right, 1 h behind and 1 h ahead: the clock only possible, and how to tell",
		args: func(t *testing.T) []string { return clockArgs(t, 0, -time.Hour, time.Hour) },
		want: expect{top: diag.CauseDeviceClock, confidence: diag.ConfidenceLow, summary: "disagree by 2 h with no majority", firstFix: "time.is"},
	},
	{
		name: "no majority: two time servers an hour apart, and a swapped code: the typo; the clock not judged",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0, time.Hour), "--code", swapped(shownNow(scenarioKey, 0)))
		},
		want: expect{top: diag.CauseCodeTypo, confidence: diag.ConfidenceHigh, below: []diag.Cause{diag.CauseDeviceClock}},
	},
	{
		name: "a majority of two against one liar an hour ahead: a right clock, nothing wrong",
		args: func(t *testing.T) []string {
			return append(clockArgs(t, 0, time.Hour, 0), "--code", shownNow(scenarioKey, 0))
		},
	},
	{
		name: "nothing wrong: a code valid now, a right clock, a sound key",
		args: func(t *testing.T) []string { return append(clockArgs(t, 0), "--code", shownNow(scenarioKey, 0)) },
	},
}

// duplicateEntries is an Aegis export with two entries for GitHub: alice, holding
// different keys.
var duplicateEntries = `{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 2, "entries": [
  {"type": "totp", "name": "alice", "issuer": "GitHub", "info": {"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}},
  {"type": "totp", "name": "alice", "issuer": "GitHub", "info": {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA1", "digits": 6, "period": 30}}
]}}`

// hotpURI is an HOTP key (scenarioKey's) whose stored counter is counter.
func hotpURI(counter int) string {
	return fmt.Sprintf("otpauth://hotp/Example:alice?secret=%s&issuer=Example&counter=%d", secret.EncodeBase32(scenarioKey.Secret), counter)
}

// hotpCode is the HOTP code of scenarioKey at counter.
func hotpCode(counter uint64) string { return codes.HOTP(scenarioKey, counter) }

// swapped is code with its first two different adjacent digits swapped: one slip.
func swapped(code string) string {
	b := []byte(code)
	for i := 0; i+1 < len(b); i++ {
		if b[i] != b[i+1] {
			b[i], b[i+1] = b[i+1], b[i]
			return string(b)
		}
	}
	b[0] = '0' + (b[0]-'0'+1)%10 // all digits alike: change one instead
	return string(b)
}

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			env := sc.env
			if env == nil {
				env = scenarioSecret
			}
			// The used-codes ledger lives in the config directory: one of the scenario's own.
			t.Setenv("XDG_CONFIG_HOME", t.TempDir())
			r := execCLI(t, env, "", append([]string{"check", "--format", "json"}, sc.args(t)...)...)
			if r.code != exitOK && r.code != exitFailed {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			assertLoopback(t, r.stdout)
			t.Log("\n" + outline(r.stdout))
			if err := sc.want.judge([]byte(r.stdout)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "report.json")
			if err := os.WriteFile(path, []byte(r.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := explainAgrees(path, []byte(r.stdout)); err != nil {
				t.Error(err)
			}
		})
	}
}

// outline is a JSON report in brief, for a failing test: each check's status, summary
// and findings, then the diagnosis.
func outline(data string) string {
	var report diag.Report
	if err := json.Unmarshal([]byte(data), &report); err != nil {
		return data
	}
	var b strings.Builder
	for _, c := range report.Checks {
		fmt.Fprintf(&b, "%s %s: %s\n", c.ID, c.Status, c.Summary)
		for _, f := range c.Findings {
			fmt.Fprintf(&b, "  %s %s: %s\n", f.Severity, f.Cause, f.Message)
		}
	}
	for _, d := range report.Diagnosis {
		fmt.Fprintf(&b, "diagnosis %s (%s): %s\n  for: %s\n  against: %s\n  fix: %s\n", d.Cause, d.Confidence, d.Summary,
			strings.Join(d.Evidence, " | "), strings.Join(d.Against, " | "), strings.Join(d.Fix, " | "))
	}
	return b.String()
}

// The support ticket of scenario (a) holds the evidence that heads its diagnosis, what
// the user tried and the key's fingerprint, and never the key.
func TestScenarioTicket(t *testing.T) {
	args := append(clockArgs(t, 0), "--code", shownNow(scenarioKey, -2*time.Minute), "--tried", "synced the phone's time")
	r := execCLI(t, scenarioSecret, "", append([]string{"ticket"}, args...)...)
	if r.code != exitFailed {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"`authenticator-clock`, high confidence", "4 steps behind true time",
		"This computer's clock is right", "synced the phone's time", "fingerprint " + scenarioKey.Fingerprint(),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the ticket lacks %q:\n%s", want, r.stdout)
		}
	}
	b32 := secret.EncodeBase32(scenarioKey.Secret)
	assertNoKey(t, "the ticket", r.stdout+r.stderr, leakForms(scenarioKey.Secret, b32))
}

// --platform ios --app authy gives the iPhone's steps alone, in a run and when support
// explains a report made without them: no Android menu paths, no other app's.
func TestScenarioPlatformAndApp(t *testing.T) {
	args := append(clockArgs(t, 0), "--code", shownNow(scenarioKey, -2*time.Minute))
	fixOf := func(r cliRun) string {
		t.Helper()
		var report diag.Report
		if err := json.Unmarshal([]byte(r.stdout), &report); err != nil || len(report.Diagnosis) == 0 {
			t.Fatalf("exit %d: %v\n%s%s", r.code, err, r.stdout, r.stderr)
		}
		return strings.Join(report.Diagnosis[0].Fix, "\n")
	}
	common := execCLI(t, scenarioSecret, "", append([]string{"check", "--format", "json"}, args...)...)
	if fix := fixOf(common); !strings.Contains(fix, "On Android: ") || !strings.Contains(fix, "Google Authenticator: ") {
		t.Fatalf("without --platform, the common platforms' and apps' steps are given:\n%s", fix)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(path, []byte(common.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	runs := map[string]cliRun{
		"check":   execCLI(t, scenarioSecret, "", append([]string{"check", "--format", "json", "--platform", "ios", "--app", "authy"}, args...)...),
		"explain": execCLI(t, nil, "", "explain", path, "--format", "json", "--platform", "ios", "--app", "authy"),
	}
	for name, r := range runs {
		fix := fixOf(r)
		if !strings.Contains(fix, "Settings → General → Date & Time") {
			t.Errorf("%s: no iPhone menu path in\n%s", name, fix)
		}
		for _, other := range []string{"Android", "Settings → System", "⋮", "Google Authenticator", "On iPhone/iPad: "} {
			if strings.Contains(fix, other) {
				t.Errorf("%s: %q in the steps for an iPhone with Authy:\n%s", name, other, fix)
			}
		}
	}
	// The two runs measure apart in real time, so their figures may differ by a second
	// ("1 min 37 s" against "1 min 38 s"); the steps themselves must not.
	figures := regexp.MustCompile(`[0-9]+`)
	if a, b := figures.ReplaceAllString(fixOf(runs["check"]), "N"), figures.ReplaceAllString(fixOf(runs["explain"]), "N"); a != b {
		t.Errorf("explain --platform ios --app authy gives other steps than a run with them:\n%s\n---\n%s", b, a)
	}
}
