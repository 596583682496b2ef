package clock

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/ntp"
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
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // only bounds a hang
	defer cancel()
	src := queryNTP(ctx, ntp.QueryWithOptions, net.DefaultResolver, closed, time.Now, new(atomic.Bool))
	if src.Err != "connection refused" || !strings.Contains(src.Detail, closed+" refused the connection") {
		t.Errorf("a real NTP query to a closed UDP port: %q (%s), want connection refused", src.Err, src.Detail)
	}
}

type errTimeout struct{}

func (errTimeout) Error() string   { return "i/o timeout" }
func (errTimeout) Timeout() bool   { return true }
func (errTimeout) Temporary() bool { return true }
