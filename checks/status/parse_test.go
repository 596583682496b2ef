package status

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/internal/web"
)

func TestParseStatuspage(t *testing.T) {
	s, err := ParseStatuspage([]byte(summary(t, "minor", "Minor Service Outage", "degraded_performance", "operational",
		`[{"name": "Slow sign-in", "status": "identified", "impact": "minor", "shortlink": "https://stspg.io/x", "components": [{"name": "Authentication"}]}]`,
		`[{"name": "Database upgrade", "status": "scheduled", "impact": "maintenance"}]`)))
	if err != nil {
		t.Fatal(err)
	}
	if s.Page.Name != "GitHub" || s.Status.Indicator != "minor" || len(s.Components) != 4 || s.Components[2].Status != "degraded_performance" ||
		len(s.Incidents) != 1 || s.Incidents[0].Components[0].Name != "Authentication" || s.ScheduledMaintenances[0].Status != "scheduled" {
		t.Errorf("parsed %+v", s)
	}
	// status.json: the indicator alone.
	if s, err := ParseStatuspage([]byte(`{"page":{"name":"X"},"status":{"indicator":"none","description":"All Systems Operational"}}`)); err != nil || s.Status.Indicator != "none" {
		t.Errorf("status.json: %+v, %v", s, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte) error
		body  string
		want  string
	}{
		// The column is the bad character's own: the '}' after the comma.
		{"statuspage syntax", statuspageErr, "{\n  \"status\": {\"indicator\": \"none\",}\n}", "line 2, column 34: not valid JSON: a punctuation mark or symbol where a quoted key should begin"},
		{"statuspage type", statuspageErr, `{"status": {"indicator": 3}}`, "line 1, column 27: field status.indicator: want a string, got a JSON number"},
		{"statuspage missing", statuspageErr, `{"page": {}}`, "no status.indicator"},
		{"statuspage html", statuspageErr, "  <!DOCTYPE html>", "web page (HTML)"},
		{"statuspage empty", statuspageErr, " \n", "empty"},
		{"statuspage not an object", statuspageErr, `[1, 2]`, "got a JSON array"},
		{"binance missing", binanceErr, `{"msg": "normal"}`, "no status field"},
		{"binance unknown", binanceErr, `{"status": 7}`, "status is 7, not 0 (normal) or 1 (maintenance)"},
		{"kraken error", krakenErr, `{"error": ["EService:Unavailable"]}`, "answered with an error: EService:Unavailable"},
		{"kraken no result", krakenErr, `{"error": []}`, "no result"},
		{"kraken unknown", krakenErr, `{"error": [], "result": {"status": "on fire"}}`, `result.status is "on fire"`},
		{"binance time", timeErr(TimeBinance), `{"serverTime": -5}`, "not plausible"},
		{"binance time missing", timeErr(TimeBinance), `{}`, "no serverTime"},
		{"kraken time", timeErr(TimeKraken), `{"error": [], "result": {}}`, "no result.unixtime"},
		{"coinbase time", timeErr(TimeCoinbase), `{"data": {"epoch": 1e300}}`, "not a plausible time"},
		{"coinbase time missing", timeErr(TimeCoinbase), `{"data": null}`, "no data.epoch"},
		{"unknown time kind", timeErr("sundial"), `{}`, `unknown time API kind "sundial"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse([]byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func statuspageErr(b []byte) error { _, err := ParseStatuspage(b); return err }
func binanceErr(b []byte) error    { _, err := ParseBinanceStatus(b); return err }
func krakenErr(b []byte) error     { _, err := ParseKrakenStatus(b); return err }
func timeErr(kind string) func([]byte) error {
	return func(b []byte) error { _, err := ParseServerTime(kind, b); return err }
}

func TestParseServerTime(t *testing.T) {
	tests := []struct {
		kind, body string
		want       time.Time
		resolution time.Duration
	}{
		{TimeBinance, `{"serverTime": 1499827319559}`, time.UnixMilli(1499827319559), time.Millisecond},
		{TimeKraken, `{"error":[],"result":{"unixtime":1688669448,"rfc1123":"Thu, 06 Jul 23 18:50:48 +0000"}}`, time.Unix(1688669448, 0), time.Second},
		{TimeCoinbase, `{"data":{"iso":"2015-06-23T18:02:51Z","epoch":1435082571}}`, time.Unix(1435082571, 0), time.Second},
	}
	for _, tt := range tests {
		st, err := ParseServerTime(tt.kind, []byte(tt.body))
		if err != nil || !st.At.Equal(tt.want) || st.Resolution != tt.resolution || st.Source != tt.kind {
			t.Errorf("%s: %+v, %v; want %v", tt.kind, st, err, tt.want)
		}
	}
}

func TestRecognise(t *testing.T) {
	tests := map[string]string{
		`{"page":{},"status":{"indicator":"none"}}`:                 KindStatuspage,
		`{"status": 0, "msg": "normal"}`:                            KindBinance,
		`{"error":[],"result":{"status":"online","timestamp":"x"}}`: KindKraken,
		`{"status": "ok"}`:                                          "",
		`{"error":[],"result":{"unixtime":1}}`:                      "",
		`<html></html>`:                                             "",
		`[]`:                                                        "",
		``:                                                          "",
	}
	for body, want := range tests {
		if got := Recognise([]byte(body)); got != want {
			t.Errorf("Recognise(%s) = %q, want %q", body, got, want)
		}
	}
}

func TestEndpointURL(t *testing.T) {
	for _, tt := range []struct{ raw, kind, want string }{
		{"https://www.githubstatus.com", KindStatuspage, "https://www.githubstatus.com/api/v2/summary.json"},
		{"https://www.githubstatus.com/", KindStatuspage, "https://www.githubstatus.com/api/v2/summary.json"},
		{"https://status.kraken.com/api/v2/status.json", KindStatuspage, "https://status.kraken.com/api/v2/summary.json"},
		{"https://status.example.com/custom.json", KindStatuspage, "https://status.example.com/custom.json"},
		{"https://www.githubstatus.com/", KindAuto, "https://www.githubstatus.com/"},
	} {
		u, _ := web.ParseURL(tt.raw)
		if got := endpointURL(u, tt.kind).String(); got != tt.want {
			t.Errorf("endpointURL(%s, %s) = %s, want %s", tt.raw, tt.kind, got, tt.want)
		}
	}
}

// Every parser of a server's answer, fuzzed: no panic, and an error or a value, never both.

func FuzzParseStatuspage(f *testing.F) {
	f.Add([]byte(summary(f, "major", "Partial System Outage", "partial_outage", "operational", "[]", "[]")))
	f.Add([]byte(`{"status":{"indicator":"none"}}`))
	f.Add([]byte("{\n\"status\": {\"indicator\": nul}}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := ParseStatuspage(body)
		if err == nil && s.Status.Indicator == "" {
			t.Error("accepted a summary without an indicator")
		}
		if err != nil && err.Error() == "" {
			t.Error("empty error")
		}
	})
}

func FuzzParseBinanceStatus(f *testing.F) {
	f.Add([]byte(`{"status": 0, "msg": "normal"}`))
	f.Add([]byte(`{"status": 1, "msg": "system_maintenance"}`))
	f.Add([]byte(`{"status": 1e3}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		st, err := ParseBinanceStatus(body)
		if err == nil && st.Status != 0 && st.Status != 1 {
			t.Errorf("accepted status %d", st.Status)
		}
	})
}

