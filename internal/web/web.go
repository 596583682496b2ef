// Package web is otpdoctor's HTTP client: proxies from the environment, a User-Agent
// naming otpdoctor, at most five redirects, certificate verification always on, and
// bodies read with a cap. The clock check (HTTPS Date) and the status check share it.
package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/otpdoctor/otpdoctor/internal/fileio"
)

// MaxBody caps every response body read.
const MaxBody = 1 << 20

// MaxRedirects is how many redirects a request follows before failing.
const MaxRedirects = 5

// ErrTooManyRedirects is returned (wrapped) past MaxRedirects.
var ErrTooManyRedirects = errors.New("too many redirects")

// NewClient returns a client whose every request carries userAgent and ends within
// timeout. The transport is cloned from http.DefaultTransport, so HTTPS_PROXY and
// NO_PROXY are honoured and certificates are verified.
func NewClient(timeout time.Duration, userAgent string) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{
		Timeout:   timeout,
		Transport: userAgentTransport{agent: userAgent, next: transport},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= MaxRedirects {
				return fmt.Errorf("stopped after %d redirects: %w", len(via), ErrTooManyRedirects)
			}
			return nil
		},
	}
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
