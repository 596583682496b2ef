package fileio

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	if _, err := ReadFile(context.Background(), dir, nil, MaxInput); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := ReadFile(context.Background(), filepath.Join(dir, "missing"), nil, MaxInput); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if data, err := ReadFile(context.Background(), "-", strings.NewReader("from stdin"), MaxInput); err != nil || string(data) != "from stdin" {
		t.Errorf("stdin: %q, %v", data, err)
	}
}

// A pipe that sends a little and then stays open without closing ends in an error after
// the idle time, with what it sent never read as a whole input.
func TestIdleStandardInputEnds(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	go w.Write([]byte("JBSWY3DP\n"))
	_, err := ReadAll(newIdleReader(context.Background(), r, 50*time.Millisecond), MaxInput, "standard input")
	if !errors.Is(err, ErrIdle) || !strings.Contains(err.Error(), "reading standard input: the input went silent without being closed: nothing arrived for 50ms") {
		t.Errorf("silent pipe: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "JBSWY3DP") {
		t.Errorf("the error repeats the input: %v", err)
	}
}

// Input that arrives in pieces, each within the idle time, is read whole.
func TestIdleReaderReadsSlowInputWhole(t *testing.T) {
	r, w := io.Pipe()
	go func() {
		for _, part := range []string{"JBSW", "Y3DP", strings.Repeat("A", 100<<10)} {
			w.Write([]byte(part)) // a pipe delivers each write to its own reads
		}
		w.Close()
	}()
	data, err := ReadAll(newIdleReader(context.Background(), r, time.Minute), MaxInput, "standard input")
	if err != nil || len(data) != 8+100<<10 || !strings.HasPrefix(string(data), "JBSWY3DPAAA") {
		t.Errorf("read %d bytes, %v", len(data), err)
	}
}

// mkfifo makes a FIFO in a temporary directory, or skips where there are none.
func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fifo")
	if err := makeFIFO(path); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	return path
}

// A FIFO nobody opens for writing ends in an error after the idle time, not a hang in
// open(2).
func TestFIFONobodyWritesTo(t *testing.T) {
	path := mkfifo(t)
	_, err := openWaiting(context.Background(), path, 50*time.Millisecond)
	if !errors.Is(err, ErrIdle) || !strings.Contains(err.Error(), "nobody opened it for writing within 50ms") {
		t.Errorf("a FIFO nobody writes to: %v", err)
	}
	releaseFIFO(t, path)
}

// Ctrl-C while a FIFO waits for a writer, or while its writer is silent, ends the
// read at once.
func TestFIFOInterrupted(t *testing.T) {
	path := mkfifo(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadFile(ctx, path, nil, MaxInput); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted while opening: %v", err)
	}
	releaseFIFO(t, path)

	ctx, cancel = context.WithCancel(context.Background())
	w := writeFIFO(t, path, "JBSW")
	defer w.Close()
	go func() {
		<-w.wrote
		cancel()
	}()
	if _, err := ReadFile(ctx, path, nil, MaxInput); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted while reading: %v", err)
	}
}

// A FIFO that is written to and closed is read whole, as a process substitution is.
func TestFIFORead(t *testing.T) {
	path := mkfifo(t)
	w := writeFIFO(t, path, "JBSWY3DP\n")
	go func() {
		<-w.wrote
		w.Close()
	}()
	data, err := ReadFile(context.Background(), path, nil, MaxInput)
	if err != nil || string(data) != "JBSWY3DP\n" {
		t.Errorf("read %q, %v", data, err)
	}
}

// An endless device ends at the cap.
func TestEndlessDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	if _, err := ReadFile(context.Background(), "/dev/zero", nil, MaxInput); !errors.Is(err, ErrTooLarge) {
		t.Errorf("/dev/zero: %v", err)
	}
}

// fifoWriter is the writing end of a FIFO, opened in the background (opening waits
// for a reader); wrote is closed once its text is written.
type fifoWriter struct {
	f     chan *os.File
	wrote chan struct{}
}

func writeFIFO(t *testing.T, path, text string) *fifoWriter {
	w := &fifoWriter{f: make(chan *os.File, 1), wrote: make(chan struct{})}
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			close(w.f)
			return
		}
		f.WriteString(text)
		close(w.wrote)
		w.f <- f
	}()
	return w
}

func (w *fifoWriter) Close() {
	if f := <-w.f; f != nil {
		f.Close()
	}
}

// releaseFIFO opens the FIFO for writing and closes it, so that the open an abandoned
// read left waiting returns.
func releaseFIFO(t *testing.T, path string) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}
