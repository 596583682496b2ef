package clock

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestReadDate(t *testing.T) {
	date := "Thu, 26 Nov 2026 09:30:00 GMT"
	cases := []struct {
		header http.Header
		reason string // "" for a usable date
	}{
		{http.Header{"Date": {date}}, ""},
		{http.Header{"Date": {date}, "Age": {"0"}}, ""},
		{http.Header{"Date": {"Thursday, 26-Nov-26 09:30:00 GMT"}}, ""}, // RFC 850, still HTTP
		{http.Header{"Date": {date}, "Age": {"3"}}, "cached answer"},
		{http.Header{"Date": {date}, "Age": {"soon"}}, "cached answer"},
		{http.Header{}, "no Date header"},
		{http.Header{"Date": {"yesterday"}}, "unreadable Date header"},
	}
	for _, tc := range cases {
		got, err := readDate(tc.header)
		var unusable *unusableDate
		switch {
		case tc.reason == "" && (err != nil || !got.Equal(time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC))):
			t.Errorf("%v: %v, %v", tc.header, got, err)
		case tc.reason != "" && (!errors.As(err, &unusable) || unusable.reason != tc.reason):
			t.Errorf("%v: error %v, want %q", tc.header, err, tc.reason)
		}
	}
}

func FuzzReadDate(f *testing.F) {
	f.Add("Thu, 26 Nov 2026 09:30:00 GMT", "")
	f.Add("Thu, 26 Nov 2026 09:30:00 GMT", "12")
	f.Add("Mon Jan  2 15:04:05 2006", "0")
	f.Fuzz(func(t *testing.T, date, age string) {
		h := http.Header{"Date": {date}}
		if age != "" {
			h.Set("Age", age)
		}
		got, err := readDate(h)
		if err != nil {
			var unusable *unusableDate
			if !errors.As(err, &unusable) {
				t.Fatalf("error %v is not an unusableDate", err)
			}
			return
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(age), 10, 63); age != "" && (err != nil || n > 0) {
			t.Fatalf("Age %q accepted", age)
		}
		if got.IsZero() {
			t.Fatalf("Date %q read as the zero time", date)
		}
	})
}

func TestDateReadingBounds(t *testing.T) {
	// The server's clock read 09:30:00.xxx somewhere between sent and received.
	date := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	r := dateReading{sent: date.Add(2*time.Second + 100*ms), received: date.Add(2*time.Second + 300*ms), date: date}
	lo, hi := r.bounds()
	if lo != 1100*ms || hi != 2300*ms {
		t.Errorf("bounds %s..%s, want 1.1s..2.3s", lo, hi)
	}
}

func TestSendTimeForCut(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 30, 0, 400_000_000, time.UTC)
	for _, cut := range []time.Duration{0, 250 * ms, -700 * ms, 2*time.Second + 370*ms, -3 * time.Hour} {
		for _, rtt := range []time.Duration{0, 40 * ms, 900 * ms} {
			send := sendTimeForCut(now, cut, rtt)
			handled := send.Add(rtt / 2)
			// Had the offset been cut, the server's clock would read a whole second then.
			if server := handled.Add(-cut); server.Nanosecond() != 0 {
				t.Errorf("cut %s rtt %s: the server would read %s, not a whole second", cut, rtt, server.Format(time.StampMilli))
			}
			if send.Before(now) || send.Sub(now) > time.Second+rtt {
				t.Errorf("cut %s rtt %s: send at %s, %s after now", cut, rtt, send.Format(time.StampMilli), send.Sub(now))
			}
		}
	}
}
