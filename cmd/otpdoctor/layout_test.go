package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/otpdoctor/otpdoctor/internal/layout"
)

// execCLIInTerminal runs otpdoctor in-process with stdout and stderr a terminal of
// cols × rows cells.
func execCLIInTerminal(t *testing.T, cols, rows int, env map[string]string, args ...string) cliRun {
	t.Helper()
	var out, errOut bytes.Buffer
	size := func() (int, int, bool) { return cols, rows, true }
	s := &streams{
		In: strings.NewReader(""), Out: &out, Err: &errOut, OutTTY: true, ErrTTY: true,
		OutSize: size, ErrSize: size,
		Getenv: func(k string) string { return env[k] },
	}
	code := run(context.Background(), args, s)
	return cliRun{code, out.String(), errOut.String()}
}

// assertFits fails for a line wider than width, unless it is one piece that must not
// be broken (a command, a URL) and so stands alone.
func assertFits(t *testing.T, what, text string, width int) {
	t.Helper()
	for i, line := range strings.Split(text, "\n") {
		if layout.Width(line) > width && len(layout.Wrap(strings.TrimSpace(line), 1)) > 1 {
			t.Errorf("%s at %d columns: line %d is %d wide: %q", what, width, i+1, layout.Width(line), line)
		}
	}
}

var widths = []int{40, 80, 200}

func TestHelpFitsTheTerminal(t *testing.T) {
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(newRootCmd(&app{io: &streams{}}, nil), nil)
	for _, path := range paths {
		for _, width := range widths {
			r := execCLIInTerminal(t, width, 24, nil, append(path, "--help")...)
			if r.code != 0 {
				t.Fatalf("%v --help: exit %d: %s", path, r.code, r.stderr)
			}
			assertFits(t, strings.Join(path, " ")+" --help", r.stdout, width)
		}
	}
}

func TestServicesFitTheTerminal(t *testing.T) {
	for _, width := range widths {
		r := execCLIInTerminal(t, width, 24, nil, "services")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		assertFits(t, "services", r.stdout, width)
		for _, id := range []string{"binance", "github", "microsoft"} {
			if !strings.Contains(r.stdout, "\n"+id+" ") {
				t.Errorf("at %d columns, no line starts with %s:\n%s", width, id, r.stdout)
			}
		}
	}
}
