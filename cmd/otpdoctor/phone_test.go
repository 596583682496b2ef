package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/emulation"

	"github.com/otpdoctor/otpdoctor/checks/phone"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/docs"
	"github.com/otpdoctor/otpdoctor/internal/browsertest"
	"github.com/otpdoctor/otpdoctor/internal/ntptest"
	"github.com/otpdoctor/otpdoctor/internal/qrterm"
	"github.com/otpdoctor/otpdoctor/internal/qrterm/qrtermtest"
)

func TestPhoneInviteScansAndFits(t *testing.T) {
	srv, err := phone.Start(phone.Options{Listen: "127.0.0.1:0", Wait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var out bytes.Buffer
	if err := writePhoneInvite(&out, srv, phone.DefaultWait, qrterm.Window{Cols: 80, Rows: 24 - invitationLines}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) > 24 {
		t.Errorf("the invitation takes %d lines, more than a 24-line terminal", len(lines))
	}
	var qr []string
	for _, l := range lines {
		if w := utf8.RuneCountInString(l); w > 80 {
			t.Errorf("line %q is %d columns wide", l, w)
		}
		if strings.ContainsAny(l, "█▀▄") {
			qr = append(qr, l)
		}
	}
	text, err := qrtermtest.Decode(qr, false)
	if err != nil {
		t.Fatalf("the QR code does not scan: %v\n%s", err, out.String())
	}
	if !strings.EqualFold(text, srv.URL()) || !strings.Contains(out.String(), srv.URL()) {
		t.Errorf("the QR code says %q; the address printed is %q", text, srv.URL())
	}
}

// A window too small for the code gets the address to type and how big a window the
// code needs, not a code that scrolls off the top and does not scan.
func TestPhoneInviteTooSmallWindow(t *testing.T) {
	srv, err := phone.Start(phone.Options{Listen: "127.0.0.1:0", Wait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var out bytes.Buffer
	if err := writePhoneInvite(&out, srv, phone.DefaultWait, qrterm.Window{Cols: 30, Rows: 10}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "█▀▄") || !strings.Contains(out.String(), "make the window at least") || !strings.Contains(out.String(), srv.URL()) {
		t.Errorf("invitation in a 30×13 window:\n%s", out.String())
	}
}

// The longest LAN address and port still give a QR code that fits beside the text.
func TestPhoneQRFitsTheLongestAddress(t *testing.T) {
	longest := "HTTP://192.168.100.100:65535/ABCDEFGHIJKLMNOPQRSTUVWXYZ/"
	lines, err := qrterm.Draw(longest, qrterm.Window{Cols: 80, Rows: 24 - invitationLines})
	if err != nil {
		t.Fatalf("the QR code does not fit 80×24 with the invitation's text: %v", err)
	}
	if text, err := qrtermtest.Decode(lines, false); err != nil || text != longest {
		t.Errorf("decoded %q, %v", text, err)
	}
}

// addressWriter passes what is written on, and sends the page's address the first
// time a line holds it.
type addressWriter struct {
	w       io.Writer
	partial []byte
	address chan string
}

func (a *addressWriter) Write(p []byte) (int, error) {
	a.partial = append(a.partial, p...)
	sc := bufio.NewScanner(bytes.NewReader(a.partial))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "http://127.0.0.1:") {
			select {
			case a.address <- line:
			default:
			}
		}
	}
	return a.w.Write(p)
}

// The whole command, as a user runs it, measured by a real browser playing an
// Android phone whose clock is 125 s behind.
func TestPhoneCommandWithABrowser(t *testing.T) {
	browser := browsertest.New(t)
	args := append([]string{"phone", "--listen", "127.0.0.1:0", "--format", "json", "--time-url", "http://127.0.0.1:9/"}, startNTP(t, ntptest.Behavior{}, ntptest.Behavior{})...)
	var out, errOut bytes.Buffer
	addr := &addressWriter{w: &errOut, address: make(chan string, 1)}
	s := &streams{In: strings.NewReader(""), Out: &out, Err: addr, Getenv: func(string) string { return "" }}
	exit := make(chan int, 1)
	go func() { exit <- run(context.Background(), args, s) }()

	var url string
	select {
	case url = <-addr.address:
	case code := <-exit:
		t.Fatalf("exit %d before printing the address:\n%s", code, errOut.String())
	}
	android := browsertest.Phone{Offset: -125 * time.Second, Zone: "Europe/Paris", UserAgent: browsertest.AndroidChrome,
		Hints: &emulation.UserAgentMetadata{Platform: "Android", PlatformVersion: "14.0.0", Mobile: true,
			FullVersionList: []*emulation.UserAgentBrandVersion{{Brand: "Google Chrome", Version: "124.0.6367.82"}}}}
	tab := browsertest.Open(t, browser, android, url)
	headline, steps := browsertest.Verdict(t, tab)
	if code := <-exit; code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	if headline != "Your phone's clock is 2 min 5 s behind" || !strings.Contains(steps, "Settings → System → Date & time") {
		t.Errorf("the phone shows %q with steps %q", headline, steps)
	}
	if !strings.Contains(errOut.String(), "Your phone opened the page") {
		t.Errorf("the terminal did not say the phone connected:\n%s", errOut.String())
	}

	if err := docs.ValidateReport(out.Bytes()); err != nil {
		t.Errorf("the report does not fit the schema: %v", err)
	}
	var report diag.Report
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	if report.Platform != diag.PlatformAndroid {
		t.Errorf("the report's platform is %q: the phone's should fill it", report.Platform)
	}
	if len(report.Diagnosis) == 0 || report.Diagnosis[0].Cause != diag.CauseAuthenticatorClock {
		t.Fatalf("diagnosis %+v", report.Diagnosis)
	}
	for _, step := range report.Diagnosis[0].Fix {
		if strings.Contains(step, "iPhone") {
			t.Errorf("a step for another platform: %q", step)
		}
	}
	ph, ok := report.Checks[len(report.Checks)-1].Facts.(*diag.PhoneFacts)
	if !ok {
		t.Fatalf("the last check is not the phone's: %+v", report.Checks[len(report.Checks)-1])
	}
	if offset := *ph.OffsetSeconds; offset > -124.95 || offset < -125.05 {
		t.Errorf("the phone check measured %v s, want -125 s within 50 ms", offset)
	}
	if ph.Reference != diag.ReferenceNTP || ph.OSVersion != "14" {
		t.Errorf("facts %+v", ph)
	}
}

func TestPhoneUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"phone", "--offline"}, "--offline cannot measure the phone"},
		{[]string{"check", "--phone", "--offline"}, "--offline cannot measure the phone"},
		{[]string{"phone", "--wait", "0s", "--listen", "127.0.0.1:0"}, `--wait "0s" is not a duration from 1ms to 1h`},
		{[]string{"phone", "--listen", "0.0.0.0:0"}, "not 0.0.0.0"},
		{[]string{"phone", "--listen", "localhost"}, "is not IP:PORT"},
	} {
		r := execCLI(t, nil, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "hint: ") {
			t.Errorf("%v: exit %d, stderr %q; want a usage error saying %q", c.args, r.code, r.stderr, c.want)
		}
	}
	r := execCLI(t, nil, "", "check", "--offline", "--format", "json")
	if !strings.Contains(r.stdout, `"give --phone to measure your phone's clock`) {
		t.Errorf("check without --phone does not say how to run the phone check:\n%s", r.stdout)
	}
}

// check --phone invites the phone like the phone command; when none comes, the report
// says why it may be and what to try.
func TestCheckPhoneWithNoPhone(t *testing.T) {
	args := append([]string{"check", "--phone", "--listen", "127.0.0.1:0", "--wait", "1ms", "-v", "--time-url", "http://127.0.0.1:9/"}, startNTP(t, ntptest.Behavior{})...)
	r := execCLI(t, nil, "", args...)
	if r.code != exitOK {
		t.Errorf("exit %d, want %d (the phone check could not measure: an error, not a failure)", r.code, exitOK)
	}
	if !strings.Contains(r.stderr, "Scan this with your phone's camera") || !strings.Contains(r.stderr, "http://127.0.0.1:") {
		t.Errorf("no invitation on stderr:\n%s", r.stderr)
	}
	for _, want := range []string{"no phone opened the page", "mobile data", "client isolation", "firewall", "otpdoctor clock --watch"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the report does not say %q:\n%s", want, r.stdout)
		}
	}
}
