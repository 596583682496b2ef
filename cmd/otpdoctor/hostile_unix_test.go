//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
