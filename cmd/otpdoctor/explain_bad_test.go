package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// badReports are reports a support person may be handed, broken in the ways that once
// made explain print a 3.9 MB error line: made from the golden report.
func badReports(t *testing.T) map[string][]byte {
	t.Helper()
	golden, err := os.ReadFile("../../diag/testdata/golden/report.json")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(change func(map[string]any)) []byte {
		var r map[string]any
		if err := json.Unmarshal(golden, &r); err != nil {
			t.Fatal(err)
		}
		change(r)
		data, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	huge := strings.Repeat("x", 220_000)
	return map[string][]byte{
		"a 220 KB string where a date goes": edit(func(r map[string]any) { r["generated_at"] = huge }),
		"a syntax error 220 KB in": append(bytes.TrimSuffix(bytes.TrimSpace(golden), []byte("}")),
			[]byte(`, "pad": "`+huge+`", "oops": tru }`)...),
		"wrong types in 250 checks, with terminal sequences": edit(func(r map[string]any) {
			check := r["checks"].([]any)[0].(map[string]any)
			var checks []any
			for range 250 {
				bad := map[string]any{}
				for k, v := range check {
					bad[k] = v
				}
				bad["status"], bad["duration_ms"] = "\x1b]0;pwned\x07"+strings.Repeat("z", 40), "abc"
				checks = append(checks, bad)
			}
			r["checks"] = checks
		}),
		"a 220 KB tool version with a clear-screen, and a wrong status": edit(func(r map[string]any) {
			r["tool_version"], r["status"] = "v9\x1b[2J"+huge, "great"
		}),
		"5 MB": append(append([]byte(`{"schema": "otpdoctor.report/v1", "x": "`), bytes.Repeat([]byte("a"), 5<<20)...), `"}`...),
	}
}

// Every error explain gives about a bad report is short and escaped, says where
// (line and column, or the size cap), and reading it takes bounded memory: the
// allocation counter, not the clock, is the measure.
func TestExplainBadReportsBriefly(t *testing.T) {
	where := regexp.MustCompile(`line \d+, column \d+|larger than 1 MiB`)
	for name, data := range badReports(t) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.json")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r := execCLI(t, nil, "", "explain", path)
			runtime.ReadMemStats(&after)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want %d\n%.2000s", r.code, exitUsage, r.stderr)
			}
			for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
				if n := len([]rune(line)); n > maxErrorLine+len(path)+40 {
					t.Errorf("a line of %d characters: %.300s…", n, line)
				}
			}
			if c := rawActing(r.stderr); c != "" {
				t.Errorf("stderr holds %s raw", c)
			}
			if strings.HasPrefix(name, "wrong types") && !strings.Contains(r.stderr, "500 places, the first 3: at '/checks/0/") {
				t.Errorf("the error does not say how many places do not fit:\n%s", r.stderr)
			}
			if !where.MatchString(r.stderr) {
				t.Errorf("the error does not say where:\n%s", r.stderr)
			}
			if strings.Contains(r.stderr, strings.Repeat("x", 100)) || strings.Contains(r.stderr, strings.Repeat("z", 41)) {
				t.Errorf("the error quotes more than an excerpt:\n%.1000s", r.stderr)
			}
			// Reading is capped at 1 MiB; the rest is the decoded report and its checks.
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes of input, %.1f MB allocated\n%s", len(data), float64(allocated)/1e6, r.stderr)
			if allocated > 48<<20 {
				t.Errorf("%.1f MB allocated for a %d-byte report", float64(allocated)/1e6, len(data))
			}
		})
	}
}
