package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skip2/go-qrcode"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/qrterm/qrtermtest"
)

func init() {
	// writeqr FILE TEXT: draw TEXT as a QR code into the PNG image FILE.
	scriptCmds["writeqr"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: writeqr FILE TEXT")
		}
		if err := qrcode.WriteFile(args[1], qrcode.Medium, 400, ts.MkAbs(args[0])); err != nil {
			ts.Fatalf("writeqr: %v", err)
		}
	}
}

// leakKey is the known key of the leak test: 160 bits.
var leakKey = []byte("otpdoctor-leak-test!")

// leakCommands are the commands the leak test runs with a known key, in every format,
// with and without -v and --output. Tests of other commands (match, code, backup, ...)
// add theirs from an init function in their own _test.go file.
var leakCommands = [][]string{
	{"check"},
	{"check", "--code", "123456", "--backup-code", "12345678"},
	{"ticket", "--code", "123456"},
	{"secret"},
	{"secret", "list"},
	{"secret", "show"}, // refused without --reveal: the refusal must not leak either
	{"match", "--code", "123456", "--code", "654321"},
	{"code"},
	{"backup", "--backup-code", "12345678"},
}

// cliRun is one in-process run of otpdoctor.
type cliRun struct {
	code           int
	stdout, stderr string
}

// execCLI runs otpdoctor in-process with env as its whole environment and stdin.
func execCLI(t testing.TB, env map[string]string, stdin string, args ...string) cliRun {
	t.Helper()
	return execCLIOn(t, false, env, stdin, args...)
}

// execCLIOn is execCLI with stdout and stderr terminals or not, as tty says.
func execCLIOn(t testing.TB, tty bool, env map[string]string, stdin string, args ...string) cliRun {
	t.Helper()
	var out, errOut bytes.Buffer
	s := &streams{
		In: strings.NewReader(stdin), Out: &out, Err: &errOut, OutTTY: tty, ErrTTY: tty,
		Getenv: func(k string) string { return env[k] },
	}
	code := run(context.Background(), patient(args), s)
	return cliRun{code, out.String(), errOut.String()}
}

// eachReport runs test for args in every format, with and without -v, writing the
// report to output (--output, in dir) as well: a subtest each, named name/format[/-v].
func eachReport(t *testing.T, name, dir string, args []string, test func(t *testing.T, format string, args []string, output string)) {
	t.Helper()
	for _, format := range diag.Formats {
		for _, verbose := range []bool{false, true} {
			run := append(slices.Clip(args), "--format", format)
			sub := name + "/" + format
			if verbose {
				sub += "/-v"
				run = append(run, "-v")
			}
			output := filepath.Join(dir, "report.out")
			os.Remove(output)
			run = append(run, "--output", output)
			t.Run(sub, func(t *testing.T) { test(t, format, run, output) })
		}
	}
}

// leakForms are the ways the key could show up: any 16 characters of its base32 (from
// every eighth one), the start of its hex and base64 (standard and URL), its raw
// bytes, and the URI that carried it (if one did). assertNoKey finds them in any case,
// spaced or grouped.
func leakForms(key []byte, uri string) []string {
	b32 := secret.EncodeBase32(key)
	var forms []string
	for i := 0; i+16 <= len(b32); i += 8 {
		forms = append(forms, b32[i:i+16])
	}
	forms = append(forms, hex.EncodeToString(key)[:16], base64.StdEncoding.EncodeToString(key)[:16], base64.RawURLEncoding.EncodeToString(key)[:16], string(key))
	if uri != "" {
		forms = append(forms, uri)
	}
	return forms
}

// assertNoKey fails if text holds any of forms: as they are, or in any case with
// spaces, dashes or line breaks between their characters (a key shown in groups, or
// wrapped).
func assertNoKey(t *testing.T, where, text string, forms []string) {
	t.Helper()
	flat := flattened(text)
	for _, f := range forms {
		if strings.Contains(text, f) || flattened(f) != "" && strings.Contains(flat, flattened(f)) {
			t.Errorf("%s holds the key (as %q...)", where, f[:8])
		}
	}
}

