package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/otpdoctor/otpdoctor/diag"
)

// A URL is echoed without its user name, password and query values, in every report
// format and in errors, whether it parses or not.
func TestURLsShownWithoutCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/health?token=s3cret-moved", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	hidden := []string{"s3cret", "hunter2", "alice"}
	for _, format := range diag.Formats {
		for _, path := range []string{"/health?token=s3cret&v=2", "/moved"} {
			r := execCLI(t, nil, "", "status", "--status-url", srv.URL+path, "--format", format, "-vv")
			for _, h := range hidden {
				if strings.Contains(r.stdout+r.stderr, h) {
					t.Errorf("%s %s shows %q:\n%s%s", format, path, h, r.stdout, r.stderr)
				}
			}
			if r.code == exitUsage {
				t.Errorf("%s %s: exit 2: %s", format, path, r.stderr)
			}
		}
	}
	if r := execCLI(t, nil, "", "status", "--status-url", srv.URL+"/health?token=s3cret", "--format", "json"); !strings.Contains(r.stdout, `/health?token=…"`) {
		t.Errorf("the report does not name the URL with its query's names:\n%s", r.stdout)
	}
	for _, raw := range []string{"https://alice:hunter2@[::1", "alice:hunter2@status.example.com", "https://alice:hunter2@status.example.com/", "https://alice:hunt/er2@example.com/"} {
		r := execCLI(t, nil, "", "status", "--status-url", raw)
		for _, h := range append(hidden, "hunt", "er2") {
			if r.code != exitUsage || strings.Contains(r.stdout+r.stderr, h) {
				t.Errorf("--status-url %s: exit %d, shows %q:\n%s", raw, r.code, h, r.stderr)
			}
		}
	}
}
