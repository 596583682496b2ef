package phone

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/browsertest"

	_ "time/tzdata" // zoneOffsetAt's zones, wherever the system has no zone files
)

// The page is tested in a real headless Chromium (internal/browsertest): a phone is
// simulated by replacing the page's Date before it loads (its clock off by a set
// amount), overriding the time zone and the User-Agent. The server listens on
// 127.0.0.1 only.

// zoneOffsetAt is zone's UTC offset in seconds at t.
func zoneOffsetAt(t *testing.T, zone string, at time.Time) int {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	_, offset := at.In(loc).Zone()
	return offset
}

// trueTimeNow is a run whose reference says this computer's clock is exact.
func trueTimeNow(platform string) *diag.Env {
	env := &diag.Env{Now: time.Now, Timeout: 3 * time.Second, TrueTime: diag.NewTrueTime(), Platform: platform}
	env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNTP, Uncertainty: time.Millisecond})
	return env
}

const (
	androidChrome  = browsertest.AndroidChrome
	iPhoneSafari   = browsertest.IPhoneSafari
	oldAndroidFox  = browsertest.OldAndroidFox
	desktopChrome  = browsertest.DesktopChrome
	stepsAndroid   = "Settings → System → Date & time"
	stepsIOS       = "Settings → General → Date & Time"
	offsetAccuracy = 50 * time.Millisecond
)

