package fileio

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/otpdoctor/otpdoctor/internal/lazyre"
)

// WriteFile writes data to the file a user named, the way they expect whatever is there:
//
//   - nothing, or a regular file: written atomically, through a temporary file beside it
//     and a rename, created with perm (0600 for anything sensitive) from the start, so
//     readers see the old file or the new one, never a mix; no error and no Ctrl-C or
//     SIGTERM leaves the temporary file behind;
//   - a symbolic link: followed, so its target is written (atomically) and the link
//     stays; a dangling link's target is created;
//   - a character device (/dev/null, a terminal), a FIFO, or an open descriptor
//     (/dev/stdout, /dev/stderr, /dev/fd/N, a shell's >(...)): written in place,
//     appended to, never replaced (-o /dev/null as root made /dev/null a regular file);
//     a FIFO nobody reads is an error at once, not a hang;
//   - a directory, a block device or a socket: refused.
//
// Errors name path, never the temporary file.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	target, inPlace, err := destination(path)
	switch {
	case err != nil:
	case inPlace:
		err = writeInPlace(target, data)
	default:
		err = writeAtomic(target, data, perm)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, bareError(err))
	}
	return nil
}

// CheckWritable says, before any work is done, whether WriteFile(path) would be refused
// for what path is: a folder, a disk, a socket, or a new file in a folder that does not
// exist. It opens nothing (opening a FIFO would end its reader's input), so a write can
// still fail later, for a full disk or a pipe nobody reads.
func CheckWritable(path string) error {
	target, inPlace, err := destination(path)
	if err == nil && !inPlace {
		if info, statErr := os.Stat(filepath.Dir(target)); statErr != nil {
			err = statErr
		} else if !info.IsDir() {
			err = errors.New("its folder is not a folder")
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, bareError(err))
	}
	return nil
}

// bareError is err without the path an *os.PathError or *os.LinkError adds, which
// may be the temporary file's or a link's target.
func bareError(err error) error {
	var pathErr *os.PathError
	var linkErr *os.LinkError
	switch {
	case errors.As(err, &pathErr):
		return pathErr.Err
	case errors.As(err, &linkErr):
		return linkErr.Err
	}
	return err
}

// destination is where a write to path goes: the end of its symbolic links, and
// whether that is written in place (a device, a FIFO, a descriptor) rather than
// replaced atomically.
func destination(path string) (target string, inPlace bool, err error) {
	target, descriptor, err := followLinks(path)
	if err != nil || descriptor {
		return target, descriptor, err
	}
	info, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return target, false, nil // created; a missing folder is named when it is
	} else if err != nil {
		return "", false, err
	}
	switch mode := info.Mode(); {
	case mode.IsRegular():
		return target, false, nil
	case mode.IsDir():
		return "", false, errors.New("it is a folder: give a file name, in it or elsewhere")
	case mode&fs.ModeCharDevice != 0, mode&fs.ModeNamedPipe != 0:
		return target, true, nil
	}
	return "", false, fmt.Errorf("it is a %s, not a file, a terminal or a pipe", kindOf(info.Mode()))
}

// kindOf names a file that is not regular.
func kindOf(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeDevice != 0:
		return "block device (a disk)"
	case mode&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// maxLinks is how many symbolic links a path may go through (Linux's limit).
const maxLinks = 40

// descriptorPath is a path that names a descriptor open in a process, the target of
// /dev/stdout and of a shell's >(...): written in place, whatever it is open on.
var descriptorPath = lazyre.New(`^(/proc/(self|thread-self|[0-9]+)|/dev)/fd/[0-9]+$`)

// followLinks follows path's symbolic links to the path they end at (which may not
// exist: a dangling link), or to a descriptor.
func followLinks(path string) (end string, descriptor bool, err error) {
	for range maxLinks {
		if descriptorPath.Get().MatchString(path) {
			return path, true, nil
		}
		info, err := os.Lstat(path)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return path, false, nil // what is there (or why not) is for destination to see
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", false, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", false, fmt.Errorf("more than %d symbolic links one to the next (a loop?)", maxLinks)
}

// writeInPlace appends data to the device, FIFO or descriptor at path.
func writeInPlace(path string, data []byte) error {
	f, err := openInPlace(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

// writeAtomic writes data to a temporary file beside path and renames it into place,
// removing it instead on any error or termination signal.
func writeAtomic(path string, data []byte, perm os.FileMode) (err error) {
	defer guardSignals()()
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			temps.remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if TestHookBeforeRename != nil {
		if err := TestHookBeforeRename(tmp.Name()); err != nil {
			return err
		}
	}
	return temps.rename(tmp.Name(), path)
}

// TestHookBeforeRename, when set, is called with the temporary file written and synced,
// just before it is renamed into place: tests stop or fail a write there, its most
// exposed moment. An error ends the write as a failed write would.
var TestHookBeforeRename func(tmp string) error

// createTemp creates the temporary file for path, recorded in temps.
func createTemp(path string) (*os.File, error) {
	temps.Lock()
	defer temps.Unlock()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err == nil {
		temps.paths[tmp.Name()] = true
	}
	return tmp, err
}

// temps are the temporary files being written, which a termination signal removes
// before the process ends. Their lock is held while one is created, renamed or
// removed, and by the signal's handler until the process ends, so that none is left
// behind and none is renamed into place once the signal has come.
var temps = tempFiles{paths: map[string]bool{}}

type tempFiles struct {
	sync.Mutex
	paths map[string]bool
}

func (t *tempFiles) rename(tmp, path string) error {
	t.Lock()
	defer t.Unlock()
	err := os.Rename(tmp, path)
	if err == nil {
		delete(t.paths, tmp)
	}
	return err
}

func (t *tempFiles) remove(tmp string) {
	t.Lock()
	defer t.Unlock()
	os.Remove(tmp)
	delete(t.paths, tmp)
}

// removeAll removes every temporary file and keeps the lock: the process is ending.
func (t *tempFiles) removeAll() {
	t.Lock()
	for tmp := range t.paths {
		os.Remove(tmp)
		delete(t.paths, tmp)
	}
}

// exitInterrupted is the exit status of a run a signal ended (DESIGN.md: 130).
const exitInterrupted = 130

// exit ends the process once a signal's clean-up is done (tests replace it).
var exit = os.Exit

// guardSignals makes a termination signal (Ctrl-C, SIGTERM, SIGHUP; not one the
// process ignores, as under nohup) remove the temporary files and end the process
// with exitInterrupted, until the function it returns is called. Without it, the
// signal's default action, or the second Ctrl-C that main leaves to it, would end the
// process with the temporary file still there.
func guardSignals() (stop func()) {
	var watched []os.Signal
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		if !signal.Ignored(sig) {
			watched = append(watched, sig)
		}
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, watched...)
	done := make(chan struct{})
	go func() {
		select {
		case <-signals:
			temps.removeAll()
			exit(exitInterrupted)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(signals)
		close(done)
	}
}
