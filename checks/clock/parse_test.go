package clock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beevik/ntp"

	"github.com/otpdoctor/otpdoctor/diag"
)

func TestParseServer(t *testing.T) {
	good := map[string]string{
		"time.cloudflare.com":    "time.cloudflare.com:123",
		"pool.ntp.org:1123":      "pool.ntp.org:1123",
		"192.0.2.10":             "192.0.2.10:123",
		"127.0.0.1:40123":        "127.0.0.1:40123",
		"2606:4700:f1::1":        "[2606:4700:f1::1]:123",
		"[2606:4700:f1::1]":      "[2606:4700:f1::1]:123",
		"[2606:4700:f1::1]:1234": "[2606:4700:f1::1]:1234",
	}
	for in, want := range good {
		if got, err := ParseServer(in); err != nil || got != want {
			t.Errorf("ParseServer(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                  "empty",
		"time.example.com:": `port ""`,
		":123":              "host name is missing",
		"host:0":            "not a number from 1 to 65535",
		"host:70000":        "not a number from 1 to 65535",
		"host:+12":          "column 6: the character '+'",
		"host name":         "column 5: a space",
		"https://time.x":    "a URL is not a server address",
		"time.x/path":       "column 7: the character '/'",
		"tíme.example":      "column 2: a non-ASCII letter",
		"time\texample":     "column 5: a tab",
		"[::1":              "not closed",
		"[::1]x":            "expected ':PORT'",
		"[example.com]:1":   "not an IPv6 address",
		"2606:4700::zz":     "not an IPv6 address",
		"host\x00":          "control character",
	}
	for in, want := range bad {
		if _, err := ParseServer(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseServer(%q): error %v, want one saying %q", in, err, want)
		}
	}
}

func FuzzParseServer(f *testing.F) {
	for _, seed := range []string{"time.google.com", "a:1", "[::1]:123", "::1", "[", "x:99999", "a b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		addr, err := ParseServer(in)
		if err != nil {
			return
		}
		host, port, err := net.SplitHostPort(addr)
		if err != nil || host == "" {
			t.Fatalf("%q became %q, which does not split: %v", in, addr, err)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			t.Fatalf("%q became %q with port %q", in, addr, port)
		}
		if strings.ContainsAny(addr, " \t\r\n/") {
			t.Fatalf("%q became %q", in, addr)
		}
	})
}

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

func TestParseKeyValues(t *testing.T) {
	out := []byte("Timezone=Europe/Paris\nLocalRTC=no\nCanNTP=yes\nNTP=yes\nNTPSynchronized=no\nnot a pair\n=empty\n")
	v := parseKeyValues(out)
	if v["Timezone"] != "Europe/Paris" || v["NTP"] != "yes" || v["NTPSynchronized"] != "no" || len(v) != 5 {
		t.Errorf("%v", v)
	}
	if b := yesNo(v["NTP"]); b == nil || !*b {
		t.Errorf("NTP=yes read as %v", b)
	}
	if yesNo("maybe") != nil {
		t.Error("maybe read as a boolean")
	}
}

func FuzzParseKeyValues(f *testing.F) {
	f.Add([]byte("NTP=yes\nNTPSynchronized=no\n"))
	f.Add([]byte("=\n==\nx"))
	f.Fuzz(func(t *testing.T, out []byte) {
		for k := range parseKeyValues(out) {
			if k == "" || strings.ContainsAny(k, "\n") {
				t.Fatalf("key %q", k)
			}
		}
	})
}

func TestPlusMinus(t *testing.T) {
	for d, want := range map[time.Duration]string{10 * ms: "±0.01 s", 34 * ms: "±0.04 s", 1234 * ms: "±1.3 s", 500 * time.Microsecond: "±0.0005 s", 0: "±0 s", 2 * time.Minute: "±2 min"} {
		if got := plusMinus(d); got != want {
			t.Errorf("plusMinus(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestCodesEffect(t *testing.T) {
	for d, want := range map[time.Duration]string{
		6 * time.Second:   "refuses about 20% of codes made here; one that also accepts the previous and next code still accepts them",
		-45 * time.Second: "refuses every code made here; one that also accepts the previous and next code refuses about 50%",
		125 * time.Second: "4 steps of 30 seconds off",
		-time.Hour:        "120 steps",
	} {
		if got := codesEffect(d); !strings.Contains(got, want) {
			t.Errorf("codesEffect(%s) = %q, want it to say %q", d, got, want)
		}
	}
}

func TestVerdict(t *testing.T) {
	cases := []struct {
		offset, uncertainty time.Duration
		want                diag.Status
	}{
		{0, 10 * ms, diag.StatusOK},
		{2900 * ms, 10 * ms, diag.StatusOK},
		{-3 * time.Second, 10 * ms, diag.StatusWarn},
		{14 * time.Second, 10 * ms, diag.StatusWarn},
		{16 * time.Second, 500 * ms, diag.StatusFail},
		{-16 * time.Second, 2 * time.Second, diag.StatusWarn}, // might be 14 s: not sure enough to fail
		{time.Hour, time.Second, diag.StatusFail},
	}
	for _, tc := range cases {
		if got := verdict(tc.offset, tc.uncertainty); got != tc.want {
			t.Errorf("verdict(%s ± %s) = %s, want %s", tc.offset, tc.uncertainty, got, tc.want)
		}
	}
}

func TestZoneShaped(t *testing.T) {
	for d, want := range map[time.Duration]bool{
		time.Hour:                    true,
		-19800 * time.Second:         true, // 5 h 30 min
		5*time.Hour + 45*time.Minute: true,
		time.Hour + 119*time.Second:  true,
		time.Hour + 121*time.Second:  false,
		90 * time.Second:             false, // near zero is not a zone
		14 * time.Minute:             true,  // within 2 min of 15 min
		12 * time.Minute:             false,
	} {
		if _, got := zoneShaped(d); got != want {
			t.Errorf("zoneShaped(%s) = %v, want %v", d, got, want)
		}
	}
	if got := utcOffsetName(-34200); got != "UTC-09:30" {
		t.Errorf("utcOffsetName(-34200) = %q", got)
	}
}

func TestDescribeErrors(t *testing.T) {
	cases := []struct {
		err    error
		reason string
	}{
		{&net.DNSError{Name: "time.example", Err: "no such host", IsNotFound: true}, "DNS lookup failed"},
		{fmt.Errorf("dial: %w", &net.DNSError{Name: "time.example", Err: "server misbehaving"}), "DNS lookup failed"},
		{context.DeadlineExceeded, "timeout"},
		{&net.OpError{Op: "read", Err: errTimeout{}}, "timeout"},
	}
	for _, tc := range cases {
		if got, _ := describeQueryError(tc.err); got != tc.reason {
			t.Errorf("NTP %v: %q, want %q", tc.err, got, tc.reason)
		}
		if got, _ := describeHTTPError(tc.err); got != tc.reason {
			t.Errorf("HTTPS %v: %q, want %q", tc.err, got, tc.reason)
		}
	}
	// The status check words a missing name the same way (both use web.Classify).
	_, detail := describeQueryError(cases[0].err)
	if want := "the name time.example does not exist according to this network's DNS"; detail != want {
		t.Errorf("NTP detail %q, want %q", detail, want)
	}
}

func TestQueryClosedPort(t *testing.T) {
	ln, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.LocalAddr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	src := queryNTP(ctx, ntp.QueryWithOptions, closed, time.Now)
	if src.Err != "connection refused" || !strings.Contains(src.Detail, closed+" refused the connection") {
		t.Errorf("a real NTP query to a closed UDP port: %q (%s), want connection refused", src.Err, src.Detail)
	}
}

type errTimeout struct{}

func (errTimeout) Error() string   { return "i/o timeout" }
func (errTimeout) Timeout() bool   { return true }
func (errTimeout) Temporary() bool { return true }

func TestReasonTally(t *testing.T) {
	usable, timeout, dns := source{}, source{Err: "timeout"}, source{Err: "DNS lookup failed"}
	// Usable sources count like any reason: two usable outnumber one timeout.
	if got := dominantReason([]source{usable, usable, timeout}); got != "" {
		t.Errorf("dominant reason %q, want the usable sources' \"\"", got)
	}
	if got := dominantReason([]source{dns, timeout, timeout}); got != "timeout" {
		t.Errorf("dominant reason %q, want timeout", got)
	}
	if got := reasonCounts([]source{dns, timeout, usable, timeout}); got != "timeout ×2, DNS lookup failed ×1, usable ×1" {
		t.Errorf("reason counts %q", got)
	}
	if got := reasonCounts(nil); got != "not asked" {
		t.Errorf("reason counts of nothing %q", got)
	}
}
