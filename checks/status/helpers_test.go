package status

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// testEnv is a run's Env with this machine's clock shifted by skew, a short timeout,
// and ref as the clock check's reference (nil: none).
func testEnv(skew time.Duration, ref *diag.Reference) *diag.Env {
	env := &diag.Env{
		Now:      func() time.Time { return time.Now().Add(skew) },
		Timeout:  time.Minute, // only bounds a hang: loopback servers answer
		TrueTime: diag.NewTrueTime(),
	}
	if ref != nil {
		env.TrueTime.Publish(*ref)
	} else {
		env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNone})
	}
	return env
}

// probe runs a status check of kind against rawURL under env, as the runner would.
func probe(t *testing.T, c *Check, env *diag.Env) diag.Result {
	t.Helper()
	results, _ := diag.Run(context.Background(), env, []diag.Check{c})
	res := results[0]
	t.Logf("%s: %s\n  facts: %v\n  findings: %v\n  details: %s", res.Status, res.Summary, res.Facts, res.Findings, strings.Join(res.Details, "\n    "))
	return res
}

// serve starts a loopback HTTP server for the test.
func serve(t *testing.T, handler http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv
}

// reply answers every request with code and body, as JSON.
func reply(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

// summary is testdata/statuspage-summary.json (a GitHub-like page) with its overall
// indicator, the Authentication and Pages components' states, and the incidents and
// maintenances (JSON arrays) filled in.
func summary(t testing.TB, indicator, description, auth, pages, incidents, maintenances string) string {
	t.Helper()
	tmpl, err := os.ReadFile("testdata/statuspage-summary.json")
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer("INDICATOR", indicator, "DESCRIPTION", description, "AUTH_STATUS", auth,
		"PAGES_STATUS", pages, "INCIDENTS", incidents, "MAINTENANCES", maintenances).Replace(string(tmpl))
}

func causes(res diag.Result) []diag.Cause {
	var out []diag.Cause
	for _, f := range res.Findings {
		out = append(out, f.Cause)
	}
	return out
}

// want fails t unless res has the status, the facts and exactly the causes given.
func want(t *testing.T, res diag.Result, status diag.Status, facts map[string]any, wantCauses ...diag.Cause) {
	t.Helper()
	if res.Status != status {
		t.Errorf("status %s, want %s (%s)", res.Status, status, res.Summary)
	}
	for k, v := range facts {
		if got := diag.FactValues(res.Facts)[k]; fmt.Sprint(got) != fmt.Sprint(v) {
			t.Errorf("fact %s = %v, want %v", k, got, v)
		}
	}
	if got := causes(res); !slices.Equal(got, wantCauses) {
		t.Errorf("causes %v, want %v", got, wantCauses)
	}
	for _, f := range res.Findings {
		if f.Message == "" || len(diag.FixTexts(f.Steps, &diag.Env{})) == 0 {
			t.Errorf("finding %s has no message or no fix: %+v", f.Cause, f)
		}
	}
	if res.Summary == "" {
		t.Error("empty summary")
	}
}

// quietLog drops a test server's log: refused handshakes are what the tests provoke.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

// factsOf is the status check's facts in res.
func factsOf(res diag.Result) *diag.StatusFacts { return res.Facts.(*diag.StatusFacts) }
