package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestDocsAreGenerated keeps docs/ in step with the commands and the cause catalog:
// regenerate with `make docs` when it fails.
func TestDocsAreGenerated(t *testing.T) {
	tmp := t.TempDir()
	if err := generateDocs(tmp); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(tmp, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(tmp, path)
		want, _ := os.ReadFile(path)
		got, err := os.ReadFile(filepath.Join("..", "..", "docs", rel))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("docs/%s is out of date: run make docs", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
