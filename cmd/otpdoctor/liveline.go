package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/otpdoctor/otpdoctor/internal/layout"
)

// liveLine is one line on a terminal, redrawn in place (a search's progress, the
// --watch countdown). It is cut to the window's width, asked at each draw: a line
// longer than the window wraps, and "\r" then returns only to the start of its last
// row, leaving the rows above behind.
type liveLine struct {
	w    io.Writer
	size func() (int, int, bool)

	mu    sync.Mutex
	shown bool
}

// draw replaces the line with text.
func (l *liveLine) draw(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Three cells short of the width: some terminals wrap a line that fills the last
	// column, and Ctrl-C echoes "^C" after the line, which must not wrap either.
	fmt.Fprintf(l.w, "\r\x1b[K%s", layout.Truncate(text, width(l.size)-3))
	l.shown = true
}

// clear erases the line, leaving the cursor where it started.
func (l *liveLine) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		fmt.Fprint(l.w, "\r\x1b[K")
		l.shown = false
	}
}
