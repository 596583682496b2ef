//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/otpdoctor/otpdoctor/checks/backup"
	"github.com/otpdoctor/otpdoctor/diag"
)

// Ctrl-C while otpdoctor waits for input that never comes (a FIFO nobody writes to, in
// every place that reads a file) ends the run at once: exit 130, one line.
func TestCtrlCWhileWaitingForInput(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	for _, args := range [][]string{
		{"check", "--offline", "--secret-file", fifo},
		{"check", "--offline", "--qr", fifo},
		{"backup", "--service", "github", "--backup-file", fifo},
		{"check", "--offline", "--profiles", fifo},
		{"explain", fifo},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // Ctrl-C, before anyone opens the FIFO for writing
		var out, errOut bytes.Buffer
		s := &streams{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
		code := run(ctx, args, s)
		if code != exitInterrupted || errOut.String() != "otpdoctor: interrupted\n" {
			t.Errorf("%s: exit %d, stderr %q", strings.Join(args, " "), code, errOut.String())
		}
		// Release the open(2) the run abandoned (without waiting, should there be none).
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	}
}

// mkfifo makes a FIFO at path, or skips t where there are none.
func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	return path
}

// TestHostileFIFO: a FIFO nobody writes to, in every place that reads a file, and a
// standard input that stays silent without closing, end after fileio.StdinIdle with
// one line saying what went silent, never a hang (go test's -timeout is the bound
// against one). The rows wait all at once; their allocations are bounded together.
func TestHostileFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := mkfifo(t, filepath.Join(dir, "fifo"))
	config := filepath.Join(dir, "config")
	t.Setenv("XDG_CONFIG_HOME", config)
	if err := os.MkdirAll(filepath.Join(config, "otpdoctor"), 0o700); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, filepath.Join(config, "otpdoctor", backup.LedgerFile))
	silent, _ := io.Pipe() // never written to, never closed
	rows := []hostileRow{
		{name: "key file", args: []string{"check", "--offline", "--secret-file", fifo}, code: exitUsage, says: fifo + ": the input went silent"},
		{name: "QR image", args: []string{"check", "--offline", "--qr", fifo}, code: exitUsage, says: fifo + ": the input went silent"},
		{name: "backup file", args: []string{"backup", "--service", "github", "--backup-file", fifo}, code: exitUsage, says: fifo + ": the input went silent"},
		{name: "profiles", args: []string{"check", "--offline", "--profiles", fifo}, code: exitUsage, says: fifo + ": the input went silent"},
		{name: "report", args: []string{"explain", fifo}, code: exitUsage, says: fifo + ": the input went silent"},
		{name: "ledger", args: []string{"backup", "--service", "github", "--backup-code", "1a2b3-c4d5e"}, code: exitOK, says: "the input went silent"},
		{name: "ledger, mark-used", args: []string{"backup", "mark-used", "--service", "github", "1a2b3-c4d5e"}, code: exitUsage, says: "the input went silent"},
		{name: "stdin", args: []string{"explain", "-"}, stdin: silent, code: exitUsage, says: "standard input: the input went silent"},
	}
	runs := make([]chan hostileRun, len(rows))
	for i, row := range rows {
		runs[i] = make(chan hostileRun, 1)
		go func() { runs[i] <- execHostile(row) }()
	}
	for i, row := range rows {
		t.Run(row.name, func(t *testing.T) { assertHostile(t, row, <-runs[i]) })
	}
}

// TestHostileLedger: the used-codes ledger replaced by what is no ledger (/dev/zero, a
// directory, terminal escapes, a cut-off file) is reported as damaged: the backup
// check says so and goes on (exit 0, a warning), mark-used refuses to touch it.
func TestHostileLedger(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	ledger := filepath.Join(config, "otpdoctor", backup.LedgerFile)
	if err := os.MkdirAll(filepath.Dir(ledger), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, put := range map[string]func() error{
		"/dev/zero":   func() error { return os.Symlink("/dev/zero", ledger) },
		"a directory": func() error { return os.Mkdir(ledger, 0o700) },
		"escapes":     func() error { return os.WriteFile(ledger, []byte(hostileText), 0o600) },
		"cut off":     func() error { return os.WriteFile(ledger, []byte(`{"version": 1, "used": [{"service": "gith`), 0o600) },
	} {
		t.Run(name, func(t *testing.T) {
			if err := put(); err != nil {
				t.Fatal(err)
			}
			defer os.RemoveAll(ledger)
			runHostile(t, hostileRow{args: []string{"backup", "--service", "github", "--backup-code", "1a2b3-c4d5e"}, code: exitOK, says: "used-codes ledger"})
			runHostile(t, hostileRow{args: []string{"backup", "mark-used", "--service", "github", "1a2b3-c4d5e"}, code: exitUsage, says: diag.Visible(ledger)})
		})
	}
	t.Run("damaged is not a used code", func(t *testing.T) {
		if err := os.WriteFile(ledger, []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(ledger)
		r := execHostile(hostileRow{args: []string{"backup", "--service", "github", "--backup-code", "1a2b3-c4d5e", "--format", "json"}})
		if strings.Contains(r.stdout, string(diag.CauseBackupCodeUsed)) {
			t.Errorf("a damaged ledger is called a used code:\n%s", r.stdout)
		}
	})
}
