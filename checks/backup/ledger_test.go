package backup

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The concurrency test runs this test binary twice more as helper processes that mark
// codes in one ledger at the same time.
func TestMain(m *testing.M) {
	if path := os.Getenv("OTPDOCTOR_TEST_LEDGER"); path != "" {
		os.Exit(markMany(path, os.Getenv("OTPDOCTOR_TEST_PREFIX")))
	}
	os.Exit(m.Run())
}

const codesPerProcess = 40

func markMany(path, prefix string) int {
	l := &Ledger{Path: path}
	for i := range codesPerProcess {
		if _, _, err := l.Mark(context.Background(), "github", fmt.Sprintf("%s%04d", prefix, i), time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

var day = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func TestLedgerMarkLookup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "otpdoctor", LedgerFile)
	l := &Ledger{Path: path}
	e, err := l.Read()
	if err != nil || len(e.Used) != 0 {
		t.Fatalf("missing ledger: %v %v", e, err)
	}
	u, already, err := l.Mark(context.Background(), "github", "1A2B3-C4D5E", day)
	if err != nil || already || !u.Marked.Equal(day) {
		t.Fatalf("Mark: %v %v %v", u, already, err)
	}
	// Marking the same code again, written another way, keeps the first date.
	u, already, err = l.Mark(context.Background(), "github", "1a2b3 c4d5e", day.Add(48*time.Hour))
	if err != nil || !already || !u.Marked.Equal(day) {
		t.Fatalf("Mark again: %v %v %v", u, already, err)
	}
	e, err = l.Read()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Lookup("github", "1a2b3c4d5e"); !ok {
		t.Error("Lookup does not find the marked code")
	}
	if _, ok := e.Lookup("google", "1a2b3c4d5e"); ok {
		t.Error("Lookup finds the code under another service")
	}
	if e.Count("github") != 1 || e.Count("google") != 0 {
		t.Errorf("Count = %d, %d", e.Count("github"), e.Count("google"))
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, form := range []string{"1a2b3c4d5e", "1A2B3-C4D5E", "1a2b3-c4d5e", "1a2b3", "c4d5e"} {
		if bytes.Contains(bytes.ToLower(data), []byte(strings.ToLower(form))) {
			t.Errorf("the ledger holds the code (%q)", form)
		}
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", p, got, want)
		}
	}
}

func TestLedgerSaltDiffers(t *testing.T) {
	dir := t.TempDir()
	var hashes []string
	for i := range 2 {
		l := &Ledger{Path: filepath.Join(dir, strconv.Itoa(i), LedgerFile)}
		u, _, err := l.Mark(context.Background(), "github", "1a2b3c4d5e", day)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, u.Hash)
	}
	if hashes[0] == hashes[1] {
		t.Error("two ledgers hash a code the same: no salt")
	}
}

func TestLedgerCorruptIsReportedNotOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), LedgerFile)
	l := &Ledger{Path: path}
	for _, code := range []string{"1a2b3c4d5e", "0f9e87d6c5"} {
		if _, _, err := l.Mark(context.Background(), "github", code, day); err != nil {
			t.Fatal(err)
		}
	}
	whole, _ := os.ReadFile(path)
	for name, damaged := range map[string][]byte{
		"truncated":   whole[:len(whole)/2],
		"empty":       {},
		"not json":    []byte("hello\n"),
		"bad entry":   bytes.Replace(whole, []byte(`"hash": "`), []byte(`"hash": "zz`), 1),
		"new version": bytes.Replace(whole, []byte(`"version": 1`), []byte(`"version": 9`), 1),
	} {
		if err := os.WriteFile(path, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, err := l.Mark(context.Background(), "github", "1111122222", day)
		var corrupt *CorruptError
		if !errors.As(err, &corrupt) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: Mark err = %v, want a CorruptError naming the file", name, err)
		}
		if _, err := l.Read(); !errors.As(err, &corrupt) {
			t.Errorf("%s: Read err = %v", name, err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, damaged) {
			t.Errorf("%s: the damaged ledger was changed", name)
		}
	}
}

