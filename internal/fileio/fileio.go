// Package fileio reads input with a size cap and writes files atomically. Every reader
// of user input goes through ReadAll, so that /dev/zero or a pipe that never closes ends
// in a clear error, never a hang on memory; every writer of anything sensitive goes
// through WriteAtomic, so that a crash never leaves a half-written file.
package fileio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MaxInput is the cap on key files, code lists, backup files, profiles and reports.
const MaxInput = 1 << 20

// ErrTooLarge is returned (wrapped) when an input exceeds its cap.
var ErrTooLarge = errors.New("input too large")

// ReadAll reads r to the end, failing once more than limit bytes arrive. name says
// what is being read ("key file secrets.txt") for the error message.
func ReadAll(r io.Reader, limit int64, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %s: %w", name, humanBytes(limit), ErrTooLarge)
	}
	return data, nil
}

// ReadFile reads the file at path, or stdin when path is "-", with the cap limit.
// Errors name the file and never include its content.
func ReadFile(path string, stdin io.Reader, limit int64) ([]byte, error) {
	if path == "-" {
		return ReadAll(stdin, limit, "standard input")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError already names the file and the reason
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a file", path)
	}
	return ReadAll(f, limit, path)
}

// WriteAtomic writes data to path through a temporary file in the same directory and a
// rename, so readers see the old file or the new one, never a mix. The file gets perm
// (0600 for anything sensitive) from its creation on. Errors name path, never the
// temporary file.
func WriteAtomic(path string, data []byte, perm os.FileMode) error {
	if err := writeAtomic(path, data, perm); err != nil {
		var pathErr *os.PathError
		var linkErr *os.LinkError
		switch {
		case errors.As(err, &pathErr):
			err = pathErr.Err
		case errors.As(err, &linkErr):
			err = linkErr.Err
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
