// Package web is otpdoctor's HTTP client: proxies from the environment, a User-Agent
// naming otpdoctor, at most five redirects, certificate verification always on, and
// bodies read with a cap. The clock check (HTTPS Date) and the status check share it,
// and its Classify explains their network failures (NTP's too) in the same words.
package web

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/otpdoctor/otpdoctor/internal/fileio"
)

// MaxBody caps every response body read.
const MaxBody = 1 << 20

// MaxRedirects is how many redirects a request follows before failing.
const MaxRedirects = 5

// ErrTooManyRedirects is returned (wrapped) past MaxRedirects.
var ErrTooManyRedirects = errors.New("too many redirects")

// ErrDowngrade is returned (wrapped) for a redirect from https:// to plain http://,
// which anyone on the way could answer: it is refused as such a first URL would be.
var ErrDowngrade = errors.New("redirected from https:// to plain http://, which is refused")

// Options configure a client. Timeout is required; a zero field keeps the default.
type Options struct {
	// Timeout bounds each request, from dialling to the end of the body.
	Timeout time.Duration
	// UserAgent is sent with every request; "": UserAgent("devel").
	UserAgent string
	// Roots are the certificate authorities trusted; nil: the system's.
	Roots *x509.CertPool
	// Now is the clock certificates are checked against; nil: time.Now. It follows
	// --now, so that a reproduced case judges certificates as the user's machine did.
	Now func() time.Time
	// Proxy picks the proxy for a request; nil: HTTPS_PROXY, HTTP_PROXY and NO_PROXY
	// from the environment.
	Proxy func(*http.Request) (*url.URL, error)
}

// NewClient returns a client whose every request carries userAgent and ends within
// timeout. The transport is cloned from http.DefaultTransport, so HTTPS_PROXY and
// NO_PROXY are honoured and certificates are verified.
func NewClient(timeout time.Duration, userAgent string) *http.Client {
	return New(Options{Timeout: timeout, UserAgent: userAgent})
}

// New returns a client configured by o. Certificate verification stays on whatever o
// says: o can change what is trusted and when, never whether.
func New(o Options) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if o.Proxy != nil {
		transport.Proxy = o.Proxy
	}
	transport.TLSClientConfig = &tls.Config{RootCAs: o.Roots, Time: o.Now}
	transport.OnProxyConnectResponse = func(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return &ProxyError{Proxy: proxy.Host, Status: resp.Status}
		}
		return nil
	}
	agent := o.UserAgent
	if agent == "" {
		agent = UserAgent("devel")
	}
	return &http.Client{
		Timeout:   o.Timeout,
		Transport: userAgentTransport{agent: agent, next: transport},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects { // via holds the first request and each redirect followed
				// net/http names only the Location, often a bare path: this names the server.
				return &url.Error{Op: "redirect to", URL: RedactURL(req.URL),
					Err: fmt.Errorf("stopped after %d redirects: %w", MaxRedirects, ErrTooManyRedirects)}
			}
			if req.URL.Scheme != "https" && via[len(via)-1].URL.Scheme == "https" {
				return &url.Error{Op: "redirect to", URL: RedactURL(req.URL), Err: ErrDowngrade}
			}
			return nil
		},
	}
}

// ProxyError is a proxy refusing to open a tunnel to the server (its answer to CONNECT).
type ProxyError struct {
	Proxy  string // host:port
	Status string // e.g. "407 Proxy Authentication Required"
}

func (e *ProxyError) Error() string {
	return fmt.Sprintf("the proxy %s refused the connection: %s", e.Proxy, e.Status)
}

// UserAgent is the User-Agent otpdoctor sends.
func UserAgent(version string) string {
	return "otpdoctor/" + version + " (+https://github.com/otpdoctor/otpdoctor)"
}

type userAgentTransport struct {
	agent string
	next  http.RoundTripper
}

func (t userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", t.agent)
	return t.next.RoundTrip(req)
}

// ReadBody reads and closes resp.Body, failing past MaxBody.
func ReadBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return fileio.ReadAll(resp.Body, MaxBody, "the response from "+resp.Request.URL.Host)
}

// Drain discards what is left of resp.Body, up to MaxBody, and closes it, so that the
// connection can be reused.
func Drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBody))
	resp.Body.Close()
}