// flattened is text in capitals without whitespace, dashes and zero-width spaces, or
// "" for text that is not UTF-8 (raw key bytes, compared as they are).
func flattened(text string) string {
	if !utf8.ValidString(text) {
		return ""
	}
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '\u200b' {
			return -1
		}
		return r
	}, text))
}

func TestNoCommandLeaksTheKey(t *testing.T) {
	uri := "otpauth://totp/Leak:test?secret=" + secret.EncodeBase32(leakKey) + "&issuer=Leak"
	// A malformed copy of the key (one character wrong) must not leak through errors.
	badB32 := secret.EncodeBase32(leakKey)[:31] + "0"
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.txt")
	if err := os.WriteFile(keyFile, []byte(uri+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sources := []struct {
		name  string
		env   map[string]string
		args  []string
		forms []string
	}{
		{"env", map[string]string{secretEnv: uri}, nil, leakForms(leakKey, uri)},
		{"file", nil, []string{"--secret-file", keyFile}, leakForms(leakKey, uri)},
		{"malformed", map[string]string{secretEnv: badB32}, nil, []string{badB32, badB32[:16], strings.ToLower(badB32)}},
	}
	for _, cmd := range leakCommands {
		for _, src := range sources {
			args := append(append(append([]string{}, cmd...), src.args...), "--offline")
			eachReport(t, strings.Join(cmd, " ")+"/"+src.name, dir, args, func(t *testing.T, _ string, args []string, output string) {
				r := execCLI(t, src.env, "", args...)
				assertNoKey(t, "stdout", r.stdout, src.forms)
				assertNoKey(t, "stderr", r.stderr, src.forms)
				if data, err := os.ReadFile(output); err == nil {
					assertNoKey(t, "the --output file", string(data), src.forms)
				}
			})
		}
	}
	// The test can see a leak: `secret show --reveal` is the one place the key appears.
	r := execCLI(t, map[string]string{secretEnv: uri}, "", "secret", "show", "--reveal")
	if r.code != exitOK || !strings.Contains(r.stdout, secret.EncodeBase32(leakKey)) {
		t.Fatalf("secret show --reveal: exit %d, key shown: %v\n%s", r.code, strings.Contains(r.stdout, secret.EncodeBase32(leakKey)), r.stderr)
	}
}

// stdinOnce is a reader that fails when read after its end: a pipe read twice.
type stdinOnce struct {
	r    io.Reader
	done bool
}

func (s *stdinOnce) Read(p []byte) (int, error) {
	if s.done {
		return 0, errors.New("standard input read twice")
	}
	n, err := s.r.Read(p)
	if err == io.EOF {
		s.done = true
	}
	return n, err
}

func TestKeyIsReadOnce(t *testing.T) {
	a := &app{ctx: t.Context(), io: &streams{In: &stdinOnce{r: strings.NewReader("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n")}, Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}}
	a.opts.secretFiles = []string{"-"}
	first, err := a.key()
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.key()
	if err != nil || second != first {
		t.Fatalf("second key() = %v, %v; want the same key", second, err)
	}
	if _, err := a.keySource(); err != nil {
		t.Fatal(err)
	}
}

// ctrlC, as the text typed at the prompt, stands for Ctrl-C pressed there.
const ctrlC = "\x03"

func TestKeyContract(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, perm os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), perm); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, perm) // past the umask
		return p
	}
	sound := write("sound.txt", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n", 0o600)
	shared := write("shared.txt", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n", 0o644)
	bad := write("bad.txt", "JBSWY3DPEHPK3PX0\n", 0o600)
	encrypted := write("aegis.json", `{"header": {"slots": [{}]}, "db": "AAAA"}`, 0o600)
	big := write("big.txt", strings.Repeat("A", 2<<20), 0o600)
	two := write("two.txt", "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\notpauth://totp/GitLab:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n", 0o600)

	for _, tc := range []struct {
		name      string
		opts      globalOptions
		env       map[string]string
		tty       bool
		hidden    string
		wantKey   bool
		wantErr   string // "" none, "usage" a usage error, "parse" a *secret.ParseError, "interrupted" exit 130
		errSays   string
		stderrHas string
	}{
		{name: "nothing given", wantErr: ""},
		{name: "file", opts: globalOptions{secretFiles: []string{sound}}, wantKey: true},
		{name: "file readable by others warns", opts: globalOptions{secretFiles: []string{shared}}, wantKey: true, stderrHas: "can be read by other users of this computer (mode 0644): run chmod 600"},
		{name: "env", env: map[string]string{secretEnv: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}, wantKey: true},
		{name: "--secret warns", opts: globalOptions{secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}, wantKey: true, stderrHas: "other users of this computer can see it and your shell history keeps it"},
		{name: "flag beats env", opts: globalOptions{secretFiles: []string{bad}}, env: map[string]string{secretEnv: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}, wantErr: "parse"},
		{name: "prompt", opts: globalOptions{askSecret: true}, tty: true, hidden: "jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp", wantKey: true, stderrHas: "2FA key (typing is hidden): "},
		{name: "nothing typed at the prompt", opts: globalOptions{askSecret: true}, tty: true, hidden: " ", wantErr: "usage", errSays: "nothing was typed at the prompt", stderrHas: "2FA key (typing is hidden): "},
		{name: "Ctrl-C at the prompt ends the run", opts: globalOptions{askSecret: true}, tty: true, hidden: ctrlC, wantErr: "interrupted", stderrHas: "2FA key (typing is hidden): "},
		{name: "--secret-file - from a terminal", opts: globalOptions{secretFiles: []string{"-"}}, tty: true, wantErr: "usage", errSays: "the key would show as you type it"},
		{name: "--qr - from a terminal", opts: globalOptions{qrs: []string{"-"}}, tty: true, wantErr: "usage", errSays: "an image cannot be typed"},
		{name: "prompt without a terminal", opts: globalOptions{askSecret: true}, wantErr: "usage", errSays: "--ask-secret needs a terminal"},
		{name: "two sources", opts: globalOptions{secretFiles: []string{sound}, secret: "x"}, wantErr: "usage", errSays: "--secret-file and --secret cannot be used together"},
		{name: "malformed is a parse error", opts: globalOptions{secretFiles: []string{bad}}, wantErr: "parse", errSays: "column 16: the digit 0"},
		{name: "missing file", opts: globalOptions{secretFiles: []string{filepath.Join(dir, "nope")}}, wantErr: "usage", errSays: "cannot read the key"},
		{name: "too large", opts: globalOptions{secretFiles: []string{big}}, wantErr: "usage", errSays: "larger than 1 MiB"},
		{name: "encrypted", opts: globalOptions{secretFiles: []string{encrypted}}, wantErr: "usage", errSays: "is an Aegis vault that is encrypted: otpdoctor never asks for backup passwords"},
		{name: "several accounts need --account", opts: globalOptions{secretFiles: []string{two}}, wantErr: "usage", errSays: "holds 2 accounts:\n  GitHub"},
		{name: "--account picks", opts: globalOptions{secretFiles: []string{two}, account: "gitlab"}, wantKey: true},
		{name: "--account ambiguous", opts: globalOptions{secretFiles: []string{two}, account: "ALICE"}, wantErr: "usage", errSays: `--account "ALICE" matches 2 accounts`},
		{name: "--account matches nothing", opts: globalOptions{secretFiles: []string{two}, account: "bank"}, wantErr: "usage", errSays: "fingerprint " + secret.Fingerprint([]byte("12345678901234567890"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errOut bytes.Buffer
			a := &app{ctx: t.Context(), opts: tc.opts, io: &streams{In: strings.NewReader(""), Out: io.Discard, Err: &errOut, InTTY: tc.tty,
				Getenv: func(k string) string { return tc.env[k] }}}
			saved := readHidden
			readHidden = func(*streams) ([]byte, error) {
				if tc.hidden == ctrlC {
					return nil, errPromptInterrupted
				}
				return []byte(tc.hidden), nil
			}
			defer func() { readHidden = saved }()

			k, err := a.key()
			var usage *usageError
			var parse *secret.ParseError
			switch tc.wantErr {
			case "":
				if err != nil {
					t.Fatalf("key() error: %v", err)
				}
			case "usage":
				if !errors.As(err, &usage) {
					t.Fatalf("key() error = %v, want a usage error", err)
				}
			case "interrupted":
				if status, ok := err.(exitStatus); !ok || status != exitInterrupted {
					t.Fatalf("key() error = %v, want exit status %d", err, exitInterrupted)
				}
			case "parse":
				if !errors.As(err, &parse) || errors.As(err, &usage) {
					t.Fatalf("key() error = %v, want a *secret.ParseError and no usage error", err)
				}
			}
			if (k != nil) != tc.wantKey {
				t.Errorf("key() = %v, want a key: %v", k != nil, tc.wantKey)
			}
			if err != nil && !strings.Contains(err.Error(), tc.errSays) {
				t.Errorf("error %q does not say %q", err, tc.errSays)
			}
			if !strings.Contains(errOut.String(), tc.stderrHas) {
				t.Errorf("stderr %q does not say %q", errOut.String(), tc.stderrHas)
			}
			if tc.stderrHas == "" && errOut.Len() > 0 {
				t.Errorf("unexpected stderr: %q", errOut.String())
			}
		})
	}
}

func TestQRImageWithoutCode(t *testing.T) {
	var blank bytes.Buffer
	if err := png.Encode(&blank, image.NewGray(image.Rect(0, 0, 64, 64))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "shot.png")
	if err := os.WriteFile(path, blank.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	r := execCLI(t, nil, "", "secret", "--qr", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, "shot.png: no QR code found in the PNG image") ||
		!strings.Contains(r.stderr, "\nhint: give a sharp PNG, JPEG, GIF, WebP or BMP screenshot of the QR code") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

func TestSecretPartSkipsWithoutKey(t *testing.T) {
	a := &app{ctx: t.Context(), io: &streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}}
	c, err := (&secretPart{}).build(a)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := c.(diag.Skipped); !ok || s.Reason != noKeyHint || s.ID() != secret.CheckID {
		t.Errorf("build() = %#v, want a skip naming the key flags", c)
	}
}

func TestSecretShowReveal(t *testing.T) {
	uri := "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub&digits=8"
	env := map[string]string{secretEnv: uri}
	r := execCLI(t, env, "", "secret", "show")
	if r.code != exitUsage || !strings.Contains(r.stderr, "needs --reveal") || !strings.Contains(r.stderr, "hint: add --reveal") || r.stdout != "" {
		t.Errorf("without --reveal: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = execCLI(t, env, "", "secret", "show", "--reveal")
	for _, want := range []string{
		"Key (base32): JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n",
		"URI:          otpauth://totp/GitHub:alice?digits=8&issuer=GitHub&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--reveal output lacks %q:\n%s", want, r.stdout)
		}
	}
	// Not on a terminal, nothing says the background is light: drawn for a dark one.
	if text, err := qrtermtest.Decode(strings.Split(r.stdout, "\n"), false); err != nil || text != "otpauth://totp/GitHub:alice?digits=8&issuer=GitHub&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" {
		t.Errorf("the QR code drawn does not scan back to the URI: %q, %v", text, err)
	}
	if !strings.HasSuffix(r.stdout, "\nSetup key, to type by hand: JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP\n") {
		t.Errorf("the output does not end with the setup key in fours:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "warning: this is your 2FA key") {
		t.Errorf("no warning on stderr: %q", r.stderr)
	}
	r = execCLI(t, env, "", "secret", "show", "--reveal", "--output", filepath.Join(t.TempDir(), "x"))
	if r.code != exitUsage {
		t.Errorf("--reveal with --output: exit %d", r.code)
	}
}
