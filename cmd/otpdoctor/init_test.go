package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// initAllocBudget is how many allocations every package's initialisation may make
// together before main runs (GODEBUG=inittrace=1): about 1,340 today, of which the
// guide's terminal widgets (huh: bubbletea's key tables, the clipboard helper of its
// text input looking for its tools along PATH, humanize) make 480, the QR decoder
// library's tables and character sets 410, the standard library 345 and our own
// packages 86. One regular expression compiled at init instead of on first use costs
// up to a few hundred, parsing the embedded profiles 400, compiling the JSON Schema
// 21,000. Allocations, not time: they do not vary with the load of the machine.
const initAllocBudget = 1400

// initTracePath is the PATH of the traced run: the clipboard helper's initialisation
// allocates for each directory of PATH, which differs from machine to machine.
const initTracePath = "/usr/bin:/bin"

// TestInitAllocations builds the real binary and runs `otpdoctor version` with the
// runtime's init trace: start-up does nothing heavy before a command needs it.
func TestInitAllocations(t *testing.T) {
	bin := buildOtpdoctor(t)
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "PATH="+initTracePath)
	var trace bytes.Buffer
	cmd.Stderr = &trace
	if err := cmd.Run(); err != nil {
		t.Fatalf("otpdoctor version: %v\n%s", err, trace.Bytes())
	}
	inits, total := parseInitTrace(t, trace.Bytes())
	if total > initAllocBudget {
		slices.SortFunc(inits, func(a, b packageInit) int { return b.allocs - a.allocs })
		t.Errorf("initialisation makes %d allocations, over the budget of %d; the most: %v", total, initAllocBudget, inits[:min(5, len(inits))])
	}
	t.Logf("%d packages initialised with %d allocations", len(inits), total)
}

type packageInit struct {
	pkg    string
	allocs int
}

func (p packageInit) String() string { return fmt.Sprintf("%s %d", p.pkg, p.allocs) }

// parseInitTrace reads lines like
// "init net/http @38 ms, 0.11 ms clock, 4712 bytes, 49 allocs".
func parseInitTrace(t *testing.T, trace []byte) (inits []packageInit, total int) {
	sc := bufio.NewScanner(bytes.NewReader(trace))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[0] != "init" || f[len(f)-1] != "allocs" {
			continue
		}
		n, err := strconv.Atoi(f[len(f)-2])
		if err != nil {
			t.Fatalf("init trace line %q: %v", sc.Text(), err)
		}
		inits = append(inits, packageInit{f[1], n})
		total += n
	}
	if len(inits) == 0 {
		t.Fatalf("no init trace in:\n%s", trace)
	}
	return inits, total
}
