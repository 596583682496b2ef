package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otpdoctor/otpdoctor/checks/secret"
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

// Target: secret list in linear time with small constants: a 1 MiB export (about
// 8,000 accounts) under 0.5 s of CPU and 64 MB a run (it took 6–8 s and up to 223 MB);
// the 256 KiB run shows the scaling.
func BenchmarkSecretList(b *testing.B) {
	for _, size := range []int{256 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			var text strings.Builder
			for i := 0; text.Len() < size-200; i++ {
				key := secret.EncodeBase32(fmt.Appendf(nil, "bench-key-%010d", i))
				fmt.Fprintf(&text, "otpauth://totp/Service%d:user%d@example.com?secret=%s&issuer=Service%d\n", i%97, i, key, i%97)
			}
			path := filepath.Join(b.TempDir(), "keys.txt")
			if err := os.WriteFile(path, []byte(text.String()), 0o600); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			benchRun(b, []string{"secret", "list", "--offline", "--secret-file", path})
		})
	}
}

// Target: backup on a 1 MiB list of 104,000 codes ("1234-5678", no --service) under
// 0.3 s and 32 MiB peak RSS for the whole process; see BenchmarkBackup1MiB in
// checks/backup for the check's bytes and allocations a code.
func BenchmarkBackupList1MiB(b *testing.B) {
	var text []byte
	for i := 0; len(text) < 1<<20-10; i++ {
		n := i * 7919 % 100_000_000
		text = fmt.Appendf(text, "%04d-%04d\n", n/10_000, n%10_000)
	}
	path := filepath.Join(b.TempDir(), "codes.txt")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	benchRun(b, []string{"backup", "--offline", "--backup-file", path})
}
