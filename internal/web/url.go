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

// ParseURL checks a URL otpdoctor is asked to request (--status-url, --time-url, profiles): absolute, https (http only for a loopback host, such as
// a local test server), with no user name or password (which would end up in reports).
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", Clip(raw), errors.Unwrap(err))
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not an https:// URL", Clip(raw))
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
