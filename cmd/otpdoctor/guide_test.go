package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/codes"
	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/internal/ntptest"
	"github.com/otpdoctor/otpdoctor/profile"
)

// The guide is tested as people use it: the real otpdoctor process in a real terminal
// (tmux), keys sent and screens read, against loopback fakes, on a clock the test
// moves (so that "press Enter when the phone's minute changes" takes no minute).
// Every wait is for text on the screen, bounded generously.

// testClockEnv names the file an otpdoctor started by a test reads its clock from.
const testClockEnv = "OTPDOCTOR_TEST_CLOCK"

// screenWait bounds each wait for the screen: a hang fails, a slow machine does not.
const screenWait = 60 * time.Second

// guideStart is where the tests' clock starts: 10 s into a 30 s step.
var guideStart = time.Date(2026, 11, 26, 9, 30, 10, 0, time.UTC)

// testClock is a clock that stands still until the test moves it, shared with the
// otpdoctor process through a file.
type testClock struct {
	path string
	mu   sync.Mutex
	now  time.Time
}

func newTestClock(t *testing.T, start time.Time) *testClock {
	c := &testClock{path: filepath.Join(t.TempDir(), "clock")}
	c.set(t, start)
	return c
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) set(t *testing.T, now time.Time) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
	if err := fileio.WriteFile(c.path, []byte(now.Format(time.RFC3339Nano)), 0o600); err != nil {
		t.Fatal(err)
	}
}

// readClockFile is the clock of otpdoctor-on-test-clock: the instant in the file.
func readClockFile(path string) func() time.Time {
	return func() time.Time {
		data, err := os.ReadFile(path)
		if err != nil {
			panic(err)
		}
		now, err := time.Parse(time.RFC3339Nano, string(data))
		if err != nil {
			panic(err)
		}
		return now
	}
}

// guideWorld is what a guide test runs against: the test clock, a loopback NTP server
// on it, and a service whose status page is a loopback Statuspage on it.
type guideWorld struct {
	clock *testClock
	home  string   // HOME of the run: its own backup ledger
	args  []string // the fakes, as flags
}

func newGuideWorld(t *testing.T, service, indicator, authState string) *guideWorld {
	w := &guideWorld{clock: newTestClock(t, guideStart), home: t.TempDir()}
	summary := jsonReply(statuspageSummary(indicator, authState))
	status := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Date", w.clock.Now().UTC().Format(http.TimeFormat)) // the service's clock agrees
		summary(rw, r)
	}))
	t.Cleanup(status.Close)
	profiles := atServiceWith(t, service, status.URL+"/api/v2/summary.json")[:2] // --profiles FILE: the user picks the service
	w.args = append(w.args, profiles...)
	w.args = append(w.args, "--time-url", refusedURL, "--ntp-server", ntptest.NewServer(t, ntptest.Behavior{Now: w.clock.Now}).Addr)
	return w
}

// terminal is otpdoctor running in a tmux pane of its own tmux server.
type terminal struct{ *tmuxServer }

// startGuide starts `otpdoctor ARGS` in a terminal, in world, and after it ends shows
// its exit status and the terminal's settings (stty -a) in the pane.
func startGuide(t *testing.T, w *guideWorld, before string, args ...string) *terminal {
	t.Helper()
	dir := t.TempDir()
	tm := &terminal{newTmuxServer(t, dir)}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	script := strings.Join([]string{
		"cd " + dir,
		"export TZ=UTC NO_COLOR=1 TERM=xterm-256color HOME=" + w.home + " XDG_CONFIG_HOME=" + w.home + "/.config " + testClockEnv + "=" + w.clock.path,
		"unset " + secretEnv,
		before,
		"otpdoctor-on-test-clock " + strings.Join(quoted, " "),
		`echo "exit status $?"`,
		`echo "terminal: $(stty -a | tr '\n' ' ')"`,
		"exec cat >/dev/null",
	}, "\n")
	path := filepath.Join(dir, "run.sh")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "50", "-s", "guide", "sh "+path)
	return tm
}

// screen is everything the pane shows and has scrolled past, wrapped lines joined.
func (tm *terminal) screen() string {
	return tm.tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "guide")
}

