package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// explain - with the terminal as standard input refuses at once instead of waiting
// for a report nobody will type.
func TestExplainRefusesTerminalStdin(t *testing.T) {
	var out, errOut bytes.Buffer
	s := &streams{In: strings.NewReader(""), InTTY: true, Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
	if code := run(context.Background(), []string{"explain", "-"}, s); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	want := "otpdoctor: explain - reads standard input, which is this terminal: a saved report is not typed\n" +
		"hint: give the report's file name, or pipe it in: otpdoctor explain - < report.json\n"
	if errOut.String() != want || out.Len() != 0 {
		t.Errorf("stderr %q, stdout %q", errOut.String(), out.String())
	}
}
