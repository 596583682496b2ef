package status

import (
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
