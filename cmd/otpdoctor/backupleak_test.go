package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otpdoctor/otpdoctor/diag"
)

// leakBackup is a service and backup codes as a user types them, with every whole code
// that must never show: the codes as typed and the codes they were probably meant to be.
type leakBackup struct {
	service string
	typed   []string
	secrets []string // normalised: lower case, no spaces or hyphens
}

var leakBackups = []leakBackup{{
	service: "google",
	typed: []string{
		"7391 4862",  // valid
		"73914862",   // the same code again: a duplicate names both places
		"582O 4716",  // O for 0: probably 58204716
		"2608 35591", // a 5 typed twice: probably 26083591
		"9471 352",   // a digit dropped
		"649 173",    // an authenticator code given as a backup code
	},
	secrets: []string{"73914862", "582o4716", "58204716", "260835591", "26083591", "9471352", "649173"},
}, {
	service: "github",
	typed:   []string{"3f9c2-b7ld4"}, // l for 1: probably 3f9c2-b71d4
	secrets: []string{"3f9c2b7ld4", "3f9c2b71d4"},
}}

// assertNoBackupCode fails if text holds any of secrets in any case, with or without
// the spaces and hyphens a code may be written with ("7391 4862", "7391-4862").
func assertNoBackupCode(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	plain := flattened(text)
	for _, s := range secrets {
		if strings.Contains(plain, strings.ToUpper(s)) {
			t.Errorf("%s holds the backup code %s…:\n%s", where, s[:3], text)
		}
	}
}

// TestNoCommandLeaksBackupCodes runs the commands that read backup codes, with known
// codes from every source, in every format (with and without -v and --output), and
// explains each saved report: no whole code, as typed or as probably meant, may show.
func TestNoCommandLeaksBackupCodes(t *testing.T) {
	dir := t.TempDir()
	for _, b := range leakBackups {
		file := filepath.Join(dir, b.service+"-codes.txt")
		if err := os.WriteFile(file, []byte(strings.Join(b.typed, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		var flags []string
		for _, code := range b.typed {
			flags = append(flags, "--backup-code", code)
		}
		sources := []struct {
			name, stdin string
			args        []string
		}{
			{"flags", "", flags},
			{"file", "", []string{"--backup-file", file}},
			{"stdin", strings.Join(b.typed, "\n"), []string{"--backup-file", "-"}},
		}
		for _, cmd := range []string{"backup", "check", "ticket"} {
			for _, src := range sources {
				args := append([]string{cmd, "--offline", "--service", b.service}, src.args...)
				eachReport(t, strings.Join([]string{b.service, cmd, src.name}, "/"), dir, args, func(t *testing.T, format string, args []string, output string) {
					r := execCLI(t, nil, src.stdin, args...)
					if r.code != exitFailed {
						t.Errorf("exit %d, want %d (findings): %s", r.code, exitFailed, r.stderr)
					}
					assertNoBackupCode(t, "stdout", r.stdout, b.secrets)
					assertNoBackupCode(t, "stderr", r.stderr, b.secrets)
					data, err := os.ReadFile(output)
					if err != nil {
						t.Fatal(err)
					}
					assertNoBackupCode(t, "the --output file", string(data), b.secrets)
					if format != diag.FormatJSON {
						return
					}
					for _, f := range diag.Formats {
						r := execCLI(t, nil, "", "explain", output, "--format", f)
						assertNoBackupCode(t, "explain --format "+f, r.stdout+r.stderr, b.secrets)
					}
				})
			}
		}
		// mark-used refuses a list with a mistyped code: the refusal must not leak either.
		r := execCLI(t, nil, "", append([]string{"backup", "mark-used", "--service", b.service}, b.typed...)...)
		if r.code != exitUsage {
			t.Errorf("mark-used with mistyped codes: exit %d, want %d", r.code, exitUsage)
		}
		assertNoBackupCode(t, "mark-used", r.stdout+r.stderr, b.secrets)
	}
	// The test can see a leak: backup --reveal names the code probably meant.
	r := execCLI(t, nil, "", "backup", "--offline", "--service", "google", "--backup-code", "582O 4716", "--reveal")
	if r.code != exitFailed || !strings.Contains(r.stdout, "5820 4716") {
		t.Fatalf("backup --reveal: exit %d, code meant shown: %v\n%s", r.code, strings.Contains(r.stdout, "5820 4716"), r.stderr)
	}
}