// waitFor waits until the screen shows text n times (the guide keeps its answered
// questions on screen, so a question put again shows twice), and returns the screen.
func (tm *terminal) waitFor(text string, n int) string {
	tm.t.Helper()
	return tm.poll(fmt.Sprintf("the screen to show %q (×%d)", text, n), func() (string, bool) {
		s := tm.screen()
		return s, strings.Count(s, text) >= n
	})
}

// send types literal text (when not "") and then presses keys (tmux key names).
func (tm *terminal) send(text string, keys ...string) {
	tm.t.Helper()
	if text != "" {
		tm.tmux("send-keys", "-t", "guide", "-l", text)
	}
	if len(keys) > 0 {
		tm.tmux(append([]string{"send-keys", "-t", "guide"}, keys...)...)
	}
}

// exchange is one question of a guide run: wait until the screen shows prompt (n
// times, 1 when 0), move the clock to at (unless zero), type text and press keys.
type exchange struct {
	prompt string
	n      int
	at     time.Time
	text   string
	keys   []string
	// terminalOnly: the accessible mode does not ask it (the phone's page, whose QR
	// code a screen reader cannot show).
	terminalOnly bool
}

// play runs exchanges in the terminal.
func (tm *terminal) play(w *guideWorld, exchanges []exchange) {
	tm.t.Helper()
	for _, e := range exchanges {
		tm.waitFor(e.prompt, max(e.n, 1))
		if !e.at.IsZero() {
			w.clock.set(tm.t, e.at)
		}
		tm.send(e.text, e.keys...)
	}
}

// finished waits for the run to end and returns its exit status line and the
// terminal's settings after it.
func (tm *terminal) finished() (screen string) {
	tm.t.Helper()
	return tm.waitFor("terminal: ", 1)
}

// assertRestored fails unless the run exited with want and left the terminal as a
// shell expects it: line editing and echo on (a crashed full-screen program leaves
// -icanon -echo).
func assertRestored(t *testing.T, screen string, want int) {
	t.Helper()
	if !strings.Contains(screen, fmt.Sprintf("exit status %d\n", want)) {
		t.Errorf("exit status: want %d\n%s", want, screen)
	}
	_, settings, _ := strings.Cut(screen, "terminal: ")
	for _, flag := range []string{"icanon", "echo", "isig", "icrnl", "opost"} {
		if !slices.Contains(strings.Fields(settings), flag) {
			t.Errorf("the terminal was left without %s: %s", flag, settings)
		}
	}
}

// downTo is the keys that move a list's cursor from its first choice to label.
func downTo(labels []string, label string) []string {
	i := slices.Index(labels, label)
	if i < 0 {
		panic("no choice " + label)
	}
	return append(slices.Repeat([]string{"Down"}, i), "Enter")
}

// serviceChoices are the guide's services in the order it lists them.
func serviceChoices() []string {
	var names []string
	for _, p := range profile.Builtin().All() {
		if p.ID != profile.GenericID {
			names = append(names, p.Name)
		}
	}
	return names
}

// guideKey is the key the user pastes: RFC 6238's SHA1 key.
var guideKey = secret.Key{Secret: []byte("12345678901234567890")}

// phoneBehind is the run of a user whose phone is 80 s behind, who answers every
// question: GitHub, the app's code, an Android phone, Google Authenticator; presses at
// the phone's minute changes, says the phone showed another time and which; types two
// codes as the phone shows them, and pastes the key.
func phoneBehind() []exchange {
	const behind = 80 * time.Second
	phoneCode := func(trueTime time.Time) string { return codes.TOTPAt(guideKey, trueTime.Add(-behind)) }
	firstCode := guideStart.Add(170 * time.Second)  // 09:33:00: the phone shows 09:31:40
	secondCode := guideStart.Add(192 * time.Second) // 09:33:22: the phone shows 09:32:02, the next step
	return []exchange{
		{prompt: "Which service are you locked out of?", keys: downTo(serviceChoices(), "GitHub")},
		{prompt: "What is refused?", keys: []string{"Enter"}},
		{prompt: "What holds your authenticator app?", keys: []string{"Enter"}},
		{prompt: "Which authenticator app?", keys: []string{"Enter"}},
		{prompt: "How should otpdoctor compare your phone's clock", keys: []string{"Down", "Enter"}, terminalOnly: true}, // by hand
		// The phone's minute changes 80 s late: at true 09:31:20 and 09:32:20.
		{prompt: "Presses: 0 of 2", at: guideStart.Add(70 * time.Second), keys: []string{"Enter"}},
		{prompt: "Presses: 1 of 2", at: guideStart.Add(130 * time.Second), keys: []string{"Enter"}},
		{prompt: "did your phone show 09:32?", keys: []string{"Down", "Enter"}},
		{prompt: "What time did your phone show", text: "9:31", keys: []string{"Enter"}},
		{prompt: "Type the code your app shows now", at: firstCode, text: phoneCode(firstCode), keys: []string{"Enter"}},
		{prompt: "wait until the app shows a new code", at: secondCode, text: phoneCode(secondCode), keys: []string{"Enter"}},
		{prompt: "Do you have the 2FA key itself?", keys: []string{"Enter"}},
		{prompt: "Paste the key", text: secret.EncodeBase32(guideKey.Secret), keys: []string{"Enter"}},
	}
}

