package status

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/internal/jsonloc"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// Indicators, as the fact "indicator" names them (Statuspage's, plus maintenance and
// unknown for what no status page said).
const (
	IndicatorNone        = "none"
	IndicatorMinor       = "minor"
	IndicatorMajor       = "major"
	IndicatorCritical    = "critical"
	IndicatorMaintenance = "maintenance"
	IndicatorUnknown     = "unknown"
)

var statuspageIndicators = []string{IndicatorNone, IndicatorMinor, IndicatorMajor, IndicatorCritical, IndicatorMaintenance}

// Summary is an Atlassian Statuspage v2 summary (/api/v2/summary.json; status.json is
// the same without the lists).
type Summary struct {
	Page struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"page"`
	Status struct {
		Indicator   string `json:"indicator"`
		Description string `json:"description"`
	} `json:"status"`
	Components            []Component `json:"components"`
	Incidents             []Incident  `json:"incidents"`
	ScheduledMaintenances []Incident  `json:"scheduled_maintenances"`
}

// Component is one part of a service on its status page.
type Component struct {
	Name string `json:"name"`
	// Status: operational, degraded_performance, partial_outage, major_outage or
	// under_maintenance.
	Status string `json:"status"`
	Group  bool   `json:"group,omitempty"`
}

// Incident is an incident or a scheduled maintenance on a status page.
type Incident struct {
	Name string `json:"name"`
	// Status of an incident: investigating, identified, monitoring, resolved, postmortem;
	// of a maintenance: scheduled, in_progress, verifying, completed.
	Status     string      `json:"status"`
	Impact     string      `json:"impact"`
	Shortlink  string      `json:"shortlink,omitempty"`
	Components []Component `json:"components,omitempty"`
}

// ParseStatuspage reads a Statuspage summary or status body.
func ParseStatuspage(body []byte) (Summary, error) {
	var s Summary
	if err := decodeJSON(body, &s); err != nil {
		return Summary{}, err
	}
	if s.Status.Indicator == "" {
		return Summary{}, errors.New(`no status.indicator: not a Statuspage status or summary`)
	}
	if !slices.Contains(statuspageIndicators, s.Status.Indicator) {
		return Summary{}, fmt.Errorf("status.indicator is %q, not one of %s", web.Clip(s.Status.Indicator), strings.Join(statuspageIndicators, ", "))
	}
	return s, nil
}

// BinanceStatus is Binance's /sapi/v1/system/status answer.
type BinanceStatus struct {
	Status int    // 0 normal, 1 system maintenance
	Msg    string // "normal", "system_maintenance"
}

// ParseBinanceStatus reads a Binance system status body.
func ParseBinanceStatus(body []byte) (BinanceStatus, error) {
	var raw struct {
		Status *int   `json:"status"`
		Msg    string `json:"msg"`
	}
	if err := decodeJSON(body, &raw); err != nil {
		return BinanceStatus{}, err
	}
	if raw.Status == nil {
		return BinanceStatus{}, errors.New("no status field: not a Binance system status")
	}
	if *raw.Status != 0 && *raw.Status != 1 {
		return BinanceStatus{}, fmt.Errorf("status is %d, not 0 (normal) or 1 (maintenance)", *raw.Status)
	}
	return BinanceStatus{Status: *raw.Status, Msg: raw.Msg}, nil
}

// Kraken system statuses.
const (
	KrakenOnline      = "online"
	KrakenMaintenance = "maintenance"
	KrakenCancelOnly  = "cancel_only"
	KrakenPostOnly    = "post_only"
	KrakenLimitOnly   = "limit_only"
)

var krakenStatuses = []string{KrakenOnline, KrakenMaintenance, KrakenCancelOnly, KrakenPostOnly, KrakenLimitOnly}

// KrakenStatus is Kraken's /0/public/SystemStatus answer.
type KrakenStatus struct {
	Status    string
	Timestamp string
}

// krakenEnvelope is how every Kraken public API answer is wrapped.
type krakenEnvelope[T any] struct {
	Error  []string `json:"error"`
	Result *T       `json:"result"`
}

// ParseKrakenStatus reads a Kraken system status body.
func ParseKrakenStatus(body []byte) (KrakenStatus, error) {
	r, err := parseKraken[struct {
		Status    string `json:"status"`
		Timestamp string `json:"timestamp"`
	}](body)
	if err != nil {
		return KrakenStatus{}, err
	}
	if !slices.Contains(krakenStatuses, r.Status) {
		return KrakenStatus{}, fmt.Errorf("result.status is %q, not one of %s", web.Clip(r.Status), strings.Join(krakenStatuses, ", "))
	}
	return KrakenStatus{Status: r.Status, Timestamp: r.Timestamp}, nil
}

func parseKraken[T any](body []byte) (T, error) {
	var env krakenEnvelope[T]
	var zero T
	if err := decodeJSON(body, &env); err != nil {
		return zero, err
	}
	if len(env.Error) > 0 {
		return zero, fmt.Errorf("the Kraken API answered with an error: %s", web.Clip(strings.Join(env.Error, "; ")))
	}
	if env.Result == nil {
		return zero, errors.New("no result: not a Kraken answer")
	}
	return *env.Result, nil
}

// Time API kinds (profile.Endpoint.Kind of a service's TimeAPI).
const (
	TimeBinance  = "binance"
	TimeKraken   = "kraken"
	TimeCoinbase = "coinbase"
)

// TimeKinds lists the time APIs otpdoctor reads.
var TimeKinds = []string{TimeBinance, TimeKraken, TimeCoinbase}

// ServerTime is a service's reading of its clock, truncated to Resolution.
type ServerTime struct {
	At         time.Time
	Resolution time.Duration
	Source     string // a time API kind, or "date-header"
}

// SourceDateHeader is a ServerTime read from an HTTP Date header.
const SourceDateHeader = "date-header"

// ParseServerTime reads the answer of a time API of the given kind.
func ParseServerTime(kind string, body []byte) (ServerTime, error) {
	switch kind {
	case TimeBinance:
		var raw struct {
			ServerTime *int64 `json:"serverTime"`
		}
		if err := decodeJSON(body, &raw); err != nil {
			return ServerTime{}, err
		}
		if raw.ServerTime == nil {
			return ServerTime{}, errors.New("no serverTime: not a Binance time answer")
		}
		return plausible(ServerTime{At: time.UnixMilli(*raw.ServerTime), Resolution: time.Millisecond, Source: kind})
	case TimeKraken:
		r, err := parseKraken[struct {
			Unixtime *int64 `json:"unixtime"`
		}](body)
		if err != nil {
			return ServerTime{}, err
		}
		if r.Unixtime == nil {
			return ServerTime{}, errors.New("no result.unixtime: not a Kraken time answer")
		}
		return plausible(ServerTime{At: time.Unix(*r.Unixtime, 0), Resolution: time.Second, Source: kind})
	case TimeCoinbase:
		var raw struct {
			Data *struct {
				Epoch *float64 `json:"epoch"`
			} `json:"data"`
		}
		if err := decodeJSON(body, &raw); err != nil {
			return ServerTime{}, err
		}
		if raw.Data == nil || raw.Data.Epoch == nil {
			return ServerTime{}, errors.New("no data.epoch: not a Coinbase time answer")
		}
		epoch := *raw.Data.Epoch
		if epoch < 0 || epoch > maxPlausibleUnix {
			return ServerTime{}, fmt.Errorf("data.epoch %g is not a plausible time", epoch)
		}
		ms := int64(epoch * 1000)
		return plausible(ServerTime{At: time.UnixMilli(ms), Resolution: time.Second, Source: kind})
	}
	return ServerTime{}, fmt.Errorf("unknown time API kind %q (known: %s)", kind, strings.Join(TimeKinds, ", "))
}

// maxPlausibleUnix is the year 2200: a service clock beyond it is garbage, not evidence.
const maxPlausibleUnix = 7258118400

func plausible(t ServerTime) (ServerTime, error) {
	if t.At.Unix() <= 0 || t.At.Unix() > maxPlausibleUnix {
		return ServerTime{}, fmt.Errorf("the time given (%d seconds since 1970) is not plausible", t.At.Unix())
	}
	t.At = t.At.UTC()
	return t, nil
}

// Recognise says which status API a body comes from: KindStatuspage, KindBinance,
// KindKraken, or "" for anything else.
func Recognise(body []byte) string {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return ""
	}
	switch {
	case isObjectWith(top["status"], "indicator"):
		return KindStatuspage
	case isNumber(top["status"]):
		return KindBinance
	case top["error"] != nil && isObjectWith(top["result"], "status"):
		return KindKraken
	}
	return ""
}

func isObjectWith(raw json.RawMessage, key string) bool {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return false
	}
	_, ok := obj[key]
	return ok
}

func isNumber(raw json.RawMessage) bool {
	var n json.Number
	return json.Unmarshal(raw, &n) == nil
}

// decodeJSON decodes body into v; errors say where (line and column) and what.
func decodeJSON(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errors.New("the body is empty")
	}
	if trimmed[0] == '<' {
		return errHTML
	}
	if err := json.Unmarshal(body, v); err != nil {
		return jsonloc.Locate(body, 0, err)
	}
	return nil
}

// errHTML is a web page where JSON was expected: often a captive portal, a filter's
// block page or a proxy's error page in place of the service's answer.
var errHTML = errors.New("the answer is a web page (HTML), not JSON")
