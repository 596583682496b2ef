package ntptest

import (
	"net/http"
	"time"
)

// DateHandler answers every request with an empty body and a Date header from a clock
// offset as clients measure it (positive: the client's clock looks ahead), the way a
// web site that the HTTPS Date fallback reads does. A non-empty age adds an Age header,
// as a cache would.
func DateHandler(offset time.Duration, age string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", time.Now().Add(-offset).UTC().Format(http.TimeFormat))
		if age != "" {
			w.Header().Set("Age", age)
		}
	})
}