// guideReport runs the guide through exchanges, saves the ticket when asked to, and
// returns the final screen and the JSON report (--output).
func guideReport(t *testing.T, w *guideWorld, before string, exchanges []exchange, saveTicket bool) (screen string, report []byte, dir string) {
	t.Helper()
	dir = t.TempDir()
	out := filepath.Join(dir, "report.json")
	tm := startGuide(t, w, before, append([]string{"guide", "--format", "json", "--output", out}, w.args...)...)
	tm.play(w, exchanges)
	tm.waitFor("Save a support ticket", 1)
	if saveTicket {
		tm.send("", "Enter")
		tm.waitFor("Save it as", 1)
		tm.send("", "C-u") // the name offered
		tm.send(filepath.Join(dir, "ticket.md"), "Enter")
	} else {
		tm.send("n")
	}
	screen = tm.finished()
	report, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no report: %v\n%s", err, screen)
	}
	return screen, report, dir
}

func TestGuidePhoneBehind(t *testing.T) {
	t.Parallel() // a process of its own, in a terminal of its own
	w := newGuideWorld(t, "github", "none", "operational")
	screen, report, dir := guideReport(t, w, "", phoneBehind(), true)
	assertRestored(t, screen, exitFailed)
	want := expect{top: diag.CauseAuthenticatorClock, confidence: diag.ConfidenceHigh}
	if err := want.judge(report); err != nil {
		t.Errorf("%v\n%s", err, screen)
	}
	// The presses are the phone check's facts, read by hand.
	var r diag.Report
	if err := json.Unmarshal(report, &r); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(r.Checks, func(c diag.Result) bool { return c.ID == diag.CheckPhone })
	if f, ok := r.Checks[i].Facts.(*diag.PhoneFacts); !ok || f.Method != diag.PhoneMethodManual || f.OffsetSeconds == nil || *f.OffsetSeconds != -79.7 || r.Checks[i].Status != diag.StatusFail {
		t.Errorf("phone check %s %+v: want a failure read by hand, -79.7 s", r.Checks[i].Status, r.Checks[i].Facts)
	}
	// The diagnosis and its steps are on the screen as check prints them.
	info, _ := diag.LookupCause(diag.CauseAuthenticatorClock)
	for _, text := range []string{"Phone's clock: 79.7 s behind true time", "✗ " + info.Headline, "What to do:", " 1. "} {
		if !strings.Contains(screen, text) {
			t.Errorf("the screen lacks %q:\n%s", text, screen)
		}
	}
	ticket := filepath.Join(dir, "ticket.md")
	info2, err := os.Stat(ticket)
	if err != nil {
		t.Fatalf("no ticket: %v\n%s", err, screen)
	}
	if info2.Mode().Perm() != 0o600 {
		t.Errorf("ticket mode %04o, want 0600", info2.Mode().Perm())
	}
	data, _ := os.ReadFile(ticket)
	for _, text := range []string{"## Already tried", "The code my authenticator app shows is refused (Google Authenticator).", "by hand", "`authenticator-clock`"} {
		if !strings.Contains(string(data), text) {
			t.Errorf("the ticket lacks %q:\n%s", text, data)
		}
	}
	keyForms := leakForms(guideKey.Secret, "")[:5] // no URI was given
	assertNoKey(t, "the ticket", string(data), keyForms)
	assertNoKey(t, "the screen", screen, keyForms)
}