// Two processes marking codes in one ledger at the same time lose none of them.
func TestLedgerConcurrentProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "otpdoctor", LedgerFile)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	out := make([][]byte, 2)
	for i, prefix := range []string{"aaaaa", "bbbbb"} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "OTPDOCTOR_TEST_LEDGER="+path, "OTPDOCTOR_TEST_PREFIX="+prefix)
		wg.Go(func() { out[i], errs[i] = cmd.CombinedOutput() })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, out[i])
		}
	}
	e, err := (&Ledger{Path: path}).Read()
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Count("github"); got != 2*codesPerProcess {
		t.Fatalf("the ledger holds %d codes, want %d: marks were lost", got, 2*codesPerProcess)
	}
	for _, prefix := range []string{"aaaaa", "bbbbb"} {
		for i := range codesPerProcess {
			if _, ok := e.Lookup("github", fmt.Sprintf("%s%04d", prefix, i)); !ok {
				t.Fatalf("code %s%04d was lost", prefix, i)
			}
		}
	}
}

func TestLedgerLockTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), LedgerFile)
	unlock, err := lockFile(context.Background(), path+".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	l := &Ledger{Path: path, LockTimeout: 100 * time.Millisecond}
	_, _, err = l.Mark(context.Background(), "github", "1a2b3c4d5e", day)
	if err == nil || !strings.Contains(err.Error(), "another otpdoctor holds the ledger's lock") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("the ledger was written without the lock")
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func FuzzParseLedger(f *testing.F) {
	f.Add([]byte(`{"version": 1, "salt": "3e2dede21490640bec655f1c5c695464", "used": [{"service": "github", "hash": "f1176cd53d221383fd103df607914447e49626e20e21e1f2238cfcd028c5c502", "marked": "2026-11-26T09:12:51Z"}]}`))
	f.Add([]byte(`{"version": 1, "salt": "00`))
	f.Add([]byte(`{"version": 2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := parseLedger("ledger.json", data)
		if err != nil {
			var corrupt *CorruptError
			if !errors.As(err, &corrupt) || !strings.Contains(err.Error(), "ledger.json") {
				t.Fatalf("error %v is not a CorruptError naming the file", err)
			}
			return
		}
		// A ledger that reads, written back, reads the same.
		again, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseLedger("ledger.json", again); err != nil {
			t.Fatalf("a ledger that read does not read back: %v", err)
		}
	})
}

func TestLedgerDamageInPlainWords(t *testing.T) {
	_, err := parseLedger("ledger.json", []byte(`{"version": "1"}`))
	if err == nil || !strings.Contains(err.Error(), "(not a ledger: line 1, column ") || !strings.HasSuffix(err.Error(), ": field version: want a whole number, got a JSON string)") {
		t.Errorf("err = %v", err)
	}
}

// A ledger that is a symbolic link (kept in a synced folder, say) stays one: marking a
// code writes the file it points to.
func TestLedgerThroughALink(t *testing.T) {
	dir := t.TempDir()
	kept := filepath.Join(dir, "synced", LedgerFile)
	if err := os.Mkdir(filepath.Dir(kept), 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config", LedgerFile)
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(kept, path); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	l := &Ledger{Path: path}
	for _, code := range []string{"1a2b3c4d5e", "5e4d3c2b1a"} { // a new file, then one replaced
		if _, _, err := l.Mark(context.Background(), "github", code, day); err != nil {
			t.Fatal(err)
		}
	}
	if info, err := os.Lstat(path); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	e, err := (&Ledger{Path: kept}).Read()
	if err != nil || e.Count("github") != 2 {
		t.Errorf("the linked ledger holds %d codes (%v), want 2", e.Count("github"), err)
	}
}
