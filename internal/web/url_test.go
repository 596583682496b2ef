package web

import (
	"errors"
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
		"http://status.example.com/":        "only for this machine",
		"http://127.0.0.1.example.com/":     "only for this machine",
		"status.example.com":                `"status.example.com" does not start with https://`,
		"ftp://example.com/":                "not an https:// URL",
		"https://user:hunter2@example.com/": "user name or password",
		"https://exa mple.com/":             "not a URL",
		"":                                  "the URL is empty",
		"https://":                          `"https://" has no host name after https://`,
		"https:///status":                   "has no host name",
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
	if _, err := ParseURL("http://example.org/"); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("http:// to a remote host: %v, want ErrInsecureURL", err)
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
