package web

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/otpdoctor/otpdoctor/internal/lazyre"
)

// ErrInsecureURL is an http:// URL for a host other than this machine.
var ErrInsecureURL = errors.New("plain http:// is accepted only for this machine (localhost, 127.0.0.1, ::1)")

// ParseURL checks a URL otpdoctor is asked to request (--status-url, --time-url,
// profiles): absolute, https (http only for a loopback host, such as a local test
// server), with no user name or password (which would end up in reports). Its errors
// show the URL as Redact does.
func ParseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("the URL is empty")
	}
	shown := Clip(Redact(raw))
	u, err := url.Parse(raw)
	switch {
	case err != nil && strings.Contains(raw, "@"):
		// url.Parse quotes a piece of what it refused, which may be the password.
		return nil, fmt.Errorf("%q is not a URL", shown)
	case err != nil:
		return nil, fmt.Errorf("%q is not a URL: %w", shown, errors.Unwrap(err))
	case u.Scheme == "":
		return nil, fmt.Errorf("%q does not start with https://", shown)
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("%q is not an https:// URL", shown)
	case u.Host == "":
		return nil, fmt.Errorf("%q has no host name after %s://", shown, u.Scheme)
	case u.User != nil:
		return nil, fmt.Errorf("%q holds a user name or password; otpdoctor would copy it into reports", shown)
	case !validPort(u.Port()):
		return nil, fmt.Errorf("%q: port %s is not a number from 1 to 65535", shown, Clip(u.Port()))
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("%q: %w", shown, ErrInsecureURL)
	}
	return u, nil
}

// Redact is raw as otpdoctor shows a URL, in errors and in reports: without its user
// name and password, and with the values of its query shown as … (https://host/path?key=…),
// since query strings carry tokens (api_key=, token=, signed links) and a report is
// made to be sent to others. The scheme, host and path stay: they name the endpoint.
// Text that is no URL loses everything up to its last @ and from its ?.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Opaque != "":
		return redactText(raw)
	case u.User == nil && u.RawQuery == "" && u.Fragment == "" && !u.ForceQuery:
		return raw // nothing to hide: as it was given
	}
	return RedactURL(u)
}

// RedactURL is u as Redact shows it.
func RedactURL(u *url.URL) string {
	shown := *u
	shown.User = nil
	shown.ForceQuery = false
	shown.RawQuery = redactQuery(u.RawQuery)
	shown.Fragment, shown.RawFragment = "", ""
	return shown.String()
}

// redactQuery is a query with each value shown as …, and a part without a name (a
// bare token) as … alone.
func redactQuery(query string) string {
	if query == "" {
		return ""
	}
	parts := strings.Split(query, "&")
	for i, part := range parts {
		if name, _, ok := strings.Cut(part, "="); ok && name != "" {
			parts[i] = name + "=…"
		} else if part != "" {
			parts[i] = "…"
		}
	}
	return strings.Join(parts, "&")
}

// redactText is Redact for text that does not parse as a URL: everything from the
// scheme to the last @ before the query (a user name and password) becomes …@, and
// the query and fragment become ?….
func redactText(raw string) string {
	rest, tail := raw, ""
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest, tail = rest[:i], "?…"
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		scheme, _, found := strings.Cut(rest[:at], "://")
		if !found {
			scheme = ""
		} else {
			scheme += "://"
		}
		rest = scheme + "…@" + rest[at+1:]
	}
	return rest + tail
}

// quotedURL is a URL that an error quotes, as net/http's do: Get "https://…": ….
var quotedURL = lazyre.New(`"[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^"\\]|\\.)*"`)

// RedactError is err's message with each URL it quotes shown as Redact shows it.
func RedactError(err error) string {
	return quotedURL.Get().ReplaceAllStringFunc(err.Error(), func(quoted string) string {
		raw, unquoteErr := strconv.Unquote(quoted)
		if unquoteErr != nil {
			return `"` + redactText(quoted[1:len(quoted)-1]) + `"`
		}
		return strconv.Quote(Redact(raw))
	})
}

// validPort: none (the scheme's), or 1 to 65535; url.Parse lets any digits through.
func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return port == "" || err == nil && n >= 1 && n <= 65535
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
