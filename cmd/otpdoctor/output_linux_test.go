package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// --output to a device writes to it and leaves it a device: -o /dev/null discards, as
// scripts expect. As root a regression would replace the system's /dev/null, so root
// writes to a null device of its own (the numbers 1:3, which only root can make).
func TestOutputToADevice(t *testing.T) {
	device := os.DevNull
	if os.Geteuid() == 0 {
		device = filepath.Join(t.TempDir(), "null")
		if err := syscall.Mknod(device, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Skipf("cannot make a device: %v", err)
		}
	}
	before, err := os.Lstat(device)
	if err != nil || before.Mode()&fs.ModeCharDevice == 0 {
		t.Skipf("no null device at %s", device)
	}
	r := execCLI(t, nil, "", "check", "--offline", "--format", "json", "--output", device)
	if r.code != exitOK || !strings.Contains(r.stderr, "report written to "+device) {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	after, err := os.Lstat(device)
	if err != nil || !os.SameFile(before, after) || after.Mode() != before.Mode() {
		t.Errorf("%s was replaced: %v, %v", device, after.Mode(), err)
	}
}
