//go:build unix

package fileio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A signal that comes while a file is written removes the temporary file, renames
// nothing into place and ends the process with exit status 130. The signal is sent
// to this process, at the write's most exposed moment; exit is replaced to see it.
func TestWriteFileSignalledMidWrite(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		dir := t.TempDir()
		path := filepath.Join(dir, "report.json")
		if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		exited := make(chan int, 1)
		exit = func(code int) {
			exited <- code
			temps.Unlock() // the real exit never returns to let go of it
		}
		stopped := errors.New("stopped after the signal")
		TestHookBeforeRename = func(tmp string) error {
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			if code := <-exited; code != 130 {
				t.Errorf("%v: exit status %d, want 130", sig, code)
			}
			if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%v: the temporary file is still there once the process would end: %v", sig, err)
			}
			return stopped
		}
		if err := WriteFile(path, []byte("new"), 0o600); !errors.Is(err, stopped) {
			t.Errorf("%v: %v", sig, err)
		}
		wantContent(t, path, "old")
		onlyFiles(t, dir, "report.json")
	}
	exit, TestHookBeforeRename = os.Exit, nil
}

// CheckWritable refuses what WriteFile would refuse for what the path is, before any
// work, and opens nothing: a FIFO's reader must not see its input end.
func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, refused := range map[string]bool{
		filepath.Join(dir, "new.txt"):            false,
		fifo:                                     false,
		dir:                                      true,
		filepath.Join(dir, "missing", "new.txt"): true,
		filepath.Join(fifo, "new.txt"):           true,
	} {
		if err := CheckWritable(path); (err != nil) != refused {
			t.Errorf("CheckWritable(%s) = %v, want refused %v", path, err, refused)
		} else if err != nil && !strings.HasPrefix(err.Error(), path+": ") {
			t.Errorf("CheckWritable(%s) = %v: does not name the path", path, err)
		}
	}
}
