package phone

import (
	"strconv"
	"strings"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/lazyre"
)

// Device is what the phone's browser says of itself.
type Device struct {
	Platform       string // diag.PlatformAndroid, diag.PlatformIOS, ... or ""
	OSVersion      string // "14", "17.4"; "" when the browser does not say
	Browser        string // "Chrome", "Safari", "Firefox", ...; "" when unknown
	BrowserVersion string
}

// Hints are the User-Agent client hints a Chromium browser gives
// (navigator.userAgentData); browsers give them only to secure pages, so a page
// served over plain HTTP on the LAN mostly goes without.
type Hints struct {
	Platform        string  `json:"platform"`
	PlatformVersion string  `json:"platformVersion"`
	Mobile          bool    `json:"mobile"`
	Brands          []Brand `json:"fullVersionList"`
}

// Brand is one entry of the client hints' brand list.
type Brand struct {
	Brand   string `json:"brand"`
	Version string `json:"version"`
}

// reducedAndroid is the fixed "Android 10; K" that Chrome 110 and later writes into
// its User-Agent whatever the real version (Chromium's User-Agent reduction, see
// docs/phone.md): the version in it says nothing.
var reducedAndroid = lazyre.New(`Android 10; K\)`)

var (
	androidVersion = lazyre.New(`Android ([0-9]+(?:\.[0-9]+)*)`)
	iosVersion     = lazyre.New(`(?:iPhone OS|CPU OS) ([0-9]+(?:_[0-9]+)*)`)
	windowsVersion = lazyre.New(`Windows NT ([0-9]+\.[0-9]+)`)
	macVersion     = lazyre.New(`Mac OS X ([0-9]+(?:[_.][0-9]+)*)`)
)

// browserTokens name browsers by the User-Agent token that carries their version,
// most specific first: every Chromium browser also says "Chrome/", every iOS browser
// "Safari/", Chrome on iOS "CriOS/".
var browserTokens = []struct{ token, name string }{
	{"SamsungBrowser/", "Samsung Internet"},
	{"EdgA/", "Edge"},
	{"EdgiOS/", "Edge"},
	{"Edg/", "Edge"},
	{"OPR/", "Opera"},
	{"OPT/", "Opera"},
	{"CriOS/", "Chrome"},
	{"FxiOS/", "Firefox"},
	{"Firefox/", "Firefox"},
	{"Chrome/", "Chrome"},
	{"Version/", "Safari"}, // Safari gives its version as Version/17.4 ... Safari/605.1.15
}

// ParseDevice reads a device from a User-Agent, the client hints when the browser
// gave them, and the number of touch points (iPads ask for desktop pages with a Mac's
// User-Agent; only their touch screen tells them apart).
func ParseDevice(ua string, hints *Hints, touchPoints int) Device {
	var d Device
	switch {
	case strings.Contains(ua, "Android"):
		d.Platform = diag.PlatformAndroid
		if m := androidVersion.Get().FindStringSubmatch(ua); m != nil && !reducedAndroid.Get().MatchString(ua) {
			d.OSVersion = m[1]
		}
	case strings.Contains(ua, "iPhone") || strings.Contains(ua, "iPad") || strings.Contains(ua, "iPod"):
		d.Platform = diag.PlatformIOS
		if m := iosVersion.Get().FindStringSubmatch(ua); m != nil {
			d.OSVersion = strings.ReplaceAll(m[1], "_", ".")
		}
	case strings.Contains(ua, "Macintosh") && touchPoints > 1:
		// An iPad asking for the desktop site: its User-Agent's version is the Mac's.
		d.Platform = diag.PlatformIOS
	case strings.Contains(ua, "Windows"):
		d.Platform = diag.PlatformWindows
		if m := windowsVersion.Get().FindStringSubmatch(ua); m != nil {
			d.OSVersion = m[1]
		}
	case strings.Contains(ua, "Macintosh"):
		d.Platform = diag.PlatformMacOS
		if m := macVersion.Get().FindStringSubmatch(ua); m != nil {
			d.OSVersion = strings.ReplaceAll(m[1], "_", ".")
		}
	case strings.Contains(ua, "Linux") && !strings.Contains(ua, "CrOS"):
		d.Platform = diag.PlatformLinux
	}
	for _, b := range browserTokens {
		if v, ok := versionAfter(ua, b.token); ok {
			d.Browser, d.BrowserVersion = b.name, v
			break
		}
	}
	if hints != nil {
		d = d.withHints(*hints)
	}
	return d
}

// withHints overrides what the User-Agent said with what the client hints say, which
// is exact where the User-Agent is reduced.
func (d Device) withHints(h Hints) Device {
	if p := hintPlatform(h.Platform); p != "" {
		d.Platform = p
		if v := trimZeros(h.PlatformVersion); isVersion(v) && p == diag.PlatformAndroid {
			// Windows and macOS report their own version schemes here; only Android's
			// is the version people know.
			d.OSVersion = v
		}
	}
	for _, b := range h.Brands {
		// The name is checked as it will be shown: "Google 4" would show as "4".
		name := strings.TrimPrefix(strings.TrimPrefix(b.Brand, "Google "), "Microsoft ")
		if strings.EqualFold(b.Brand, "Chromium") || strings.Contains(b.Brand, "Brand") || !isVersion(b.Version) || !brandName.Get().MatchString(name) {
			continue // Chromium is the engine every such browser shares; "Not A Brand" is grease
		}
		d.Browser, d.BrowserVersion = name, b.Version
	}
	return d
}

// brandName is a browser's name as the client hints may give it; anything else came
// from the network and is not shown.
var brandName = lazyre.New(`^[A-Za-z][A-Za-z0-9 ._-]{0,39}$`)

// hintPlatform maps the client hints' platform to fix steps' platform names.
func hintPlatform(p string) string {
	switch p {
	case "Android":
		return diag.PlatformAndroid
	case "iOS":
		return diag.PlatformIOS
	case "Windows":
		return diag.PlatformWindows
	case "macOS":
		return diag.PlatformMacOS
	case "Linux":
		return diag.PlatformLinux
	}
	return ""
}

// versionAfter is the dotted version that follows token in ua; a reduced Chrome's
// "120.0.0.0" reads "120", the only part it tells.
func versionAfter(ua, token string) (string, bool) {
	i := strings.Index(ua, token)
	if i < 0 {
		return "", false
	}
	rest := ua[i+len(token):]
	end := strings.IndexFunc(rest, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if end >= 0 {
		rest = rest[:end]
	}
	if !isVersion(rest) {
		return "", false
	}
	return trimZeros(rest), true
}

// dotted is a version as browsers write it: digits, dots between, no part longer than
// a number can be.
var dotted = lazyre.New(`^[0-9]{1,9}(\.[0-9]{1,9})*$`)

// isVersion reports whether v is a dotted version.
func isVersion(v string) bool { return dotted.Get().MatchString(v) }

// trimZeros drops trailing ".0" parts: "14.0.0" is "14", "7.1.1" stays.
func trimZeros(v string) string {
	for strings.HasSuffix(v, ".0") {
		v = strings.TrimSuffix(v, ".0")
	}
	return v
}

// versionBelow reports whether the dotted version v is below limit; ok is false when
// v is not a version.
func versionBelow(v string, limit []int) (below, ok bool) {
	if !isVersion(v) {
		return false, false
	}
	parts := strings.Split(v, ".")
	for i, l := range limit {
		n := 0
		if i < len(parts) {
			n, _ = strconv.Atoi(parts[i])
		}
		if n != l {
			return n < l, true
		}
	}
	return false, true
}
