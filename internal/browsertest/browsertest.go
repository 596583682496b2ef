// Package browsertest drives a real headless Chromium for tests of otpdoctor's phone
// page: it starts the browser, and opens a page in it dressed as a phone whose clock
// is off by a set amount, in a set time zone, with a set User-Agent.
//
// Only tests import it. Pages must be on 127.0.0.1: the browser resolves no name.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// User-Agents of the phones tests play.
const (
	// AndroidChrome is Chrome 110+ on Android: its User-Agent says "Android 10; K"
	// whatever the version (User-Agent reduction).
	AndroidChrome = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
	IPhoneSafari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	OldAndroidFox = "Mozilla/5.0 (Android 7.0; Mobile; rv:68.0) Gecko/68.0 Firefox/68.0"
	DesktopChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)

// Path finds the browser, or skips the test where it is not installed, but never in
// CI (CI=true), where a missing install must fail rather than hide the tests.
func Path(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed, and CI=true: .ci/run must install it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (Debian: apt-get install chromium); skipping the browser tests")
	return ""
}

// New starts headless Chromium for the test, stopped when it ends. Its resolver
// answers no name, so that nothing but 127.0.0.1 can be reached.
func New(t testing.TB) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path(t)),
		chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start it now, not in the first test
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// Phone is a phone as the browser plays it.
type Phone struct {
	Offset    time.Duration // its clock minus the real one
	Zone      string        // IANA zone, for Emulation.setTimezoneOverride
	UserAgent string
	Hints     *emulation.UserAgentMetadata // client hints, or none
}

// dateOverride replaces Date so that Date.now() and new Date() run offset off, as a
// phone's clock would.
func dateOverride(offset time.Duration) string {
	return fmt.Sprintf(`(() => {
  const off = %d, RealDate = Date;
  class PhoneDate extends RealDate {
    constructor(...args) { if (args.length === 0) { super(RealDate.now() + off); } else { super(...args); } }
    static now() { return RealDate.now() + off; }
  }
  window.Date = PhoneDate;
})();`, offset.Milliseconds())
}

// Open opens url in a new tab of browser dressed as p. The tab lives until the test
// ends, or a minute (that bounds a hang only).
func Open(t testing.TB, browser context.Context, p Phone, url string) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, time.Minute)
	t.Cleanup(cancelTimeout)
	if _, err := chromedp.Call(tab, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: p.UserAgent, UserAgentMetadata: p.Hints}); err != nil {
		t.Fatal(err)
	}
	if p.Zone != "" {
		if _, err := chromedp.Call(tab, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: p.Zone}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: dateOverride(p.Offset)}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	return tab
}

// Verdict waits until the page shows its verdict and returns its headline and steps.
func Verdict(t testing.TB, tab context.Context) (headline, steps string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.ID("result"))); err != nil {
		t.Fatalf("the page never showed its verdict: %v", err)
	}
	headline, err := chromedp.Run(tab, chromedp.Text(chromedp.ID("headline")))
	if err != nil {
		t.Fatal(err)
	}
	steps, err = chromedp.Run(tab, chromedp.Text(chromedp.ID("steps")))
	if err != nil {
		t.Fatal(err)
	}
	return headline, steps
}