func FuzzParseKrakenStatus(f *testing.F) {
	f.Add([]byte(`{"error":[],"result":{"status":"online","timestamp":"2023-07-06T18:52:00Z"}}`))
	f.Add([]byte(`{"error":["EGeneral:Internal error"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		st, err := ParseKrakenStatus(body)
		if err == nil && st.Status == "" {
			t.Error("accepted an empty status")
		}
	})
}

func FuzzParseServerTime(f *testing.F) {
	f.Add(TimeBinance, []byte(`{"serverTime": 1499827319559}`))
	f.Add(TimeKraken, []byte(`{"error":[],"result":{"unixtime":1688669448}}`))
	f.Add(TimeCoinbase, []byte(`{"data":{"epoch":1435082571.5}}`))
	f.Fuzz(func(t *testing.T, kind string, body []byte) {
		st, err := ParseServerTime(kind, body)
		if err == nil && (st.At.Unix() <= 0 || st.At.Unix() > maxPlausibleUnix || st.Resolution <= 0) {
			t.Errorf("accepted %+v", st)
		}
	})
}

func FuzzRecognise(f *testing.F) {
	f.Add([]byte(`{"page":{},"status":{"indicator":"none"}}`))
	f.Add([]byte(`{"status": 0}`))
	f.Add([]byte(`{"error":[],"result":{"status":"online"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		switch Recognise(body) {
		case "", KindStatuspage, KindBinance, KindKraken:
		default:
			t.Error("unknown kind")
		}
	})
}

func FuzzDateHeader(f *testing.F) {
	f.Add("Thu, 26 Nov 2026 09:00:00 GMT")
	f.Add("Thursday, 26-Nov-26 09:00:00 GMT")
	f.Fuzz(func(t *testing.T, raw string) {
		st, err := dateHeader(map[string][]string{"Date": {raw}})
		if err == nil && st.Source != SourceDateHeader {
			t.Errorf("accepted %+v", st)
		}
	})
}

// A large status page (300 components, 50 incidents, 28 KB) is recognised and parsed in
// about a millisecond on a loaded 2-core machine: the network dominates the check's time.
func BenchmarkParseStatuspage(b *testing.B) {
	var components, incidents []string
	for i := range 300 {
		components = append(components, fmt.Sprintf(`{"id": "c%d", "name": "Component %d", "status": "operational", "group": false}`, i, i))
	}
	for i := range 50 {
		incidents = append(incidents, fmt.Sprintf(`{"name": "Incident %d", "status": "monitoring", "impact": "minor", "components": []}`, i))
	}
	body := []byte(fmt.Sprintf(`{"page": {"name": "Big"}, "status": {"indicator": "minor", "description": "Minor Service Outage"}, "components": [%s], "incidents": [%s], "scheduled_maintenances": []}`,
		strings.Join(components, ","), strings.Join(incidents, ",")))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if Recognise(body) != KindStatuspage {
			b.Fatal("not recognised")
		}
		if _, err := ParseStatuspage(body); err != nil {
			b.Fatal(err)
		}
	}
}
