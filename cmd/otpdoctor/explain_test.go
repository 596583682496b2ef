package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/codes"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/docs"
)

// explain - with the terminal as standard input refuses at once instead of waiting
// for a report nobody will type.
func TestExplainRefusesTerminalStdin(t *testing.T) {
	var out, errOut bytes.Buffer
	s := &streams{In: strings.NewReader(""), InTTY: true, Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
	if code := run(context.Background(), []string{"explain", "-"}, s); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	want := "otpdoctor: explain - reads standard input, which is this terminal: a saved report is not typed\n" +
		"hint: give the report's file name, or pipe it in: otpdoctor explain - < report.json\n"
	if errOut.String() != want || out.Len() != 0 {
		t.Errorf("stderr %q, stdout %q", errOut.String(), out.String())
	}
}

// explain reads every JSON report otpdoctor writes, whatever command wrote it, and
// diagnoses it as the run did.
func TestExplainReadsEveryCommandsReport(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	const at = "2026-11-26T09:30:00Z"
	when, _ := time.Parse(time.RFC3339, at)
	early := codes.TOTPAt(scenarioKey, when.Add(-2*time.Minute))
	now := codes.TOTPAt(scenarioKey, when)
	commands := map[string][]string{
		"check":       {"check", "--offline", "--now", at, "--code", early},
		"clock":       {"clock", "--offline", "--now", at},
		"match":       {"match", early, now, "--offline", "--now", at},
		"secret":      {"secret"},
		"secret list": {"secret", "list", "--secret-file", secretFile(t, duplicateEntries)},
		"backup":      {"backup", "--service", "github", "--backup-code", "1a2b3-c4dSe", "--now", at},
		"status":      {"status", "--status-url", statusURL(t, "critical", "major_outage")},
	}
	for name, args := range commands {
		t.Run(name, func(t *testing.T) {
			r := execCLI(t, scenarioSecret, "", append(args, "--format", "json")...)
			if r.code != exitOK && r.code != exitFailed {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			path := filepath.Join(t.TempDir(), "report.json")
			if err := os.WriteFile(path, []byte(r.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := docs.ValidateReport([]byte(r.stdout)); err != nil {
				t.Fatalf("the %s report does not fit the schema: %v", name, err)
			}
			if err := explainAgrees(path, []byte(r.stdout)); err != nil {
				t.Error(err)
			}
		})
	}
}

// explain --platform P --app A on a report made without them gives what a run with
// them gives: the same diagnosis and the same steps, in the checks' findings too.
func TestExplainPlatformEqualsARunWithIt(t *testing.T) {
	const at = "2026-11-26T09:30:00Z"
	when, _ := time.Parse(time.RFC3339, at)
	args := []string{"check", "--format", "json", "--offline", "--now", at, "--code", codes.TOTPAt(scenarioKey, when.Add(-2*time.Minute))}
	plain := execCLI(t, scenarioSecret, "", args...)
	path := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(path, []byte(plain.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, target := range [][]string{
		{"--platform", "ios"}, {"--platform", "android", "--app", "google-authenticator"}, {"--app", "authy"}, {"--platform", "windows"},
	} {
		live := execCLI(t, scenarioSecret, "", append(args, target...)...)
		explained := execCLI(t, nil, "", append([]string{"explain", path, "--format", "json"}, target...)...)
		var a, b diag.Report
		if err := json.Unmarshal([]byte(live.stdout), &a); err != nil {
			t.Fatalf("%v: %v\n%s", target, err, live.stderr)
		}
		if err := json.Unmarshal([]byte(explained.stdout), &b); err != nil {
			t.Fatalf("%v: %v\n%s", target, err, explained.stderr)
		}
		findings := func(r diag.Report) (all [][]diag.Finding) {
			for _, c := range r.Checks {
				all = append(all, c.Findings)
			}
			return all
		}
		live1, _ := json.MarshalIndent([]any{a.Diagnosis, findings(a)}, "", "  ")
		expl1, _ := json.MarshalIndent([]any{b.Diagnosis, findings(b)}, "", "  ")
		if string(live1) != string(expl1) {
			t.Errorf("%v: explain differs from a run:\nrun:\n%s\nexplain:\n%s", target, live1, expl1)
		}
	}
}
