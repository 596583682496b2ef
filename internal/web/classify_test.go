package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestClassify feeds the classifier the errors real requests get on loopback, and
// constructed ones where loopback cannot produce them (DNS, an unreachable network).
func TestClassify(t *testing.T) {
	closedPort := closedAddress(t)
	tests := []struct {
		name    string
		err     func(t *testing.T) error
		kind    Kind
		reason  string
		explain []string // what the explanation must say
	}{
		{"closed TCP port", func(t *testing.T) error {
			return get(t, patientClient(), "http://"+closedPort+"/")
		}, KindRefused, "connection refused", []string{"the server " + closedPort + " refused the connection", "firewall"}},
		{"closed UDP port", func(t *testing.T) error {
			return udpExchange(t, closedPort)
		}, KindRefused, "connection refused", []string{"the server " + closedPort + " refused"}},
		{"listener that never accepts", func(t *testing.T) error {
			ln := listen(t) // the kernel completes the handshake; nobody reads the request
			return get(t, NewClient(100*time.Millisecond, "ua"), "http://"+ln.Addr().String()+"/")
		}, KindTimeout, "timeout", []string{"did not answer in time"}},
		{"deadline of the context", func(*testing.T) error {
			return fmt.Errorf("asking: %w", context.DeadlineExceeded)
		}, KindTimeout, "timeout", []string{"the server did not answer in time"}},
		{"connection reset", func(t *testing.T) error {
			return get(t, patientClient(), "http://"+resettingServer(t)+"/")
		}, KindReset, "connection reset", []string{"was cut off"}},
		{"name that does not exist", func(*testing.T) error {
			return &url.Error{Op: "Get", URL: "https://status.example/", Err: &net.OpError{Op: "dial", Net: "tcp",
				Err: &net.DNSError{Err: "no such host", Name: "status.example", IsNotFound: true}}}
		}, KindDNS, "DNS lookup failed", []string{"the name status.example does not exist according to this network's DNS"}},
		{"DNS server failing", func(*testing.T) error {
			return &net.OpError{Op: "dial", Net: "udp", Err: &net.DNSError{Err: "server misbehaving", Name: "time.example", IsTemporary: true}}
		}, KindDNS, "DNS lookup failed", []string{"the name time.example could not be looked up (DNS): server misbehaving"}},
		{"DNS timing out", func(*testing.T) error {
			return &net.DNSError{Err: "i/o timeout", Name: "time.example", IsTimeout: true}
		}, KindDNS, "DNS lookup failed", []string{"could not be looked up"}},
		{"proxy refusing CONNECT", func(t *testing.T) error {
			proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusProxyAuthRequired)
			}))
			t.Cleanup(proxy.Close)
			return get(t, proxiedClient(proxy.URL), "https://status.example/")
		}, KindProxyRefused, "proxy failed", []string{"would not connect to the server status.example", "407 Proxy Authentication Required"}},
		{"proxy down", func(t *testing.T) error {
			return get(t, proxiedClient("http://"+closedPort), "https://status.example/")
		}, KindProxyDown, "proxy unreachable", []string{"the proxy set for this computer cannot be reached", "connection refused", "so the server status.example cannot be either"}},
		{"redirect loop", func(t *testing.T) error {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/again"+r.URL.Path, http.StatusFound)
			}))
			t.Cleanup(srv.Close)
			return get(t, patientClient(), srv.URL)
		}, KindRedirectLoop, "too many redirects", []string{"the server 127.0.0.1:", "keeps redirecting (more than 5 times)"}},
		{"certificate from an unknown authority", func(t *testing.T) error {
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.StartTLS()
			t.Cleanup(srv.Close)
			return get(t, patientClient(), srv.URL)
		}, KindCertificate, "certificate refused", []string{"the certificate the server 127.0.0.1:", "presented was refused: x509: certificate signed by unknown authority"}},
		{"plain HTTP where TLS was expected", func(t *testing.T) error {
			srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			t.Cleanup(srv.Close)
			return get(t, patientClient(), strings.Replace(srv.URL, "http:", "https:", 1))
		}, KindNotTLS, "secure connection failed", []string{"does not speak TLS properly"}},
		{"network unreachable", func(*testing.T) error {
			return &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 443},
				Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}
		}, KindUnreachable, "network unreachable", []string{"the server 192.0.2.1:443 cannot be reached from this network"}},
		{"anything else", func(*testing.T) error {
			return &url.Error{Op: "Get", URL: "https://status.example/", Err: errors.New("something odd")}
		}, KindOther, "request failed", []string{"the server status.example could not be reached: something odd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err(t)
			f := Classify(err)
			t.Logf("%s: %s", f.Reason, f.Sentence())
			if f.Kind != tt.kind || f.Reason != tt.reason {
				t.Fatalf("%v: kind %d (%q), want %d (%q)", err, f.Kind, f.Reason, tt.kind, tt.reason)
			}
			for _, want := range tt.explain {
				if !strings.Contains(f.Explanation, want) {
					t.Errorf("explanation %q does not say %q", f.Explanation, want)
				}
			}
			if s := f.Sentence(); !strings.HasPrefix(s, "The ") || !strings.HasSuffix(s, ".") {
				t.Errorf("sentence %q: want it to start with a capital word and end with a full stop", s)
			}
		})
	}
}

// patientTimeout bounds requests whose failure is not a timeout: it only ends a hang,
// so a loaded machine never turns their error into a timeout.
const patientTimeout = time.Minute

func patientClient() *http.Client { return NewClient(patientTimeout, "ua") }

func proxiedClient(proxy string) *http.Client {
	proxyURL, _ := url.Parse(proxy)
	return New(Options{Timeout: patientTimeout, UserAgent: "ua", Proxy: http.ProxyURL(proxyURL)})
}

func get(t *testing.T, client *http.Client, target string) error {
	t.Helper()
	resp, err := client.Get(target)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("GET %s succeeded", target)
	}
	return err
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// closedAddress is a loopback port that nothing listens on (TCP nor, very likely, UDP).
func closedAddress(t *testing.T) string {
	ln := listen(t)
	ln.Close()
	return ln.Addr().String()
}

// udpExchange sends a datagram to address and waits for an answer, as an NTP query does.
func udpExchange(t *testing.T, address string) error {
	conn, err := net.Dial("udp", address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(patientTimeout))
	if _, err := conn.Write([]byte("hello")); err != nil {
		return err
	}
	_, err = conn.Read(make([]byte, 48))
	return err
}

// resettingServer reads the start of a request, then closes the connection with a reset
// (RST), as a filter on the way does.
func resettingServer(t *testing.T) string {
	ln := listen(t)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.Read(make([]byte, 16))
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	}()
	return ln.Addr().String()
}
