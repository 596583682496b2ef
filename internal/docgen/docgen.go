// Package docgen writes otpdoctor's man pages from its command tree. The docs test uses
// it to keep docs/man in step, and release builds through a hidden command that only a
// build with -tags docgen has: the generator links 0.5 MB of Markdown and roff code that
// the otpdoctor people run has no use for.
package docgen

import (
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// ManPages writes a section 1 man page for root and for each of its visible commands
// into dir, dated date (fixed, so that regenerating changes nothing); source names the
// program and its version in the page footer.
func ManPages(root *cobra.Command, dir string, date time.Time, source string) error {
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Title: "OTPDOCTOR", Section: "1", Date: &date, Source: source}
	return doc.GenManTree(root, header, dir)
}
