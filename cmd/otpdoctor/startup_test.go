package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// releaseFlags build as releases do (.goreleaser.yaml): no symbol table, no DWARF.
var releaseFlags = []string{"-trimpath", "-ldflags=-s -w"}

// BenchmarkStartup runs otpdoctor built as releases are, and a Go hello-world built the
// same way, in turn, so that both meet the same load of the machine; it reports the
// median wall time of each and their ratio. Targets: `version` within 2× hello-world
// (x-hello ≤ 2), `check --offline` near 20 ms.
func BenchmarkStartup(b *testing.B) {
	otpdoctor := buildOtpdoctor(b, releaseFlags...)
	hello := buildHelloWorld(b)
	for _, run := range []struct {
		name string
		args []string
	}{
		{"version", []string{"version"}},
		{"check-offline", []string{"check", "--offline"}},
	} {
		b.Run(run.name, func(b *testing.B) {
			var ours, theirs []time.Duration
			for b.Loop() {
				theirs = append(theirs, timeRun(b, hello))
				ours = append(ours, timeRun(b, otpdoctor, run.args...))
			}
			b.ReportMetric(ms(median(ours)), "ms/run")
			b.ReportMetric(ms(median(theirs)), "hello-ms/run")
			b.ReportMetric(float64(median(ours))/float64(median(theirs)), "x-hello")
		})
	}
}

// buildHelloWorld builds the reference: a Go program that prints one line.
func buildHelloWorld(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello, world\") }\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	bin := filepath.Join(dir, "hello")
	build := exec.Command("go", append(append([]string{"build", "-o", bin}, releaseFlags...), src)...)
	build.Env = append(startEnv, "CGO_ENABLED=0", "GOPROXY=off")
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("go build hello.go: %v\n%s", err, out)
	}
	return bin
}

// timeRun is the wall time of one run of bin (in the tests' own HOME), which must
// succeed.
func timeRun(tb testing.TB, bin string, args ...string) time.Duration {
	cmd := exec.Command(bin, args...)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return time.Since(start)
}

func median(d []time.Duration) time.Duration {
	sorted := slices.Clone(d)
	slices.Sort(sorted)
	return sorted[len(sorted)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
