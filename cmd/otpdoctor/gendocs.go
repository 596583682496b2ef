package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/otpdoctor/otpdoctor/diag"
)

func init() { commandAdders = append(commandAdders, newGenDocsCmd) }

// newGenDocsCmd writes the generated documentation: man pages, a Markdown page per
// command, and a page per cause from the same catalog the fix steps come from. It is
// hidden: `make docs` runs it, and a test keeps docs/ in step with the code.
func newGenDocsCmd(*app) *cobra.Command {
	return &cobra.Command{
		Use:    "gen-docs DIR",
		Short:  "Write man pages, command pages and cause pages under DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return generateDocs(args[0])
		},
	}
}

// docsDate is the date written into man pages: fixed, so regenerating changes nothing.
var docsDate = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func generateDocs(dir string) error {
	root := newRootCmd(&app{io: systemStreams()})
	root.DisableAutoGenTag = true
	for _, sub := range []string{"man", "commands", "causes"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	header := &doc.GenManHeader{Title: "OTPDOCTOR", Section: "1", Date: &docsDate, Source: "otpdoctor"}
	if err := doc.GenManTree(root, header, filepath.Join(dir, "man")); err != nil {
		return err
	}
	if err := doc.GenMarkdownTree(root, filepath.Join(dir, "commands")); err != nil {
		return err
	}
	for _, c := range diag.Causes() {
		if err := os.WriteFile(filepath.Join(dir, "causes", string(c.ID)+".md"), []byte(causePage(c)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// causePage is the docs/causes page of one cause.
func causePage(c diag.CauseInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# `%s`: %s\n\n%s\n\n", c.ID, c.Headline, c.Meaning)
	fmt.Fprintf(&b, "## How otpdoctor detects it\n\n%s\n\n## How to fix it\n\n", c.Detect)
	type group struct{ platform, app string }
	var order []group
	steps := map[group][]string{}
	for _, s := range c.Steps {
		g := group{s.Platform, s.App}
		if _, seen := steps[g]; !seen {
			order = append(order, g)
		}
		steps[g] = append(steps[g], s.Text)
	}
	for _, g := range order {
		title := "Everywhere"
		switch {
		case g.platform != "" && g.app != "":
			title = diag.AppName(g.app) + " on " + diag.PlatformName(g.platform)
		case g.platform != "":
			title = "On " + diag.PlatformName(g.platform)
		case g.app != "":
			title = diag.AppName(g.app)
		}
		fmt.Fprintf(&b, "### %s\n\n", title)
		for i, s := range steps[g] {
			fmt.Fprintf(&b, "%d. %s\n", i+1, s)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Reports name this cause `%s` (see [the report schema](../report-schema.md)). "+
		"`otpdoctor check --platform P --app A` shows only the steps for your phone and app.\n", c.ID)
	return b.String()
}