func TestPageMeasuresSimulatedPhones(t *testing.T) {
	browser := browsertest.New(t)
	epoch := time.Date(1970, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		phone browsertest.Phone
		// what the check must find
		status                   diag.Status
		cause                    diag.Cause
		platform, osVersion      string
		browser, browserVersion  string
		headline, step, notInFix string
		firstStep                string // what the phone's first step starts with, when it matters
	}{
		{
			name: "android 125 s behind, exact version from client hints",
			phone: browsertest.Phone{Offset: -125 * time.Second, Zone: "Europe/Berlin", UserAgent: androidChrome,
				Hints: &emulation.UserAgentMetadata{Platform: "Android", PlatformVersion: "14.0.0", Mobile: true, Model: "Pixel 8",
					FullVersionList: []*emulation.UserAgentBrandVersion{{Brand: "Not-A.Brand", Version: "99.0.0.0"}, {Brand: "Chromium", Version: "124.0.6367.82"}, {Brand: "Google Chrome", Version: "124.0.6367.82"}}}},
			status: diag.StatusFail, cause: diag.CauseAuthenticatorClock, platform: diag.PlatformAndroid, osVersion: "14",
			browser: "Chrome", browserVersion: "124.0.6367.82",
			headline: "Your phone's clock is 2 min 5 s behind", step: stepsAndroid, notInFix: stepsIOS,
		},
		{
			name:   "iphone 1 h ahead in India: the zone is wrong",
			phone:  browsertest.Phone{Offset: time.Hour, Zone: "Asia/Kolkata", UserAgent: iPhoneSafari},
			status: diag.StatusFail, cause: diag.CauseTimezone, platform: diag.PlatformIOS, osVersion: "17.4",
			browser: "Safari", browserVersion: "17.4",
			headline: "Your phone's clock is 1 h ahead", step: stepsIOS, notInFix: stepsAndroid,
			firstStep: "Set the correct time zone for where you are", // never the clock by hand
		},
		{
			name:   "old android whose clock says 1970",
			phone:  browsertest.Phone{Offset: time.Until(epoch), Zone: "UTC", UserAgent: oldAndroidFox},
			status: diag.StatusFail, cause: diag.CauseAuthenticatorClock, platform: diag.PlatformAndroid, osVersion: "7.0",
			browser: "Firefox", browserVersion: "68",
			headline: "years behind", step: stepsAndroid, notInFix: stepsIOS,
		},
		{
			name:   "a right clock",
			phone:  browsertest.Phone{Offset: 0, Zone: "America/New_York", UserAgent: desktopChrome},
			status: diag.StatusOK, platform: diag.PlatformLinux, browser: "Chrome", browserVersion: "124",
			headline: "Your phone's clock is right",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, err := Start(Options{Listen: "127.0.0.1:0", Wait: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			env := trueTimeNow("")
			results := make(chan diag.Result, 1)
			go func() { results <- NewCheck(srv).Run(context.Background(), env) }()

			tab := browsertest.Open(t, browser, c.phone, srv.URL())
			var r diag.Result
			select {
			case r = <-results:
			case <-tab.Done():
				t.Fatal("the page never finished measuring")
			}
			if r.Status != c.status {
				t.Fatalf("status %s, want %s: %s", r.Status, c.status, r.Summary)
			}
			f := r.Facts.(*diag.PhoneFacts)
			if got := time.Duration(*f.OffsetSeconds * float64(time.Second)); (got - c.phone.Offset).Abs() > offsetAccuracy {
				t.Errorf("measured offset %v, injected %v: off by more than %v", got, c.phone.Offset, offsetAccuracy)
			}
			if *f.UTCOffsetSeconds != zoneOffsetAt(t, c.phone.Zone, time.Now().Add(c.phone.Offset)) {
				t.Errorf("utc_offset_seconds %v, want %s's", *f.UTCOffsetSeconds, c.phone.Zone)
			}
			if f.Timezone == "" {
				t.Error("no timezone fact")
			}
			got := diag.PhoneFacts{Platform: f.Platform, OSVersion: f.OSVersion, Browser: f.Browser, BrowserVersion: f.BrowserVersion, Method: f.Method}
			want := diag.PhoneFacts{Platform: c.platform, OSVersion: c.osVersion, Browser: c.browser, BrowserVersion: c.browserVersion, Method: diag.PhoneMethodBrowser}
			if got != want {
				t.Errorf("facts %+v, want %+v", got, want)
			}
			if c.cause != "" {
				if len(r.Findings) == 0 || r.Findings[0].Cause != c.cause {
					t.Fatalf("findings %+v, want %s first", r.Findings, c.cause)
				}
				diagnosis := diag.Diagnose([]diag.Result{r}, env)
				if len(diagnosis) == 0 || diagnosis[0].Cause != c.cause {
					t.Errorf("diagnosis %+v, want %s first", diagnosis, c.cause)
				}
			}

			// The phone's screen shows the verdict and the steps for its own platform.
			headline, steps := browsertest.Verdict(t, tab)
			if !strings.Contains(headline, c.headline) {
				t.Errorf("the phone shows %q, want %q in it", headline, c.headline)
			}
			if c.step != "" && !strings.Contains(steps, c.step) {
				t.Errorf("the phone's steps lack %q:\n%s", c.step, steps)
			}
			if !strings.HasPrefix(steps, c.firstStep) {
				t.Errorf("the phone's first step is not %q:\n%s", c.firstStep, steps)
			}
			if c.notInFix != "" && strings.Contains(steps, c.notInFix) {
				t.Errorf("the phone's steps hold another platform's %q:\n%s", c.notInFix, steps)
			}
		})
	}
}

// BenchmarkPageExchange opens the page in a real browser on loopback and waits for
// the check's result. ns/op is the whole of it (a new tab, overrides, navigation);
// ms/exchange is from the page's first request to the result: the exchange must
// complete well within 2 s of the page opening.
func BenchmarkPageExchange(b *testing.B) {
	browser := browsertest.New(b)
	phone := browsertest.Phone{Offset: -125 * time.Second, Zone: "Europe/Berlin", UserAgent: androidChrome}
	var exchanges time.Duration
	for b.Loop() {
		srv, err := Start(Options{Listen: "127.0.0.1:0", Wait: time.Minute})
		if err != nil {
			b.Fatal(err)
		}
		results := make(chan diag.Result, 1)
		opened := make(chan time.Time, 1)
		go func() {
			<-srv.Opened()
			opened <- time.Now()
			results <- NewCheck(srv).Run(context.Background(), trueTimeNow(""))
		}()
		browsertest.Open(b, browser, phone, srv.URL())
		start := <-opened
		if r := <-results; r.Status != diag.StatusFail {
			b.Fatalf("status %s: %s", r.Status, r.Summary)
		}
		exchanges += time.Since(start)
		srv.Close()
	}
	b.ReportMetric(float64(exchanges.Milliseconds())/float64(b.N), "ms/exchange")
}
