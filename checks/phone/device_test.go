package phone

import (
	"testing"

	"github.com/otpdoctor/otpdoctor/diag"
)

func TestParseDevice(t *testing.T) {
	for _, c := range []struct {
		ua    string
		hints *Hints
		touch int
		want  Device
	}{
		{androidChrome, nil, 5, Device{diag.PlatformAndroid, "", "Chrome", "124"}}, // reduced: "Android 10; K" says nothing
		{androidChrome, &Hints{Platform: "Android", PlatformVersion: "14.0.0", Brands: []Brand{{"Not-A.Brand", "99.0.0.0"}, {"Chromium", "124.0.6367.82"}, {"Google Chrome", "124.0.6367.82"}}}, 5,
			Device{diag.PlatformAndroid, "14", "Chrome", "124.0.6367.82"}},
		{"Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36", nil, 5,
			Device{diag.PlatformAndroid, "13", "Samsung Internet", "23"}},
		{oldAndroidFox, nil, 5, Device{diag.PlatformAndroid, "7.0", "Firefox", "68"}},
		{iPhoneSafari, nil, 5, Device{diag.PlatformIOS, "17.4", "Safari", "17.4"}},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1", nil, 5,
			Device{diag.PlatformIOS, "16.6", "Chrome", "120.0.6099.119"}},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", nil, 5,
			Device{diag.PlatformIOS, "", "Safari", "17.4"}}, // an iPad asking for the desktop page
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", nil, 0,
			Device{diag.PlatformMacOS, "10.15.7", "Safari", "17.4"}},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67", nil, 0,
			Device{diag.PlatformWindows, "10.0", "Edge", "124.0.2478.67"}},
		{"", nil, 0, Device{}},
		{"Chrome/+1 Android", nil, 0, Device{Platform: diag.PlatformAndroid}},
	} {
		if got := ParseDevice(c.ua, c.hints, c.touch); got != c.want {
			t.Errorf("ParseDevice(%q, %+v) = %+v, want %+v", c.ua, c.hints, got, c.want)
		}
	}
}

func TestOutdatedSystem(t *testing.T) {
	for _, c := range []struct {
		d   Device
		old bool
	}{
		{Device{Platform: diag.PlatformAndroid, OSVersion: "7.0"}, true},
		{Device{Platform: diag.PlatformAndroid, OSVersion: "7.1"}, true},
		{Device{Platform: diag.PlatformAndroid, OSVersion: "7.1.1"}, false},
		{Device{Platform: diag.PlatformAndroid, OSVersion: "14"}, false},
		{Device{Platform: diag.PlatformAndroid, OSVersion: ""}, false}, // unknown is not old
		{Device{Platform: diag.PlatformIOS, OSVersion: "9.0"}, false},  // no sourced threshold
	} {
		f, old := outdatedSystem(c.d)
		if old != c.old {
			t.Errorf("outdatedSystem(%+v) = %v, want %v", c.d, old, c.old)
		}
		if old && (f.Cause != diag.CauseTLSUntrusted || f.Severity != diag.SeverityInfo) {
			t.Errorf("finding %+v", f)
		}
	}
}

func FuzzParseDevice(f *testing.F) {
	for _, ua := range []string{androidChrome, iPhoneSafari, oldAndroidFox, desktopChrome, "Android 1.2.3.4.5"} {
		f.Add(ua, "Android", "14.0.0", "Google Chrome", "124.0.1", 5)
	}
	f.Fuzz(func(t *testing.T, ua, platform, version, brand, brandVersion string, touch int) {
		d := ParseDevice(ua, &Hints{Platform: platform, PlatformVersion: version, Brands: []Brand{{brand, brandVersion}}}, touch)
		if d.OSVersion != "" && !isVersion(d.OSVersion) {
			t.Errorf("os version %q is not a version", d.OSVersion)
		}
		if d.Browser != "" && !brandName.Get().MatchString(d.Browser) {
			t.Errorf("browser %q is not a browser's name", d.Browser)
		}
		if d.BrowserVersion != "" && !isVersion(d.BrowserVersion) {
			t.Errorf("browser version %q is not a version", d.BrowserVersion)
		}
	})
}
