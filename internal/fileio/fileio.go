// Package fileio reads input with a size cap and writes files atomically. Every reader
// of user input goes through ReadAll, so that /dev/zero ends in a clear error, never a
// hang or an exhausted memory, and standard input through ReadFile, so that a pipe that
// goes silent without closing does too; every file otpdoctor writes goes through
// WriteFile (write.go), so that no failure or signal leaves a half-written file or a
// temporary one, and a device or a link named is written, never replaced.
package fileio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
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
//
// A path that is not a regular file (a FIFO, /dev/stdin, a terminal) is waited for as
// standard input is: opening it (which for a FIFO waits for a writer) and each read
// give up after StdinIdle of silence, and ctx (Ctrl-C) ends the wait at once.
func ReadFile(ctx context.Context, path string, stdin io.Reader, limit int64) ([]byte, error) {
	if path == "-" {
		return ReadAll(newIdleReader(ctx, stdin, StdinIdle), limit, "standard input")
	}
	f, err := openWaiting(ctx, path, StdinIdle)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return nil, err
	case info.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a file", path)
	case info.Mode().IsRegular():
		return ReadAll(f, limit, path)
	}
	return ReadAll(newIdleReader(ctx, f, StdinIdle), limit, path)
}

// openWaiting opens path for reading, giving up after idle or when ctx ends: open(2)
// of a FIFO blocks until someone opens it for writing, and cannot be interrupted, so
// it runs in the background; a late open is closed at once.
func openWaiting(ctx context.Context, path string, idle time.Duration) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		done <- opened{f, err}
	}()
	timer := time.NewTimer(idle)
	defer timer.Stop()
	var err error
	select {
	case o := <-done:
		return o.f, o.err // *PathError already names the file and the reason
	case <-timer.C:
		err = fmt.Errorf("%s: %w: nobody opened it for writing within %s (is it a pipe nothing writes to?)", path, ErrIdle, idle)
	case <-ctx.Done():
		err = fmt.Errorf("opening %s: %w", path, ctx.Err())
	}
	go func() {
		if o := <-done; o.f != nil {
			o.f.Close()
		}
	}()
	return nil, err
}

// StdinIdle is how long standard input may stay silent, neither sending nor closing,
// before reading it gives up. Long enough for a password manager that asks for its
// passphrase first; short enough that a forgotten pipe ends.
const StdinIdle = 30 * time.Second

// ErrIdle is returned (wrapped) when standard input stays silent for StdinIdle.
var ErrIdle = errors.New("the input went silent without being closed")

// idleReader reads r in the background, so that a read that waits longer than idle for
// its next bytes, or past the end of ctx, can give up (a blocking read cannot be
// interrupted).
type idleReader struct {
	ctx     context.Context
	idle    time.Duration
	chunks  chan chunk
	pending []byte
	err     error
}

type chunk struct {
	data []byte
	err  error
}

func newIdleReader(ctx context.Context, r io.Reader, idle time.Duration) *idleReader {
	ir := &idleReader{ctx: ctx, idle: idle, chunks: make(chan chunk, 1)}
	go func() {
		for {
			buf := make([]byte, 32<<10)
			n, err := r.Read(buf)
			ir.chunks <- chunk{buf[:n], err}
			if err != nil {
				return
			}
		}
	}()
	return ir
}

func (ir *idleReader) Read(p []byte) (int, error) {
	if len(ir.pending) == 0 && ir.err == nil {
		timer := time.NewTimer(ir.idle)
		defer timer.Stop()
		select {
		case c := <-ir.chunks:
			ir.pending, ir.err = c.data, c.err
		case <-timer.C:
			return 0, fmt.Errorf("%w: nothing arrived for %s (close it with Ctrl-D, or give a file instead)", ErrIdle, ir.idle)
		case <-ir.ctx.Done():
			return 0, ir.ctx.Err()
		}
	}
	n := copy(p, ir.pending)
	ir.pending = ir.pending[n:]
	if n == 0 {
		return 0, ir.err
	}
	return n, nil
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
