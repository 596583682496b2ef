package fileio

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// onlyFiles fails if dir holds anything but names, such as a temporary file left behind.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func wantContent(t *testing.T, path, want string) {
	t.Helper()
	if got, err := os.ReadFile(path); err != nil || string(got) != want {
		t.Errorf("%s holds %q (%v), want %q", path, got, err, want)
	}
}

func TestWriteFileReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	for _, content := range []string{"first", "second, longer"} {
		if err := WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		wantContent(t, path, content)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode() != 0o600 {
		t.Errorf("mode %v, %v; want a regular file, 0600", info.Mode(), err)
	}
	onlyFiles(t, dir, "report.json")
}

// A failed write names the file asked for, not the temporary file it goes through,
// and a folder is refused, not replaced.
func TestWriteFileErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-folder", "report.json")
	err := WriteFile(missing, nil, 0o600)
	if !errors.Is(err, os.ErrNotExist) || err.Error() != missing+": no such file or directory" {
		t.Errorf("into a missing folder: %v", err)
	}
	err = WriteFile(dir, nil, 0o600)
	if err == nil || err.Error() != dir+": it is a folder: give a file name, in it or elsewhere" {
		t.Errorf("over a folder: %v", err)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		t.Errorf("the folder is gone: %v", err)
	}
	onlyFiles(t, dir)
}

// A symbolic link is followed: its target is written, and the link stays a link. A
// dangling link gets its target; a chain is followed to its end; a loop is an error.
func TestWriteFileFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	link := func(name, to string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.Symlink(to, path); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
		return path
	}
	target := filepath.Join(dir, "target.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{link("to-target", "target.json"), link("to-link", "to-target")} {
		if err := WriteFile(path, []byte("new via "+filepath.Base(path)), 0o600); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Lstat(path); err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v", path, err)
		}
		wantContent(t, target, "new via "+filepath.Base(path))
	}

	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	dangling := link("dangling", filepath.Join("sub", "made.json"))
	if err := WriteFile(dangling, []byte("made"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantContent(t, filepath.Join(sub, "made.json"), "made")
	if info, err := os.Lstat(dangling); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the dangling link was replaced: %v", err)
	}

	loop := link("loop", "loop")
	if err := WriteFile(loop, nil, 0o600); err == nil || !strings.Contains(err.Error(), "a loop?") {
		t.Errorf("a loop of links: %v", err)
	}
	onlyFiles(t, sub, "made.json")
	onlyFiles(t, dir, "dangling", "loop", "sub", "target.json", "to-link", "to-target")
}

// A write that fails midway leaves neither a temporary file nor a changed target.
func TestWriteFileErrorMidWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("disk full, as it were")
	var tmp string
	TestHookBeforeRename = func(name string) error {
		tmp = name
		return failed
	}
	defer func() { TestHookBeforeRename = nil }()
	err := WriteFile(path, []byte(strings.Repeat("new", 1<<18)), 0o600)
	if !errors.Is(err, failed) || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("error %v, want %v naming only the file", err, failed)
	}
	if !strings.HasPrefix(filepath.Base(tmp), ".report.json.tmp-") {
		t.Errorf("temporary file %q", tmp)
	}
	wantContent(t, path, "old")
	onlyFiles(t, dir, "report.json")
}

// A device is written in place, never replaced; the one here is /dev/null. As root a
// regression would replace the system's /dev/null, so root tests a device of its own
// (write_linux_test.go) instead.
func TestWriteFileDevNull(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root: TestWriteFileDeviceAsRoot writes to a device of its own instead")
	}
	info, err := os.Stat(os.DevNull)
	if err != nil || info.Mode()&fs.ModeCharDevice == 0 {
		t.Skipf("no %s device here", os.DevNull)
	}
	if err := WriteFile(os.DevNull, []byte("discarded"), 0o600); err != nil {
		t.Fatal(err)
	}
	if after, err := os.Stat(os.DevNull); err != nil || after.Mode() != info.Mode() {
		t.Errorf("%s changed: %v, %v", os.DevNull, after.Mode(), err)
	}
}

// A FIFO nobody reads is an error at once, not a hang in open(2), and stays a FIFO.
// (One with a reader gets the report: cmd/otpdoctor's TestOutputToAFIFO.)
func TestWriteFileFIFONobodyReads(t *testing.T) {
	path := mkfifo(t)
	err := WriteFile(path, []byte("report"), 0o600)
	if err == nil || err.Error() != path+": it is a pipe that nothing reads (start its reader first)" {
		t.Errorf("a FIFO nobody reads: %v", err)
	}
	if info, err := os.Lstat(path); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}
}
