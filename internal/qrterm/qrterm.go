// Package qrterm draws QR codes in a terminal, two modules to a character cell (the
// half blocks ▀ ▄ █), and says how big the window must be when one does not fit.
package qrterm

import (
	"fmt"
	"strings"

	"github.com/skip2/go-qrcode"
)

// quietZone is the light margin around the code, in modules: scanners need one, and
// two modules are one text row above and below.
const quietZone = 2

// Window is where the code is drawn.
type Window struct {
	// Cols and Rows are the cells the code may take; 0 when unknown (not a terminal),
	// and then the code is drawn whatever its size.
	Cols, Rows int
	// Light: the background is light, so the dark modules are drawn in the
	// foreground colour. On a dark background the light modules are.
	Light bool
}

// TooSmallError says how big a window the code needs.
type TooSmallError struct {
	NeedCols, NeedRows int
	HaveCols, HaveRows int
}

func (e *TooSmallError) Error() string {
	return fmt.Sprintf("the QR code needs a window of at least %d columns and %d rows; this one has %d × %d",
		e.NeedCols, e.NeedRows, e.HaveCols, e.HaveRows)
}

// levels are the error-correction levels tried, most robust first: a lower level
// makes a smaller code, which may fit where the other does not. A screen is not a
// crumpled label; Low scans from it.
var levels = []qrcode.RecoveryLevel{qrcode.Medium, qrcode.Low}

// Draw draws content as a QR code for the window: the lines of text to print (each
// Cols() cells wide), or a *TooSmallError when no level of the code fits.
func Draw(content string, w Window) ([]string, error) {
	var smallest *TooSmallError
	for _, level := range levels {
		q, err := qrcode.New(content, level)
		if err != nil {
			return nil, fmt.Errorf("drawing the QR code: %w", err)
		}
		q.DisableBorder = true
		modules := q.Bitmap()
		cols, rows := len(modules)+2*quietZone, (len(modules)+2*quietZone+1)/2
		if fits := (w.Cols == 0 || cols <= w.Cols) && (w.Rows == 0 || rows <= w.Rows); fits {
			return cells(modules, w.Light), nil
		}
		smallest = &TooSmallError{NeedCols: cols, NeedRows: rows, HaveCols: w.Cols, HaveRows: w.Rows}
	}
	return nil, smallest
}

// cells turns modules (true: dark) into rows of half blocks, two module rows to a
// text row, with the quiet zone around them. Ink is what the glyphs draw: the dark
// modules on a light background, the light ones on a dark background.
func cells(modules [][]bool, light bool) []string {
	n := len(modules) + 2*quietZone
	ink := func(y, x int) bool {
		y, x = y-quietZone, x-quietZone
		dark := y >= 0 && y < len(modules) && x >= 0 && x < len(modules) && modules[y][x]
		return dark == light
	}
	var lines []string
	for y := 0; y < n; y += 2 {
		var b strings.Builder
		for x := range n {
			top, bottom := ink(y, x), y+1 < n && ink(y+1, x)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		lines = append(lines, b.String())
	}
	return lines
}
