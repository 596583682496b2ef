package main

import (
	"os"
	"strconv"
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
