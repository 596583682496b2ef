package fileio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadAllCaps(t *testing.T) {
	if data, err := ReadAll(strings.NewReader("12345"), 5, "x"); err != nil || string(data) != "12345" {
		t.Errorf("at the cap: %q, %v", data, err)
	}
	_, err := ReadAll(strings.NewReader("123456"), 5, "key file k.txt")
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "key file k.txt is larger than 5 bytes") {
		t.Errorf("past the cap: %v", err)
	}
	// An endless stream ends at the cap instead of filling memory.
	if _, err := ReadAll(endless{}, MaxInput, "standard input"); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1 MiB") {
		t.Errorf("endless stream: %v", err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(dir, nil, MaxInput); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), nil, MaxInput); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if data, err := ReadFile("-", strings.NewReader("from stdin"), MaxInput); err != nil || string(data) != "from stdin" {
		t.Errorf("stdin: %q, %v", data, err)
	}
}

func TestWriteAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.json")
	for _, content := range []string{"first", "second, longer"} {
		if err := WriteAtomic(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != content {
			t.Errorf("content %q, want %q", got, content)
		}
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", info.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// A failed write names the file asked for, not the temporary file it goes through.
func TestWriteAtomicErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-folder", "report.json")
	err := WriteAtomic(missing, nil, 0o600)
	if !errors.Is(err, os.ErrNotExist) || err.Error() != missing+": no such file or directory" {
		t.Errorf("into a missing folder: %v", err)
	}
	err = WriteAtomic(dir, nil, 0o600)
	if err == nil || !strings.HasPrefix(err.Error(), dir+": ") || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("over a directory: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
