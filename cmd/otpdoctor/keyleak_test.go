package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
)

// grouped is a base32 key as Google Authenticator shows it: lower case, in fours.
func grouped(b32 string) string {
	var groups []string
	for i := 0; i < len(b32); i += 4 {
		groups = append(groups, strings.ToLower(b32[i:min(i+4, len(b32))]))
	}
	return strings.Join(groups, " ")
}

// TestNoInputLeaksTheKey runs every leak command on the key sources the other leak
// tests leave out (--secret, standard input, the key grouped as apps show it), in every
// format with -vv and --output; then explains each saved report in every format, and
// reads the files otpdoctor keeps (the backup ledger): the key shows nowhere.
func TestNoInputLeaksTheKey(t *testing.T) {
	dir := t.TempDir()
	b32 := secret.EncodeBase32(leakKey)
	uri := "otpauth://totp/Leak:test?secret=" + b32 + "&issuer=Leak"
	forms := leakForms(leakKey, uri)
	sources := []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
	}{
		{"--secret", nil, "", []string{"--secret", b32}},
		{"stdin", nil, b32 + "\n", []string{"--secret-file", "-"}},
		{"stdin URI", nil, uri + "\n", []string{"--secret-file", "-"}},
		{"grouped file", nil, "", []string{"--secret-file", writeFile(t, dir, "grouped.txt", []byte(grouped(b32)+"\n"))}},
		{"grouped env", map[string]string{secretEnv: grouped(b32)}, "", nil},
	}
	commands := append(slices.Clip(leakCommands), []string{"backup", "mark-used", "--service", "github", "1a2b3-c4d5e"})
	for _, src := range sources {
		for _, cmd := range commands {
			for _, format := range diag.Formats {
				output := filepath.Join(dir, "report.out")
				os.Remove(output)
				args := concat(cmd, src.args, []string{"--offline", "--format", format, "-vv", "--output", output})
				t.Run(src.name+"/"+strings.Join(cmd, " ")+"/"+format, func(t *testing.T) {
					r := execCLI(t, src.env, src.stdin, args...)
					assertNoKey(t, "stdout", r.stdout, forms)
					assertNoKey(t, "stderr", r.stderr, forms)
					if data, err := os.ReadFile(output); err == nil {
						assertNoKey(t, "the --output file", string(data), forms)
					}
				})
			}
		}
		saved := filepath.Join(dir, "saved.json")
		if r := execCLI(t, src.env, src.stdin, concat([]string{"check", "--offline", "--format", "json", "--output", saved}, src.args)...); r.code == exitUsage {
			t.Fatalf("%s: the report to explain: %s", src.name, r.stderr)
		}
		for _, format := range diag.Formats {
			r := execCLI(t, nil, "", "explain", saved, "--format", format, "-vv")
			assertNoKey(t, src.name+": explain --format "+format, r.stdout+r.stderr, forms)
			if !strings.Contains(r.stdout, secret.Fingerprint(leakKey)) && format != diag.FormatJUnit {
				t.Errorf("%s: explain --format %s does not name the key by its fingerprint: the key was not read", src.name, format)
			}
		}
	}
	config, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	ledgers := 0
	filepath.WalkDir(filepath.Join(config, "otpdoctor"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			ledgers++
			data, _ := os.ReadFile(path)
			assertNoKey(t, path, string(data), forms)
		}
		return nil
	})
	if ledgers == 0 {
		t.Error("mark-used wrote no ledger to read")
	}
}

// A key typed at the hidden prompt of a real terminal (--ask-secret) shows nowhere on
// the screen, as it is typed or in the report, nor in the --output file.
func TestAskSecretShowsNoKey(t *testing.T) {
	b32 := secret.EncodeBase32(leakKey)
	output := filepath.Join(t.TempDir(), "ticket.md")
	term := startTerminal(t, 100, 150, nil, "check", "--ask-secret", "--offline", "-vv", "--output", output)
	term.waitFor("the prompt", func(screen []string) bool { return len(containing(screen, `2FA key \(typing is hidden\):`)) > 0 })
	term.tmux("send-keys", "-t", "otpdoctor", "-l", grouped(b32))
	term.tmux("send-keys", "-t", "otpdoctor", "Enter")
	screen := strings.Join(term.waitExit(), "\n")
	forms := leakForms(leakKey, "")
	assertNoKey(t, "the screen", screen, forms)
	if !strings.Contains(screen, secret.Fingerprint(leakKey)) {
		t.Errorf("the report does not name the key typed by its fingerprint:\n%s", screen)
	}
	data, err := os.ReadFile(output)
	if err != nil {
		t.Fatal(err)
	}
	assertNoKey(t, "the --output file", string(data), forms)
}

// A saved report whose --tried text holds a key (otpdoctor wrote it before it refused
// keys there) is explained without it.
func TestExplainHidesAKeyInTried(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "saved.json")
	if r := execCLI(t, nil, "", "check", "--offline", "--format", "json", "--tried", "PLACEHOLDER", "--output", saved); r.code == exitUsage {
		t.Fatal(r.stderr)
	}
	b32 := secret.EncodeBase32(leakKey)
	for _, typed := range []string{b32, grouped(b32), "otpauth://totp/Leak:test?secret=" + b32} {
		data := strings.Replace(string(readFile(t, saved)), "PLACEHOLDER", typed, 1)
		report := writeFile(t, dir, "old.json", []byte(data))
		for _, format := range diag.Formats {
			r := execCLI(t, nil, "", "explain", report, "--format", format)
			assertNoKey(t, "explain --format "+format, r.stdout+r.stderr, leakForms(leakKey, ""))
			if format == diag.FormatMarkdown && !strings.Contains(r.stdout, secret.KeyNotShown) {
				t.Errorf("the ticket does not say a key was left out:\n%s", r.stdout)
			}
		}
	}
}

// A key pasted at one of the guide's visible questions (a code, a file's path, the
// ticket's name) is not repeated by what the guide answers, nor saved.
func TestGuideDoesNotRepeatAKeyTypedAtAQuestion(t *testing.T) {
	t.Chdir(t.TempDir()) // where the ticket is saved
	b32 := secret.EncodeBase32(leakKey)
	for name, answers := range map[string][]string{
		"as the export's path": {"1", "1", "1", "1", "s", "", "3", b32, "", "4", "n"},
		"as the code":          {"1", "1", "1", "1", "s", grouped(b32), "", "4", "n"},
		"as the ticket's name": {"1", "1", "1", "1", "s", "", "4", "y", b32, "ticket.md"},
	} {
		r := execCLI(t, nil, strings.Join(answers, "\n")+"\n", "guide", "--accessible", "--offline")
		assertNoKey(t, name, r.stdout+r.stderr, leakForms(leakKey, ""))
		if r.code == exitUsage {
			t.Errorf("%s: exit 2: %s", name, r.stderr)
		}
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		assertNoKey(t, "a file name", e.Name(), leakForms(leakKey, ""))
	}
}
