package fileio

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// As root, -o /dev/null made /dev/null a regular file. A device of the test's own
// (the null device's numbers, 1:3) shows the fix without risking the system's.
func TestWriteFileDeviceAsRoot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "null")
	if err := syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("cannot make a device (root only): %v", err)
	}
	before, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("discarded"), 0o600); err != nil {
		t.Fatal(err)
	}
	after, err := os.Lstat(path)
	if err != nil || after.Mode()&fs.ModeCharDevice == 0 || !os.SameFile(before, after) || after.Mode() != before.Mode() {
		t.Errorf("the device was replaced: %v, %v", after.Mode(), err)
	}
	onlyFiles(t, filepath.Dir(path), "null")
}

// A descriptor (/dev/fd/N, /proc/self/fd/N, and so /dev/stdout) is written in place:
// a pipe gets the data, and a file open on it is appended to, not replaced.
func TestWriteFileDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := WriteFile(fmt.Sprintf("/dev/fd/%d", w.Fd()), []byte("through the pipe"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if got, _ := io.ReadAll(r); string(got) != "through the pipe" {
		t.Errorf("the pipe got %q", got)
	}

	dir := t.TempDir()
	out := filepath.Join(dir, "out.txt")
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("printed first\n")
	stdout := filepath.Join(dir, "stdout") // as /dev/stdout is, a link to a descriptor
	if err := os.Symlink(fmt.Sprintf("/proc/self/fd/%d", f.Fd()), stdout); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(out)
	if err := WriteFile(stdout, []byte("then the report\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantContent(t, out, "printed first\nthen the report\n")
	if after, err := os.Stat(out); err != nil || !os.SameFile(before, after) || after.Mode().Perm() != 0o644 {
		t.Errorf("the file behind the descriptor was replaced: %v", err)
	}
}
