package diag

import (
	"fmt"
	"io"
)

// Output formats of --format.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatMarkdown = "markdown"
	FormatJUnit    = "junit"
)

// Formats lists the formats Render accepts.
var Formats = []string{FormatText, FormatJSON, FormatMarkdown, FormatJUnit}

// RenderOptions shape the human formats.
type RenderOptions struct {
	Verbose bool // evidence, findings and details under each check (-v)
	Facts   bool // also every raw fact (-vv); JSON and Markdown always carry them
	Color   bool // ANSI colour (text only)
	Width   int  // the width in cells text is laid out for (0: layout.DefaultWidth)
}

// Render writes r to w in format. The formats people read show every string of r
// through Visible, and JSON escapes the same characters: a report's text may come
// from input (a key's label, a status page, a saved report given to explain), which
// must never act on a terminal.
func Render(w io.Writer, r Report, format string, o RenderOptions) error {
	switch format {
	case FormatText:
		return renderText(w, visibleReport(r), o)
	case FormatJSON:
		return RenderJSON(w, r)
	case FormatMarkdown:
		return renderMarkdown(w, visibleReport(r))
	case FormatJUnit:
		return renderJUnit(w, visibleReport(r))
	}
	return fmt.Errorf("unknown format %q", format)
}

// RenderJSON writes the report contract, its acting characters escaped (WriteJSON).
func RenderJSON(w io.Writer, r Report) error { return WriteJSON(w, r) }
