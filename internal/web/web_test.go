package web

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/internal/fileio"
)

func TestUserAgentAndBodyCap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			io.Copy(w, io.LimitReader(zeros{}, 10<<20))
			return
		}
		fmt.Fprint(w, r.UserAgent())
	}))
	defer srv.Close()
	client := NewClient(patientTimeout, UserAgent("v1.2.3"))
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, err := ReadBody(resp)
	if err != nil || string(body) != "otpdoctor/v1.2.3 (+https://github.com/otpdoctor/otpdoctor)" {
		t.Errorf("User-Agent sent: %q, %v", body, err)
	}
	resp, err = client.Get(srv.URL + "/big")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBody(resp); !errors.Is(err, fileio.ErrTooLarge) {
		t.Errorf("a 10 MiB body: %v, want ErrTooLarge", err)
	}
	// Without one, the client still names otpdoctor.
	resp, err = New(Options{Timeout: patientTimeout}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if body, err := ReadBody(resp); err != nil || !strings.HasPrefix(string(body), "otpdoctor/devel ") {
		t.Errorf("default User-Agent: %q, %v", body, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestRedirectCap(t *testing.T) {
	hops := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hops++
		http.Redirect(w, r, "/next", http.StatusFound)
	}))
	defer srv.Close()
	_, err := NewClient(patientTimeout, "ua").Get(srv.URL)
	if !errors.Is(err, ErrTooManyRedirects) || hops != MaxRedirects+1 {
		t.Errorf("after %d requests: %v, want ErrTooManyRedirects after %d", hops, err, MaxRedirects+1)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	_, err := NewClient(100*time.Millisecond, "ua").Get(srv.URL)
	var netErr interface{ Timeout() bool }
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Errorf("a server that never answers: %v, want a timeout", err)
	}
}

func TestProxyRefusal(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	}))
	defer proxy.Close()
	proxyURL, _ := url.Parse(proxy.URL)
	client := New(Options{Timeout: patientTimeout, UserAgent: "ua", Proxy: http.ProxyURL(proxyURL)})
	_, err := client.Get("https://status.example.com/")
	var pe *ProxyError
	if !errors.As(err, &pe) || pe.Proxy != proxyURL.Host || pe.Status != "403 Forbidden" {
		t.Errorf("proxy refusing CONNECT: %v, want a ProxyError", err)
	}
}

func TestRootsAndClock(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())

	if _, err := NewClient(patientTimeout, "ua").Get(srv.URL); err == nil {
		t.Error("the system's roots trusted a test certificate")
	}
	if _, err := New(Options{Timeout: patientTimeout, UserAgent: "ua", Roots: roots}).Get(srv.URL); err != nil {
		t.Errorf("with the test root: %v", err)
	}
	late := func() time.Time { return srv.Certificate().NotAfter.Add(time.Hour) }
	_, err := New(Options{Timeout: patientTimeout, UserAgent: "ua", Roots: roots, Now: late}).Get(srv.URL)
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	if !errors.As(err, &verify) || !errors.As(err, &invalid) || invalid.Reason != x509.Expired {
		t.Errorf("with a clock past the certificate: %v, want it refused as expired", err)
	}
	if err != nil && !strings.Contains(err.Error(), "expired") {
		t.Errorf("error %v does not say expired", err)
	}
}

// An https:// server that redirects to plain http:// is not followed there.
func TestRedirectDowngradeRefused(t *testing.T) {
	var plainRequests atomic.Int64
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { plainRequests.Add(1) }))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/status", http.StatusFound)
	}))
	defer secure.Close()
	roots := x509.NewCertPool()
	roots.AddCert(secure.Certificate())
	_, err := New(Options{Timeout: patientTimeout, UserAgent: "ua", Roots: roots}).Get(secure.URL)
	if !errors.Is(err, ErrDowngrade) || plainRequests.Load() != 0 {
		t.Errorf("https to http: %v, %d requests over http", err, plainRequests.Load())
	}
}
