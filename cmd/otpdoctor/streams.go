package main

import (
	"io"
	"os"

	"github.com/muesli/termenv"
	"golang.org/x/term"

	"github.com/otpdoctor/otpdoctor/internal/layout"
)

// streams are the process's standard streams and what is known about them, injected so
// that tests drive the CLI in-process (after gh's iostreams).
type streams struct {
	In       io.Reader
	Out, Err io.Writer
	// InTTY, OutTTY and ErrTTY: the stream is an interactive terminal. Colour, live
	// lines (progress on Err) and prompts happen only on terminals.
	InTTY, OutTTY, ErrTTY bool
	// OutSize and ErrSize are the size in cells of the terminal the stream writes to
	// (ok false when it is not one), asked again at each use: windows get resized.
	OutSize, ErrSize func() (width, height int, ok bool)
	// LightBackground reports whether the terminal on Out has a light background, and
	// whether that is known (asked of the terminal itself where it answers).
	LightBackground func() (light, known bool)
	// Getenv reads the environment (NO_COLOR, OTPDOCTOR_SECRET, ...).
	Getenv func(string) string
}

func systemStreams() *streams {
	return &streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY:           term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY:          term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY:          term.IsTerminal(int(os.Stderr.Fd())),
		OutSize:         sizeOf(os.Stdout),
		ErrSize:         sizeOf(os.Stderr),
		LightBackground: func() (bool, bool) { return terminalBackground(os.Stdout) },
		Getenv:          os.Getenv,
	}
}

func sizeOf(f *os.File) func() (int, int, bool) {
	return func() (int, int, bool) {
		w, h, err := term.GetSize(int(f.Fd()))
		return w, h, err == nil && w > 0 && h > 0
	}
}

// terminalBackground asks the terminal on f for its background colour (OSC 11, which
// termenv sends in raw mode with a cursor-position query behind it, so a terminal
// that does not answer costs no wait), or reads COLORFGBG. Inside tmux or screen,
// which may show one pane on several terminals, only COLORFGBG can tell.
func terminalBackground(f *os.File) (light, known bool) {
	if !term.IsTerminal(int(f.Fd())) {
		return false, false
	}
	bg := termenv.NewOutput(f).BackgroundColor()
	if _, answered := bg.(termenv.RGBColor); !answered && os.Getenv("COLORFGBG") == "" {
		return false, false
	}
	_, _, lightness := termenv.ConvertToRGB(bg).Hsl()
	return lightness >= 0.5, true
}

// width is the width to lay out for on a stream of this size: the terminal's, or
// layout.DefaultWidth when it is not a terminal.
func width(size func() (int, int, bool)) int {
	if size == nil {
		return layout.DefaultWidth
	}
	if w, _, ok := size(); ok {
		return max(w, layout.MinWidth)
	}
	return layout.DefaultWidth
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
