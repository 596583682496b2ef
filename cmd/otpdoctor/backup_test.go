package main

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	// perm FILE MODE: the file's permission bits are MODE (octal), e.g. perm ledger.json 600.
	scriptCmds["perm"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: perm FILE MODE")
		}
		info, err := os.Stat(ts.MkAbs(args[0]))
		ts.Check(err)
		want, err := strconv.ParseUint(args[1], 8, 32)
		ts.Check(err)
		if got := info.Mode().Perm(); (got == os.FileMode(want)) == neg {
			ts.Fatalf("%s has mode %o (want %s%o)", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
	}
	// age FILE DURATION: set the file's modification time DURATION ago (an older set).
	scriptCmds["age"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: age FILE DURATION")
		}
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		then := time.Now().Add(-d)
		ts.Check(os.Chtimes(ts.MkAbs(args[0]), then, then))
	}
}

func TestBackupFileFromTerminalSaysWhatItWaitsFor(t *testing.T) {
	var errOut bytes.Buffer
	a := &app{ctx: t.Context(), opts: globalOptions{}, io: &streams{In: strings.NewReader("1a2b3-c4d5e\n"), Out: io.Discard, Err: &errOut, InTTY: true,
		Getenv: func(string) string { return "" }}}
	if err := a.resolveService(); err != nil {
		t.Fatal(err)
	}
	file, err := readBackupFile(a, "-")
	if err != nil || file.Name != "standard input" {
		t.Fatalf("file %v, err %v", file, err)
	}
	if !strings.HasPrefix(errOut.String(), "type or paste the backup codes, one a line, then press Ctrl-D") {
		t.Errorf("stderr %q", errOut.String())
	}
}
