package main

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestCoreDumpsForbidden(t *testing.T) {
	forbidCoreDumps()
	var limit unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &limit); err != nil || limit.Cur != 0 {
		t.Errorf("core size limit %d (%v), want 0", limit.Cur, err)
	}
	if dumpable, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0); err != nil || dumpable != 0 {
		t.Errorf("dumpable %d (%v), want 0", dumpable, err)
	}
}