// guideRun plays exchanges, declines the ticket and judges the JSON report.
func guideJudged(t *testing.T, w *guideWorld, before string, exchanges []exchange, want expect) {
	t.Helper()
	screen, report, _ := guideReport(t, w, before, exchanges, false)
	assertRestored(t, screen, exitFailed)
	if err := want.judge(report); err != nil {
		t.Errorf("%v\n%s", err, screen)
	}
	info, _ := diag.LookupCause(want.top)
	if !strings.Contains(screen, info.Headline) {
		t.Errorf("the screen lacks the diagnosis %q:\n%s", info.Headline, screen)
	}
}

func TestGuideCodeTypo(t *testing.T) {
	t.Parallel() // a process of its own, in a terminal of its own
	w := newGuideWorld(t, "github", "none", "operational")
	w.args = append(w.args, "--listen", "127.0.0.1:0", "--wait", "1s")
	valid := []byte(codes.TOTPAt(guideKey, guideStart))
	valid[2] = '0' + (valid[2]-'0'+1)%10 // one digit off
	guideJudged(t, w, "", []exchange{
		{prompt: "Which service are you locked out of?", keys: downTo(serviceChoices(), "GitHub")},
		{prompt: "What is refused?", keys: []string{"Enter"}},
		{prompt: "What holds your authenticator app?", keys: []string{"Down", "Enter"}}, // an iPhone
		{prompt: "Which authenticator app?", keys: []string{"Enter"}},
		// The phone's page: no phone opens it within --wait, so the clock is read by hand.
		{prompt: "How should otpdoctor compare your phone's clock", keys: []string{"Enter"}},
		{prompt: "Let's compare by hand instead"},
		{prompt: "Presses: 0 of 2", text: "s"},
		{prompt: "Type the code your app shows now", text: string(valid), keys: []string{"Enter"}},
		{prompt: "wait until the app shows a new code", keys: []string{"Enter"}},
		{prompt: "Do you have the 2FA key itself?", keys: []string{"Enter"}},
		{prompt: "Paste the key", text: secret.EncodeBase32(guideKey.Secret), keys: []string{"Enter"}},
	}, expect{top: diag.CauseCodeTypo, confidence: diag.ConfidenceHigh})
}

// usedRecoveryCode is a GitHub recovery code the user already spent (and marked so).
const usedRecoveryCode = "3f2a1-9c0d7"

// backupCodeUsed is the run of a user whose backup code is refused, without the key.
func backupCodeUsed() []exchange {
	return []exchange{
		{prompt: "Which service are you locked out of?", keys: downTo(serviceChoices(), "GitHub")},
		{prompt: "What is refused?", keys: []string{"Down", "Enter"}},
		{prompt: "Do you have the 2FA key itself?", keys: []string{"Down", "Down", "Down", "Enter"}}, // No
		{prompt: "Type the backup code you tried", text: usedRecoveryCode, keys: []string{"Enter"}},
	}
}

func TestGuideBackupCodeAlreadyUsed(t *testing.T) {
	t.Parallel() // a process of its own, in a terminal of its own
	w := newGuideWorld(t, "github", "none", "operational")
	markUsed := "otpdoctor-on-test-clock backup mark-used --service github " + usedRecoveryCode + " >/dev/null"
	guideJudged(t, w, markUsed, backupCodeUsed(), expect{top: diag.CauseBackupCodeUsed, confidence: diag.ConfidenceHigh})
}

// A mistyped backup code typed into the guide shows on neither the screen, the saved
// ticket nor the report: neither as typed nor as the code it was probably meant to be.
func TestGuideMistypedBackupCodeStaysSecret(t *testing.T) {
	t.Parallel() // a process of its own, in a terminal of its own
	w := newGuideWorld(t, "github", "none", "operational")
	exchanges := backupCodeUsed()
	exchanges[len(exchanges)-1].text = "3f2a1-9cOd7" // O for 0: probably 3f2a1-9c0d7
	screen, report, dir := guideReport(t, w, "", exchanges, true)
	assertRestored(t, screen, exitFailed)
	if err := (expect{top: diag.CauseBackupCodeInvalid, confidence: diag.ConfidenceHigh}).judge(report); err != nil {
		t.Errorf("%v\n%s", err, screen)
	}
	ticket, err := os.ReadFile(filepath.Join(dir, "ticket.md"))
	if err != nil {
		t.Fatalf("no ticket: %v\n%s", err, screen)
	}
	if !strings.Contains(string(ticket), "character 8 is the letter O") {
		t.Errorf("the ticket does not name the wrong character:\n%s", ticket)
	}
	secrets := []string{"3f2a19cod7", "3f2a19c0d7"}
	assertNoBackupCode(t, "the screen", screen, secrets)
	assertNoBackupCode(t, "the ticket", string(ticket), secrets)
	assertNoBackupCode(t, "the report", string(report), secrets)
}

