// Package docgen writes otpdoctor's man pages from its command tree. The docs test uses
// it to keep docs/man in step, and release builds through a hidden command that only a
// build with -tags docgen has: the generator links 0.5 MB of Markdown and roff code that
// the otpdoctor people run has no use for.
package docgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// Section is a man page section of terms, each a name and what it means (EXIT
// STATUS, ENVIRONMENT, FILES). An alias of a plain struct, so that the program can
// describe its sections without importing this package.
type Section = struct {
	Title string
	Terms [][2]string
}

// ManPages writes a section 1 man page for root and for each of its visible commands
// into dir, dated date (fixed, so that regenerating changes nothing); source names the
// program and its version in the page footer. Every page gets sections before SEE ALSO,
// where man pages keep them.
func ManPages(root *cobra.Command, dir string, date time.Time, source string, sections []Section) error {
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Title: "OTPDOCTOR", Section: "1", Date: &date, Source: source}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return err
	}
	return addSections(dir, sections)
}

// addSections writes sections into every page in dir, before SEE ALSO.
func addSections(dir string, sections []Section) error {
	var b strings.Builder
	for _, s := range sections {
		fmt.Fprintf(&b, ".SH %s\n", s.Title)
		for _, t := range s.Terms {
			fmt.Fprintf(&b, ".TP\n\\fB%s\\fP\n%s\n", roff(t[0]), roff(t[1]))
		}
		b.WriteString("\n")
	}
	pages, err := filepath.Glob(filepath.Join(dir, "*.1"))
	if err != nil {
		return err
	}
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			return err
		}
		text, seeAlso, found := strings.Cut(string(data), ".SH SEE ALSO")
		if !found {
			return fmt.Errorf("%s has no SEE ALSO section", page)
		}
		if err := os.WriteFile(page, []byte(text+b.String()+".SH SEE ALSO"+seeAlso), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// roff escapes text for a man page: backslashes, and a leading dot or quote that
// would read as a request.
func roff(text string) string {
	text = strings.ReplaceAll(text, `\`, `\e`)
	if strings.HasPrefix(text, ".") || strings.HasPrefix(text, "'") {
		text = `\&` + text
	}
	return text
}
