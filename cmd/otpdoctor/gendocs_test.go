package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestDocsAreGenerated keeps docs/ in step with the commands and the cause catalog:
// every generated page is in docs/ as generated, and docs/ holds no page that is no
// longer generated (a removed command's). Regenerate with `make docs` when it fails.
func TestDocsAreGenerated(t *testing.T) {
	generated := t.TempDir()
	if err := generateDocs(generated); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "docs")
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