func TestGuideServiceOutage(t *testing.T) {
	t.Parallel() // a process of its own, in a terminal of its own
	w := newGuideWorld(t, "github", "major", "major_outage")
	guideJudged(t, w, "", []exchange{
		{prompt: "Which service are you locked out of?", keys: downTo(serviceChoices(), "GitHub")},
		{prompt: "What is refused?", keys: []string{"Down", "Down", "Enter"}}, // I lost the phone
		{prompt: "Do you have the 2FA key itself?", keys: []string{"Down", "Down", "Down", "Enter"}},
		{prompt: "Type the backup code you tried", keys: []string{"Enter"}},
	}, expect{top: diag.CauseServiceOutage, confidence: diag.ConfidenceHigh})
}

// Ctrl-C at any question leaves at once with exit 130 and the terminal as it was.
func TestGuideCtrlCAtEveryQuestion(t *testing.T) {
	t.Parallel()
	ticket := []exchange{
		{prompt: "Save a support ticket", keys: []string{"Enter"}},
		{prompt: "Save it as"},
	}
	page := append(phoneBehind()[:4:4],
		exchange{prompt: "How should otpdoctor compare your phone's clock", keys: []string{"Enter"}},
		exchange{prompt: "Waiting for your phone to open the page"})
	for _, path := range []struct {
		exchanges []exchange
		from      int // the questions before were interrupted on another path
	}{{append(phoneBehind(), ticket...), 0}, {backupCodeUsed(), 1}, {page, 4}} {
		for i, at := range path.exchanges {
			if i < path.from || (i > 0 && path.exchanges[i-1].prompt == "Presses: 0 of 2") {
				continue // the second press is on the same screen as the first
			}
			t.Run(at.prompt, func(t *testing.T) {
				t.Parallel()
				w := newGuideWorld(t, "github", "none", "operational")
				w.args = append(w.args, "--listen", "127.0.0.1:0")
				tm := startGuide(t, w, "", append([]string{"guide"}, w.args...)...)
				tm.play(w, path.exchanges[:i])
				tm.waitFor(at.prompt, 1)
				tm.send("", "C-c")
				assertRestored(t, tm.finished(), exitInterrupted)
			})
		}
	}
}

// Esc goes back to the question before, and the answer given there stays chosen.
func TestGuideEscGoesBack(t *testing.T) {
	t.Parallel() // a process of its own, in a terminal of its own
	w := newGuideWorld(t, "github", "none", "operational")
	tm := startGuide(t, w, "", append([]string{"guide"}, w.args...)...)
	tm.play(w, []exchange{
		{prompt: "Which service are you locked out of?", keys: downTo(serviceChoices(), "GitHub")},
		{prompt: "What is refused?", keys: []string{"Down", "Down", "Enter"}},
		{prompt: "Do you have the 2FA key itself?", keys: []string{"Escape"}},
	})
	screen := tm.waitFor("What is refused?", 2)
	if !strings.Contains(screen, "> I lost the phone") {
		t.Errorf("back at the question, the cursor is not on the answer given:\n%s", screen)
	}
	tm.send("", "C-c")
	assertRestored(t, tm.finished(), exitInterrupted)
}

