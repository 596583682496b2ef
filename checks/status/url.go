package status

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Status kinds: what a status endpoint speaks (profile.Endpoint.Kind, --status-kind).
const (
	KindAuto       = "auto" // recognised from the answer's shape
	KindStatuspage = "statuspage"
	KindBinance    = "binance"
	KindKraken     = "kraken"
	KindHTTP       = "http" // plain reachability
)

// Kinds lists what --status-kind accepts.
var Kinds = []string{KindAuto, KindStatuspage, KindBinance, KindKraken, KindHTTP}

// ErrInsecureURL is an http:// URL for a host other than this machine.
var ErrInsecureURL = errors.New("plain http:// is accepted only for this machine (localhost, 127.0.0.1, ::1)")

// ParseURL checks a status URL: absolute, https (http only for a loopback host, such as
// a local test server), with no user name or password (which would end up in reports).
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", clip(raw), errors.Unwrap(err))
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not an https:// URL", clip(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%q holds a user name or password; otpdoctor would copy it into reports", u.Redacted())
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%q: %w", clip(raw), ErrInsecureURL)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// statuspageSummaryPath is where a Statuspage serves its summary.
const statuspageSummaryPath = "/api/v2/summary.json"

// statuspageStatusPath is a Statuspage's overall status alone; its summary says more.
const statuspageStatusPath = "/api/v2/status.json"

// endpointURL is where to ask a status API of kind for its status, given the URL a
// profile or --status-url names: a Statuspage's home page or status.json becomes its
// summary.json, which adds components, incidents and maintenances.
func endpointURL(u *url.URL, kind string) *url.URL {
	switch {
	case kind != KindStatuspage:
		return u
	case strings.HasSuffix(u.Path, statuspageStatusPath):
		summary := *u
		summary.Path = strings.TrimSuffix(u.Path, statuspageStatusPath) + statuspageSummaryPath
		summary.RawPath = ""
		return &summary
	case strings.HasSuffix(u.Path, ".json"):
		return u
	}
	return u.JoinPath(statuspageSummaryPath)
}

// binancePingURL is Binance's /api/v3/ping on the host of its status URL.
func binancePingURL(status *url.URL) *url.URL {
	return &url.URL{Scheme: status.Scheme, Host: status.Host, Path: "/api/v3/ping"}
}
