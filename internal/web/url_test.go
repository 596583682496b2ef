package web

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	good := []string{"https://status.example.com", "https://api.binance.com/sapi/v1/system/status", "http://127.0.0.1:8080/x", "http://localhost/", "http://[::1]:9/"}
	for _, raw := range good {
		if _, err := ParseURL(raw); err != nil {
			t.Errorf("ParseURL(%q): %v", raw, err)
		}
	}
	bad := map[string]string{
		"http://status.example.com/":             "only for this machine",
		"http://127.0.0.1.example.com/":          "only for this machine",
		"status.example.com":                     `"status.example.com" does not start with https://`,
		"ftp://example.com/":                     "not an https:// URL",
		"https://user:hunter2@example.com/":      "user name or password",
		"https://exa mple.com/":                  "not a URL",
		"":                                       "the URL is empty",
		"https://":                               `"https://" has no host name after https://`,
		"https:///status":                        "has no host name",
		"https://example.com:99999/":             "port 99999 is not a number from 1 to 65535",
		"https://example.com:0/":                 "port 0 is not a number from 1 to 65535",
		"http://127.0.0.1:99999999999999999999/": "not a number from 1 to 65535",
	}
	for raw, want := range bad {
		_, err := ParseURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseURL(%q) = %v, want an error saying %q", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseURL echoes the password: %v", err)
		}
	}
	// However a URL with a password is wrong, no error shows the password or user.
	for _, raw := range []string{"https://alice:hunter2@[::1", "alice:hunter2@status.example.com", "https://alice:hunt/er2@example.com/",
		"https://alice:hunter2@exa mple.com/", "ftp://alice:hunter2@example.com/", "http://alice:hunter2@example.org/", "https://alice:hunter2@example.com/"} {
		if _, err := ParseURL(raw); err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "alice") || strings.Contains(err.Error(), "er2") {
			t.Errorf("ParseURL(%q) = %v", raw, err)
		}
	}
	if _, err := ParseURL("http://example.org/"); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("http:// to a remote host: %v, want ErrInsecureURL", err)
	}
}

// A URL is shown without its user name, password, query values and fragment, whether
// it parses or not, and wherever an error quotes it.
func TestRedact(t *testing.T) {
	for raw, want := range map[string]string{
		"https://status.example.com/api/v2/summary.json":     "https://status.example.com/api/v2/summary.json",
		"https://alice:hunter2@example.com/x":                "https://example.com/x",
		"https://alice@example.com/":                         "https://example.com/",
		"https://example.com/health?api_key=s3cret&v=2#frag": "https://example.com/health?api_key=…&v=…",
		"https://example.com/?s3cret":                        "https://example.com/?…",
		"https://example.com/?":                              "https://example.com/",
		"https://alice:hunter2@[::1":                         "https://…@[::1",
		"alice:hunter2@status.example.com":                   "…@status.example.com",
		"https://alice:hunt/er2@host/?token=x":               "https://…@host/?…",
		"https://exa mple.com/?token=s3cret":                 "https://exa mple.com/?…",
		"mailto:alice:hunter2@example.com":                   "…@example.com",
	} {
		if got := Redact(raw); got != want {
			t.Errorf("Redact(%q) = %q, want %q", raw, got, want)
		}
	}
	err := fmt.Errorf("the request failed: %w", &url.Error{Op: "Get", URL: "https://alice:hunter2@example.com/?token=s3cret", Err: errors.New("EOF")})
	if got, want := RedactError(err), `the request failed: Get "https://example.com/?token=…": EOF`; got != want {
		t.Errorf("RedactError = %q, want %q", got, want)
	}
}

func FuzzParseURL(f *testing.F) {
	f.Add("https://status.example.com/api/v2/summary.json")
	f.Add("http://127.0.0.1:8080/")
	f.Add("http://user:pw@localhost/")
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ParseURL(raw)
		if err != nil {
			return
		}
		if u.User != nil || u.Host == "" || (u.Scheme == "http" && !isLoopback(u.Hostname())) || (u.Scheme != "http" && u.Scheme != "https") {
			t.Errorf("accepted %q", raw)
		}
	})
}
