package status

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// Offset is this machine's clock minus the service's, measured over one request:
// positive = this machine is ahead of the service (the clock check's sign).
type Offset struct {
	Estimate time.Duration // the middle of [Min, Max]
	Min, Max time.Duration
	Source   string // a time API kind, or SourceDateHeader
}

// offsetOf bounds the offset from a ServerTime read between wrote and answered on this
// machine's clock. The service stamped it at some instant in that span, and its reading
// is truncated: the service's clock then read between At and At+Resolution.
func offsetOf(wrote, answered time.Time, st ServerTime) Offset {
	lo := wrote.Sub(st.At.Add(st.Resolution))
	hi := answered.Sub(st.At)
	return Offset{Estimate: lo + (hi-lo)/2, Min: lo, Max: hi, Source: st.Source}
}

// dateHeader reads the Date header of an answer as a ServerTime.
func dateHeader(h http.Header) (ServerTime, error) {
	raw := h.Get("Date")
	if raw == "" {
		return ServerTime{}, fmt.Errorf("no Date header")
	}
	t, err := http.ParseTime(raw)
	if err != nil {
		return ServerTime{}, fmt.Errorf("the Date header %q is not an HTTP date", web.Clip(raw))
	}
	return plausible(ServerTime{At: t, Resolution: time.Second, Source: SourceDateHeader})
}

// seconds rounds d to milliseconds, in seconds: how facts carry offsets.
func seconds(d time.Duration) float64 {
	return math.Round(d.Seconds()*1000) / 1000
}

// describeOffset says how far and which way this machine's clock is from the service's.
func describeOffset(d time.Duration) string {
	switch {
	case d > 0:
		return diag.HumanDuration(d) + " ahead of"
	case d < 0:
		return diag.HumanDuration(-d) + " behind"
	}
	return "level with"
}
