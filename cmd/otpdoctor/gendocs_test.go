package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra/doc"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/docgen"
)

// The generated documentation (man pages, a page per command, a page per cause from the
// catalog the fix steps come from) is written by this test, not by the otpdoctor binary:
// `make docs` runs it with -update-docs, so doc tooling never ships to users.
var updateDocs = flag.Bool("update-docs", false, "rewrite docs/man, docs/commands and docs/causes")

// TestDocsAreGenerated keeps docs/ in step with the commands and the cause catalog:
// every generated page is in docs/ as generated, and docs/ holds no page that is no
// longer generated (a removed command's). Regenerate with `make docs` when it fails.
func TestDocsAreGenerated(t *testing.T) {
	committed := filepath.Join("..", "..", "docs")
	if *updateDocs {
		for _, sub := range []string{"man", "commands", "causes"} {
			if err := os.RemoveAll(filepath.Join(committed, sub)); err != nil {
				t.Fatal(err)
			}
		}
		if err := generateDocs(committed); err != nil {
			t.Fatal(err)
		}
		return
	}
	generated := t.TempDir()
	if err := generateDocs(generated); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"man", "commands", "causes"} {
		pages := map[string]bool{} // in either
		for _, dir := range []string{generated, committed} {
			entries, err := os.ReadDir(filepath.Join(dir, sub))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				pages[filepath.Join(sub, e.Name())] = true
			}
		}
		for page := range pages {
			want, errWant := os.ReadFile(filepath.Join(generated, page))
			got, errGot := os.ReadFile(filepath.Join(committed, page))
			if errWant != nil || errGot != nil || !bytes.Equal(got, want) {
				t.Errorf("docs/%s is out of date: run make docs", page)
			}
		}
	}
}

// docsDate is the date written into man pages: fixed, so regenerating changes nothing.
var docsDate = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func generateDocs(dir string) error {
	root := newRootCmd(&app{io: systemStreams()}, nil)
	root.DisableAutoGenTag = true
	for _, sub := range []string{"man", "commands", "causes"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	if err := docgen.ManPages(root, filepath.Join(dir, "man"), docsDate, "otpdoctor", manSections()); err != nil {
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
	for _, g := range stepGroups(c) {
		fmt.Fprintf(&b, "### %s\n\n", g.title)
		for i, s := range g.steps {
			fmt.Fprintf(&b, "%d. %s\n", i+1, s)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Reports name this cause `%s` (see [the report schema](../report-schema.md)). "+
		"`otpdoctor check --platform P --app A` shows only the steps for your phone and app.\n", c.ID)
	return b.String()
}

func TestManPagesSayExitStatusEnvironmentAndFiles(t *testing.T) {
	dir := t.TempDir()
	if err := generateDocs(dir); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"otpdoctor.1", "otpdoctor-check.1", "otpdoctor-backup-mark-used.1"} {
		data, err := os.ReadFile(filepath.Join(dir, "man", page))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{".SH EXIT STATUS\n", "\\fB130\\fP", ".SH ENVIRONMENT\n", "\\fBOTPDOCTOR_SECRET\\fP", "\\fBHTTPS_PROXY\\fP", ".SH FILES\n", "used-backup-codes.json"} {
			if !strings.Contains(string(data), want) {
				t.Errorf("%s lacks %q", page, want)
			}
		}
	}
}
