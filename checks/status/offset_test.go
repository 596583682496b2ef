package status

import (
	"cmp"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// shiftedService is a service whose clock is skew ahead of this machine's: its Date
// headers and its time APIs all read time.Now()+skew.
func shiftedService(t *testing.T, skew time.Duration) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("/status", reply(200, `{"status": 0, "msg": "normal"}`))
	mux.Handle("/api/v3/ping", reply(200, `{}`))
	mux.HandleFunc("/api/v3/time", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"serverTime": %d}`, time.Now().Add(skew).UnixMilli())
	})
	mux.HandleFunc("/0/public/Time", func(w http.ResponseWriter, _ *http.Request) {
		at := time.Now().Add(skew)
		fmt.Fprintf(w, `{"error":[],"result":{"unixtime":%d,"rfc1123":%q}}`, at.Unix(), at.Format(time.RFC1123))
	})
	mux.HandleFunc("/v2/time", func(w http.ResponseWriter, _ *http.Request) {
		at := time.Now().Add(skew)
		fmt.Fprintf(w, `{"data":{"iso":%q,"epoch":%d}}`, at.UTC().Format(time.RFC3339), at.Unix())
	})
	return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(skew).UTC().Format(http.TimeFormat))
		mux.ServeHTTP(w, r)
	}))
}

func TestServiceClockOffset(t *testing.T) {
	for _, skew := range []time.Duration{0, 7*time.Second + 300*time.Millisecond, -95*time.Second - 600*time.Millisecond, 3 * time.Hour} {
		for _, source := range []struct{ kind, path string }{
			{TimeBinance, "/api/v3/time"}, {TimeKraken, "/0/public/Time"}, {TimeCoinbase, "/v2/time"}, {SourceDateHeader, ""},
		} {
			t.Run(fmt.Sprintf("%s %v", source.kind, skew), func(t *testing.T) {
				srv := shiftedService(t, skew)
				c := &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/status", Kind: KindBinance}, Service: "Testex"}
				if source.path != "" {
					c.TimeAPI = &profile.Endpoint{URL: srv.URL + source.path, Kind: source.kind}
				}
				res := probe(t, c, testEnv(0, nil))
				// The service is skew ahead: this machine is skew behind it.
				wantOffset := -skew.Seconds()
				f := factsOf(res)
				if f.ServerOffsetSeconds == nil || f.ServerOffsetBoundsSeconds == nil || f.ServerTimeSource != source.kind {
					t.Fatalf("facts %+v: want an offset from %s", f, source.kind)
				}
				got, lo, hi := *f.ServerOffsetSeconds, f.ServerOffsetBoundsSeconds[0], f.ServerOffsetBoundsSeconds[1]
				if wantOffset < lo-0.001 || wantOffset > hi+0.001 || got < lo || got > hi {
					t.Errorf("offset %.3f in [%.3f, %.3f]: want the bounds to hold the true %.3f", got, lo, hi, wantOffset)
				}
				if width := hi - lo; width > 1.5 {
					t.Errorf("bounds %.3f s wide: more than the clock's resolution and the round trip", width)
				}
				switch {
				case skew.Abs() >= clockFail+2*time.Second && source.kind == SourceDateHeader:
					// One Date header is one server's word: a warning to confirm.
					want(t, res, diag.StatusWarn, nil, diag.CauseDeviceClock)
				case skew.Abs() >= clockFail+2*time.Second:
					want(t, res, diag.StatusFail, nil, diag.CauseDeviceClock)
				case skew.Abs() < clockWarn-2*time.Second:
					want(t, res, diag.StatusOK, nil)
				}
			})
		}
	}
}

func TestServiceClockWrongNotOurs(t *testing.T) {
	// The service's clock is 2 minutes behind; the clock check's NTP reference says this
	// machine is right: the service's clock is the wrong one.
	srv := shiftedService(t, -2*time.Minute)
	ref := &diag.Reference{Source: diag.ReferenceNTP, Offset: 20 * time.Millisecond, Uncertainty: 30 * time.Millisecond}
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/status", Kind: KindBinance}, Service: "Testex"}, testEnv(0, ref))
	want(t, res, diag.StatusWarn, nil, diag.CauseServiceOutage)
	if got := *cmp.Or(factsOf(res).ServiceClockErrorSeconds, new(float64)); got > -119 || got < -121 {
		t.Errorf("service_clock_error_seconds %v, want about -120", got)
	}
}

func TestServiceClockConfirmsReference(t *testing.T) {
	// This machine is 45 s ahead, and NTP agrees: device-clock, corroborated.
	srv := shiftedService(t, 0)
	ref := &diag.Reference{Source: diag.ReferenceNTP, Offset: 45 * time.Second, Uncertainty: 30 * time.Millisecond}
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/status", Kind: KindBinance}, Service: "Testex"}, testEnv(45*time.Second, ref))
	want(t, res, diag.StatusFail, map[string]any{"indicator": "none"}, diag.CauseDeviceClock)
}

func TestBrokenTimeAPIFallsBackToDate(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/status", reply(200, `{"status": 0, "msg": "normal"}`))
	mux.Handle("/api/v3/ping", reply(200, `{}`))
	mux.Handle("/api/v3/time", reply(200, `{"serverTime": "soon"}`))
	srv := serve(t, mux)
	res := probe(t, &Check{Endpoint: profile.Endpoint{URL: srv.URL + "/status", Kind: KindBinance},
		TimeAPI: &profile.Endpoint{URL: srv.URL + "/api/v3/time", Kind: TimeBinance}}, testEnv(0, nil))
	want(t, res, diag.StatusOK, map[string]any{"server_time_source": SourceDateHeader})
}

func TestOffsetOf(t *testing.T) {
	base := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	// Sent at 10.000, answered at 10.200 (local); the service said 12 (whole seconds).
	off := offsetOf(base.Add(10*time.Second), base.Add(10200*time.Millisecond), ServerTime{At: base.Add(12 * time.Second), Resolution: time.Second})
	if off.Min != -3*time.Second || off.Max != -1800*time.Millisecond || off.Estimate != -2400*time.Millisecond {
		t.Errorf("offsetOf = %+v", off)
	}
}
