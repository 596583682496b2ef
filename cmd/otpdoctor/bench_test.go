package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/otpdoctor/otpdoctor/internal/ntptest"
)

// benchRun runs otpdoctor in-process with output discarded; every run must exit 0.
func benchRun(b *testing.B, args []string) {
	b.Helper()
	s := &streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	for b.Loop() {
		if code := run(context.Background(), args, s); code != exitOK {
			b.Fatalf("otpdoctor %s: exit %d", strings.Join(args, " "), code)
		}
	}
}

// Target: under 20 ms a run.
func BenchmarkCheckOffline(b *testing.B) {
	benchRun(b, []string{"check", "--offline"})
}

// Target: under 50 ms a run, against three NTP servers on 127.0.0.1.
func BenchmarkCheckLoopback(b *testing.B) {
	good := ntptest.Behavior{}
	args := append([]string{"check", "--time-url", "http://127.0.0.1:9/"}, startNTP(b, good, good, good)...)
	benchRun(b, args)
}