// lockedBuffer is output written by one goroutine and read by another; each write
// wakes whoever waits for text in it.
type lockedBuffer struct {
	mu      sync.Mutex
	buf     strings.Builder
	written chan struct{} // closed and replaced at each write
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written != nil {
		close(b.written)
		b.written = nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	s, _ := b.next()
	return s
}

// next is the output so far and a channel closed at the next write.
func (b *lockedBuffer) next() (string, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written == nil {
		b.written = make(chan struct{})
	}
	return b.buf.String(), b.written
}

// The accessible mode, driven by plain lines on standard input (not a terminal), asks
// the same questions and reaches the same diagnosis as the terminal run.
func TestGuideAccessibleGivesTheSameDiagnosis(t *testing.T) {
	w := newGuideWorld(t, "github", "none", "operational")
	_, terminalReport, _ := guideReport(t, w, "", phoneBehind(), false)

	w.clock.set(t, guideStart)
	saved := wallClock
	defer func() { wallClock = saved }()
	wallClock = w.clock.Now
	in, typed := io.Pipe()
	out := &lockedBuffer{}
	s := &streams{In: in, Out: out, Err: out, Getenv: func(k string) string { return map[string]string{"TZ": "UTC"}[k] }}
	reportPath := filepath.Join(t.TempDir(), "report.json")
	exit := make(chan int, 1)
	go func() {
		exit <- run(context.Background(), append([]string{"guide", "--accessible", "--format", "json", "--output", reportPath}, w.args...), s)
	}()
	// phoneBehind's answers, as lines: choices by number, presses as empty lines.
	choices := map[string]string{
		"Which service are you locked out of?": fmt.Sprint(slices.Index(serviceChoices(), "GitHub") + 1),
		"What is refused?":                     "1", "What holds your authenticator app?": "1", "Which authenticator app?": "1",
		"did your phone show 09:32?": "2", "Do you have the 2FA key itself?": "1",
	}
	for _, e := range phoneBehind() {
		if e.terminalOnly {
			continue
		}
		prompt, n, line := e.prompt, 1, e.text
		switch e.prompt {
		case "Presses: 0 of 2":
			prompt = "True time now"
		case "Presses: 1 of 2":
			prompt, n = "True time now", 2
		}
		if choice, ok := choices[e.prompt]; ok {
			line = choice
		}
		waitOutput(t, out, prompt, n)
		if !e.at.IsZero() {
			w.clock.set(t, e.at)
		}
		fmt.Fprintln(typed, line)
	}
	waitOutput(t, out, "Save a support ticket", 1)
	fmt.Fprintln(typed, "n")
	select {
	case code := <-exit:
		if code != exitFailed {
			t.Errorf("exit %d, want %d\n%s", code, exitFailed, out.String())
		}
	case <-time.After(screenWait):
		t.Fatalf("the accessible guide did not end:\n%s", out.String())
	}
	report, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := topCauses(t, terminalReport), topCauses(t, report); a != b {
		t.Errorf("accessible diagnosis %s, terminal's %s\n%s", b, a, out.String())
	}
}

// waitOutput waits until out shows text n times.
func waitOutput(t *testing.T, out *lockedBuffer, text string, n int) {
	t.Helper()
	hang := time.After(screenWait)
	for {
		s, written := out.next()
		if strings.Count(s, text) >= n {
			return
		}
		select {
		case <-written:
		case <-hang:
			t.Fatalf("the output did not show %q (×%d) within %s:\n%s", text, n, screenWait, out.String())
		}
	}
}

// topCauses is a report's diagnosis in short: each cause with its confidence.
func topCauses(t *testing.T, data []byte) string {
	t.Helper()
	var report diag.Report
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	return rankingOf(report.Diagnosis)
}

// Not on a terminal (piped, CI), `otpdoctor` alone prints the help as it always did;
// the guide starts only when both standard input and output are terminals.
func TestNoGuideWithoutATerminal(t *testing.T) {
	help := execCLI(t, nil, "", "--help")
	for _, tty := range []struct{ in, out bool }{{false, false}, {true, false}, {false, true}} {
		var out, errOut strings.Builder
		s := &streams{In: strings.NewReader(""), Out: &out, Err: &errOut, InTTY: tty.in, OutTTY: tty.out, Getenv: func(string) string { return "" }}
		if code := run(context.Background(), nil, s); code != exitOK || out.String() != help.stdout || errOut.String() != "" {
			t.Errorf("stdin a terminal %v, stdout %v: exit %d, stdout %q, stderr %q; want the help", tty.in, tty.out, code, out.String(), errOut.String())
		}
	}
	if got := guideArgs(nil, &streams{InTTY: true, OutTTY: true}); !slices.Equal(got, []string{"guide"}) {
		t.Errorf("on a terminal, otpdoctor runs %v", got)
	}
	r := execCLI(t, nil, "", "guide")
	if r.code != exitUsage || !strings.Contains(r.stderr, "the guide needs a terminal") {
		t.Errorf("guide piped: exit %d, %s", r.code, r.stderr)
	}
}
