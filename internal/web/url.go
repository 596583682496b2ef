package web

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrInsecureURL is an http:// URL for a host other than this machine.
var ErrInsecureURL = errors.New("plain http:// is accepted only for this machine (localhost, 127.0.0.1, ::1)")

// ParseURL checks a URL otpdoctor is asked to request (--status-url, --time-url,
// profiles): absolute, https (http only for a loopback host, such as a local test
// server), with no user name or password (which would end up in reports).
func ParseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("the URL is empty")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%q is not a URL: %w", Clip(raw), errors.Unwrap(err))
	case u.Scheme == "":
		return nil, fmt.Errorf("%q does not start with https://", Clip(raw))
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("%q is not an https:// URL", Clip(raw))
	case u.Host == "":
		return nil, fmt.Errorf("%q has no host name after %s://", Clip(raw), u.Scheme)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%q holds a user name or password; otpdoctor would copy it into reports", u.Redacted())
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%q: %w", Clip(raw), ErrInsecureURL)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Clip shortens text that came from a flag or a server, for an error message.
func Clip(s string) string {
	const limit = 80
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
