//go:build unix

package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	// pausefifo: make the FIFO $OTPDOCTOR_TEST_PAUSE, on which otpdoctor-paused-write
	// says it is mid-write.
	scriptCmds["pausefifo"] = func(ts *testscript.TestScript, neg bool, args []string) {
		path := ts.MkAbs("pause")
		ts.Check(syscall.Mkfifo(path, 0o600))
		ts.Setenv(pauseEnv, path)
	}
	// paused: wait until otpdoctor-paused-write is mid-write, and set $PAUSED_TMP to
	// its temporary file, which must exist then.
	scriptCmds["paused"] = func(ts *testscript.TestScript, neg bool, args []string) {
		line := make(chan string, 1)
		go func() {
			f, err := os.Open(ts.Getenv(pauseEnv)) // waits for the writer
			if err != nil {
				line <- err.Error()
				return
			}
			defer f.Close()
			text, _ := bufio.NewReader(f).ReadString('\n')
			line <- strings.TrimSpace(text)
		}()
		select {
		case tmp := <-line:
			tmp = ts.MkAbs(tmp) // relative to the script's folder, as --output's
			if _, err := os.Stat(tmp); err != nil {
				ts.Fatalf("paused with temporary file %q: %v", tmp, err)
			}
			ts.Setenv("PAUSED_TMP", tmp)
		case <-time.After(hangBound):
			ts.Fatalf("otpdoctor-paused-write did not reach its write within %s", hangBound)
		}
	}
}

// --output to a FIFO: one nobody reads is an error at once, not a hang; one with a
// reader gets the report, as a shell's >(...) does.
func TestOutputToAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	r := execCLI(t, nil, "", "check", "--offline", "--output", path)
	want := "otpdoctor: cannot write the report: " + path + ": it is a pipe that nothing reads (start its reader first)\n"
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, want) {
		t.Errorf("nobody reads: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
	if !strings.Contains(r.stdout, "Checks:") {
		t.Errorf("a write that fails cost the user the report on stdout:\n%s", r.stdout)
	}

	opened, read := make(chan struct{}), make(chan string, 1)
	go func() {
		f, err := os.Open(path)
		close(opened)
		if err != nil {
			read <- err.Error()
			return
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		read <- string(data)
	}()
	keep, err := os.OpenFile(path, os.O_RDWR, 0) // both ends, so the reader's open returns
	if err != nil {
		t.Fatal(err)
	}
	<-opened
	r = execCLI(t, nil, "", "check", "--offline", "--format", "json", "--output", path)
	keep.Close()
	if got := <-read; r.code != exitOK || got != r.stdout {
		t.Errorf("exit %d; the reader got %d bytes, standard output %d\n%s", r.code, len(got), len(r.stdout), r.stderr)
	}
}
