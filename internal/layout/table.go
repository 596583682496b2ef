package layout

import "strings"

// Table is rows of plain-text cells under headers.
type Table struct {
	Headers []string
	Rows    [][]string
	// Wrap marks the columns whose cells may wrap onto more lines to fit; the others
	// (an ID to type) are never narrowed.
	Wrap []bool
}

const columnGap = 2

// Lines lays the table out in width cells: as columns when they fit, narrowing the
// wrapping columns if needed; when even that does not fit, as one block per row, the
// first cells as the block's title and each other cell on lines of its own.
func (t Table) Lines(width int) []string {
	widths := t.naturalWidths()
	if !t.narrow(widths, width) {
		return t.blocks(width)
	}
	var lines []string
	for _, row := range append([][]string{t.Headers}, t.Rows...) {
		lines = append(lines, t.rowLines(row, widths)...)
	}
	return lines
}

func (t Table) naturalWidths() []int {
	widths := make([]int, len(t.Headers))
	for _, row := range append([][]string{t.Headers}, t.Rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], Width(cell))
		}
	}
	return widths
}

// narrow shrinks the widest wrapping column, one cell at a time, until the table fits
// width or no wrapping column can shrink without breaking a unit; it reports whether
// the table fits.
func (t Table) narrow(widths []int, width int) bool {
	least := t.leastWidths()
	for total(widths) > width {
		widest := -1
		for i := range widths {
			if i < len(t.Wrap) && t.Wrap[i] && widths[i] > least[i] && (widest < 0 || widths[i] > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return false
		}
		widths[widest]--
	}
	return true
}

// leastColumn is the narrowest a wrapping column gets: narrower, its cells become
// towers of single words, and blocks read better.
const leastColumn = 14

// leastWidths are the narrowest each column can be: leastColumn (or its natural
// width when smaller), and never under its widest unit (word, number with unit,
// code span).
func (t Table) leastWidths() []int {
	least := t.naturalWidths()
	for i := range least {
		least[i] = min(least[i], leastColumn)
	}
	for _, row := range append([][]string{t.Headers}, t.Rows...) {
		for i, cell := range row {
			for _, u := range units(cell) {
				least[i] = max(least[i], Width(u))
			}
		}
	}
	return least
}

func total(widths []int) int {
	sum := columnGap * (len(widths) - 1)
	for _, w := range widths {
		sum += w
	}
	return sum
}

// rowLines is one row, its cells wrapped to their columns' widths.
func (t Table) rowLines(row []string, widths []int) []string {
	cells := make([][]string, len(row))
	height := 0
	for i, cell := range row {
		cells[i] = Wrap(cell, widths[i])
		height = max(height, len(cells[i]))
	}
	lines := make([]string, height)
	for l := range lines {
		var b strings.Builder
		for i := range row {
			part := ""
			if l < len(cells[i]) {
				part = cells[i][l]
			}
			if i < len(row)-1 {
				part = Pad(part, widths[i]+columnGap)
			}
			b.WriteString(part)
		}
		lines[l] = strings.TrimRight(b.String(), " ")
	}
	return lines
}

// blocks is the table for a width too narrow for its columns: per row, a title line
// of the first two cells, then "header: cell" lines, wrapped and indented.
func (t Table) blocks(width int) []string {
	var lines []string
	for r, row := range t.Rows {
		if r > 0 {
			lines = append(lines, "")
		}
		if len(row) > 1 {
			lines = append(lines, Hanging(row[0]+"  ", row[1], width)...)
		} else {
			lines = append(lines, row[0])
		}
		for i := 2; i < len(row); i++ {
			lines = append(lines, Hanging("  "+strings.ToLower(t.Headers[i])+": ", row[i], width)...)
		}
	}
	return lines
}

// Hanging wraps text after prefix, the lines after the first indented to line up
// under the text. A unit too wide for the indent moves left (to column 0 at the
// least) so that it stays whole on one line wherever the width allows; when that is
// the first, the prefix stands on a line of its own.
func Hanging(prefix, text string, width int) []string {
	indent := Width(prefix)
	pad := strings.Repeat(" ", indent)
	var out []string
	for i, line := range Wrap(text, max(width-indent, MinWidth)) {
		lead := pad
		if i == 0 {
			lead = prefix
		}
		if Width(line)+indent > width {
			if i == 0 && strings.TrimSpace(prefix) != "" {
				out = append(out, strings.TrimRight(prefix, " "))
			}
			lead = strings.Repeat(" ", max(0, width-Width(line)))
		}
		out = append(out, lead+line)
	}
	return out
}
