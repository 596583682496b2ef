package backup

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/internal/jsonloc"
	"github.com/otpdoctor/otpdoctor/profile"
)

// LedgerFile is the ledger's name inside otpdoctor's config directory.
const LedgerFile = "used-backup-codes.json"

// ledgerVersion is the ledger file's format version.
const ledgerVersion = 1

// DefaultLedgerPath is where the ledger lives: otpdoctor's directory in the user's
// config directory ($XDG_CONFIG_HOME or ~/.config on Linux, ~/Library/Application
// Support on macOS, %AppData% on Windows).
func DefaultLedgerPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory for the used-codes ledger: %w", err)
	}
	return filepath.Join(dir, "otpdoctor", LedgerFile), nil
}

// Ledger records which backup codes were spent, as salted SHA-256 hashes: the file
// never holds a code. Writes hold a lock and replace the file atomically, so two
// otpdoctor processes marking codes at once lose nothing and a crash never leaves a
// half-written ledger. A damaged ledger is reported, never overwritten.
type Ledger struct {
	Path string
	// LockTimeout bounds the wait for another process's lock (default 10 s).
	LockTimeout time.Duration
}

// Used is one spent code.
type Used struct {
	Service string    `json:"service"`
	Hash    string    `json:"hash"` // hex SHA-256 of salt, service id, NUL, normalised code
	Marked  time.Time `json:"marked"`
}

// Entries is the ledger's content.
type Entries struct {
	Version int    `json:"version"`
	Salt    string `json:"salt"` // hex, 16 random bytes made when the ledger was created
	Used    []Used `json:"used"`
}

// CorruptError is a ledger file otpdoctor cannot read back: truncated, edited by hand,
// or not a ledger. The file is left as it is.
type CorruptError struct {
	Path   string
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("the used-codes ledger %s is damaged (%s)", e.Path, e.Reason)
}

// Read returns the ledger's entries; a missing ledger is an empty one.
func (l *Ledger) Read() (*Entries, error) {
	data, err := fileio.ReadFile(context.Background(), l.Path, nil, fileio.MaxInput)
	if errors.Is(err, fs.ErrNotExist) {
		return &Entries{Version: ledgerVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the used-codes ledger: %w", err)
	}
	return parseLedger(l.Path, data)
}

func parseLedger(path string, data []byte) (*Entries, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &CorruptError{path, "it is empty"}
	}
	var e Entries
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, &CorruptError{path, "not a ledger: " + jsonloc.Locate(data, 0, err).Error()}
	}
	if e.Version != ledgerVersion {
		return nil, &CorruptError{path, fmt.Sprintf("version %d, this otpdoctor reads version %d", e.Version, ledgerVersion)}
	}
	if salt, err := hex.DecodeString(e.Salt); err != nil || len(salt) < 16 {
		return nil, &CorruptError{path, "its salt is missing or malformed"}
	}
	for i, u := range e.Used {
		if h, err := hex.DecodeString(u.Hash); err != nil || len(h) != sha256.Size || u.Service == "" {
			return nil, &CorruptError{path, fmt.Sprintf("entry %d is malformed", i+1)}
		}
	}
	return &e, nil
}

// hash is the ledger's name for a code of a service.
func (e *Entries) hash(service, code string) string {
	sum := sha256.Sum256(append(e.prefix(service), profile.NormalizeCode(code)...))
	return hex.EncodeToString(sum[:])
}

// prefix is what every hash of service's codes starts with: salt, service id, NUL.
func (e *Entries) prefix(service string) []byte {
	salt, _ := hex.DecodeString(e.Salt)
	return append(append(salt, service...), 0)
}

// Lookup finds a code of service in the ledger.
func (e *Entries) Lookup(service, code string) (Used, bool) {
	if e.Salt == "" {
		return Used{}, false
	}
	want := e.hash(service, code)
	for _, u := range e.Used {
		if u.Service == service && u.Hash == want {
			return u, true
		}
	}
	return Used{}, false
}

// Spent is a service's spent codes, indexed to look up many codes: a list of 100,000
// codes costs one hash a code (none when the service has no spent code), no scan.
type Spent struct {
	prefix []byte
	byHash map[[sha256.Size]byte]Used
	buf    []byte // scratch: prefix and a code
}

// Spent indexes the codes of service marked used.
func (e *Entries) Spent(service string) *Spent {
	s := &Spent{prefix: e.prefix(service), byHash: map[[sha256.Size]byte]Used{}}
	for _, u := range e.Used {
		if h, err := hex.DecodeString(u.Hash); err == nil && len(h) == sha256.Size && u.Service == service {
			s.byHash[[sha256.Size]byte(h)] = u
		}
	}
	return s
}

// Lookup finds a normalised code (profile.NormalizeCode) among the spent ones; a nil
// Spent (no ledger) holds none.
func (s *Spent) Lookup(code string) (Used, bool) {
	if s == nil || len(s.byHash) == 0 {
		return Used{}, false
	}
	s.buf = append(append(s.buf[:0], s.prefix...), code...)
	u, ok := s.byHash[sha256.Sum256(s.buf)]
	return u, ok
}

// Count is how many codes of service are marked used.
func (e *Entries) Count(service string) int {
	n := 0
	for _, u := range e.Used {
		if u.Service == service {
			n++
		}
	}
	return n
}

// Mark records code of service as spent at now. If it was marked before, it returns
// that entry and already = true, and writes nothing.
func (l *Ledger) Mark(ctx context.Context, service, code string, now time.Time) (entry Used, already bool, err error) {
	if err := os.MkdirAll(filepath.Dir(l.Path), 0o700); err != nil {
		return Used{}, false, fmt.Errorf("creating the ledger's directory: %w", err)
	}
	timeout := l.LockTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	unlock, err := lockFile(ctx, l.Path+".lock")
	if err != nil {
		return Used{}, false, err
	}
	defer unlock()
	// Read again under the lock: another process may have written since.
	entries, err := l.Read()
	if err != nil {
		return Used{}, false, err
	}
	if entries.Salt == "" {
		salt := make([]byte, 16)
		rand.Read(salt) // never fails (crypto/rand)
		entries.Salt = hex.EncodeToString(salt)
	}
	if u, ok := entries.Lookup(service, code); ok {
		return u, true, nil
	}
	entry = Used{Service: service, Hash: entries.hash(service, code), Marked: now.UTC().Truncate(time.Second)}
	entries.Used = append(entries.Used, entry)
	data, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return Used{}, false, err
	}
	if err := fileio.WriteFile(l.Path, append(data, '\n'), 0o600); err != nil {
		return Used{}, false, fmt.Errorf("writing the used-codes ledger: %w", err)
	}
	return entry, false, nil
}

// lockRetry is how often a held lock is tried again.
const lockRetry = 20 * time.Millisecond

// lockFile takes an exclusive lock on path (created 0600), retrying until ctx ends.
// The lock is the operating system's (flock, LockFileEx): it ends with the process,
// so a crash never leaves a stale lock behind.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the ledger's lock file: %w", err)
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if ok {
			return func() { unlockFile(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("another otpdoctor holds the ledger's lock %s: gave up waiting (%w)", path, ctx.Err())
		case <-time.After(lockRetry):
		}
	}
}
