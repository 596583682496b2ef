package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// streams are the process's standard streams and what is known about them, injected so
// that tests drive the CLI in-process (after gh's iostreams).
type streams struct {
	In       io.Reader
	Out, Err io.Writer
	// InTTY, OutTTY and ErrTTY: the stream is an interactive terminal. Colour, live
	// lines (progress on Err) and prompts happen only on terminals.
	InTTY, OutTTY, ErrTTY bool
	// Getenv reads the environment (NO_COLOR, OTPDOCTOR_SECRET, ...).
	Getenv func(string) string
}

func systemStreams() *streams {
	return &streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv: os.Getenv,
	}
}

// colorFor reports whether output to a stream should be coloured: only on a terminal,
// and never under NO_COLOR or --no-color; CLICOLOR_FORCE forces it (no-color.org,
// bixense.com/clicolors).
func (s *streams) colorFor(tty, noColor bool) bool {
	switch {
	case noColor || s.Getenv("NO_COLOR") != "":
		return false
	case s.Getenv("CLICOLOR_FORCE") != "" && s.Getenv("CLICOLOR_FORCE") != "0":
		return true
	case s.Getenv("CLICOLOR") == "0" || s.Getenv("TERM") == "dumb":
		return false
	}
	return tty
}
