//go:build unix

package fileio

import (
	"errors"
	"os"
	"syscall"
)

// openInPlace opens path to append to it. The open does not wait: a FIFO nobody reads
// is an error at once (ENXIO) instead of a hang in open(2); the writes then wait for
// the reader, as any writer's do.
func openInPlace(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|syscall.O_NONBLOCK, 0)
	if errors.Is(err, syscall.ENXIO) {
		return nil, errors.New("it is a pipe that nothing reads (start its reader first)")
	}
	if err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(int(f.Fd()), false); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
