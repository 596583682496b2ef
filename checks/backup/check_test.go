package backup

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
)

// envFor is a run for service at the true instant now; this machine's clock reads
// skew ahead of it, as the clock check measured.
func envFor(t *testing.T, service string, now time.Time, skew time.Duration) *diag.Env {
	tt := diag.NewTrueTime()
	tt.Publish(diag.Reference{Source: diag.ReferenceNTP, Offset: skew})
	return &diag.Env{
		Now:      func() time.Time { return now.Add(skew) },
		Timeout:  time.Second,
		TrueTime: tt,
		Service:  mustProfile(t, service),
	}
}

// fileSet is a file holding texts, one a line.
func fileSet(name string, saved time.Time, texts ...string) *File {
	return &File{Name: name, Saved: saved, text: strings.Join(texts, "\n") + "\n"}
}

// githubCodes are n distinct valid GitHub recovery codes.
func githubCodes(n, seed int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%05x-%05x", seed, i)
	}
	return out
}

func run1(t *testing.T, c *Check, env *diag.Env) diag.Result {
	t.Helper()
	r := c.Run(context.Background(), env)
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// findings returns the findings of cause c, failing when there are not want of them.
func findings(t *testing.T, r diag.Result, c diag.Cause, want int) []diag.Finding {
	t.Helper()
	var out []diag.Finding
	for _, f := range r.Findings {
		if f.Cause == c {
			out = append(out, f)
		}
	}
	if len(out) != want {
		t.Fatalf("%d %s findings, want %d: %+v", len(out), c, want, r.Findings)
	}
	return out
}

func TestCheckAllValid(t *testing.T) {
	r := run1(t, &Check{Files: []*File{fileSet("github-recovery-codes.txt", day, githubCodes(16, 1)...)}}, envFor(t, "github", day, 0))
	if r.Status != diag.StatusOK || r.Summary != "All 16 codes fit GitHub's recovery codes." || len(r.Findings) != 0 {
		t.Fatalf("%s %q %+v", r.Status, r.Summary, r.Findings)
	}
	for key, want := range map[string]any{"total": 16.0, "valid": 16.0, "invalid": 0.0, "duplicates": 0.0, "format": "recovery code (xxxxx-xxxxx, hexadecimal)", "unused": nil} {
		if got := diag.FactValues(r.Facts)[key]; got != want {
			t.Errorf("fact %s = %v, want %v", key, got, want)
		}
	}
}

// A mistyped code's report names positions and characters, never the code meant; the
// user who asks (--reveal) gets the code itself.
func TestCheckConfusableCorrection(t *testing.T) {
	r := run1(t, &Check{Codes: []string{"1a2b3-c4dSe", "1a2b3-c4d5ee"}}, envFor(t, "github", day, 0))
	fs := findings(t, r, diag.CauseBackupCodeInvalid, 2)
	if r.Status != diag.StatusFail || !strings.Contains(fs[0].Message, "character 9 is the letter S, which they never contain; it is probably the digit 5.") {
		t.Fatalf("%s: %+v", r.Status, fs[0])
	}
	if got := diag.FixTexts(fs[0].Steps, &diag.Env{})[0]; got != "Type the code from --backup-code 1 again with character 9 as the digit 5, checked against the printed code (backup --reveal shows the code meant)." {
		t.Errorf("fix = %q", got)
	}
	if !strings.Contains(fs[1].Message, "a character was typed twice, characters 10 and 11 (the letter E twice)") {
		t.Errorf("doubled: %s", fs[1].Message)
	}
	if report := fmt.Sprint(r.Findings, r.Details); strings.Contains(report, "1a2b3-c4d5e") || strings.Contains(report, "1a2b3c4d5e") {
		t.Errorf("the report names the code meant: %s", report)
	}
	if diag.FactValues(r.Facts)["invalid"] != 2.0 {
		t.Errorf("facts %v", r.Facts)
	}
	// The facts say the same by position, for scripts.
	typos := r.Facts.(*diag.BackupFacts).Mistyped
	if len(typos) != 2 || typos[0].Where != "--backup-code 1" || typos[0].Length != 10 || typos[0].FormatLength != 10 ||
		!slices.Equal(typos[0].Characters, []diag.BackupCharacter{{Position: 9, Found: "s", Probably: "5"}}) ||
		!slices.Equal(typos[1].Doubled, []int{10}) || typos[1].Corrections[0] != "characters 10 and 11 (the letter E twice) as one" {
		t.Errorf("mistyped facts %+v", typos)
	}

	r = run1(t, &Check{Codes: []string{"1a2b3-c4dSe"}, Reveal: true}, envFor(t, "github", day, 0))
	f := findings(t, r, diag.CauseBackupCodeInvalid, 1)[0]
	if !strings.Contains(f.Message, "Probably meant: 1a2b3-c4d5e.") || diag.FixTexts(f.Steps, &diag.Env{})[0] != "Try 1a2b3-c4d5e, checked against the printed code." {
		t.Errorf("revealed: %+v", f)
	}
}

func TestCheckOtherService(t *testing.T) {
	r := run1(t, &Check{Codes: []string{"1234 5678"}}, envFor(t, "github", day, 0))
	f := findings(t, r, diag.CauseBackupCodeInvalid, 1)[0]
	if !strings.Contains(f.Message, "It fits the codes of Google (--service google) or Dropbox (--service dropbox)") {
		t.Fatal(f.Message)
	}
}

func TestCheckDuplicates(t *testing.T) {
	codes := githubCodes(3, 1)
	r := run1(t, &Check{Files: []*File{fileSet("codes.txt", day, codes[0], codes[1], strings.ToUpper(codes[0]), codes[2])}}, envFor(t, "github", day, 0))
	f := findings(t, r, diag.CauseBackupCodeUsed, 1)[0]
	if diag.FactValues(r.Facts)["duplicates"] != 1.0 || r.Status != diag.StatusWarn || !strings.Contains(f.Message, "codes.txt line 3 is the same code as codes.txt line 1") {
		t.Fatalf("%s %v %+v", r.Status, r.Facts, f)
	}
}

func TestCheckMixedSetsInOneFile(t *testing.T) {
	codes := append(githubCodes(16, 1), githubCodes(4, 2)...)
	r := run1(t, &Check{Files: []*File{fileSet("codes.txt", day, codes...)}}, envFor(t, "github", day, 0))
	f := findings(t, r, diag.CauseBackupCodeUsed, 1)[0]
	if !strings.Contains(f.Message, "codes.txt holds 20 recovery codes, but GitHub issues 16 per set: two sets are mixed, and only the newest set works") {
		t.Fatal(f.Message)
	}
}

func TestCheckOlderFileSet(t *testing.T) {
	older := fileSet("old.txt", day, githubCodes(16, 1)...)
	newer := fileSet("new.txt", day.Add(72*time.Hour), githubCodes(16, 2)...)
	stray := []string{githubCodes(1, 1)[0], githubCodes(1, 2)[0]}
	r := run1(t, &Check{Codes: stray, Files: []*File{older, newer}}, envFor(t, "github", day, 0))
	fs := findings(t, r, diag.CauseBackupCodeUsed, 2)
	if fs[0].Severity != diag.SeverityWarn || !strings.HasPrefix(fs[0].Message, "--backup-code 1 is not in the set in new.txt") {
		t.Errorf("%+v", fs[0])
	}
	if r.Status != diag.StatusFail || !strings.Contains(fs[1].Message, "old.txt is an older set (saved 20 Nov 2026 10:00) than new.txt (saved 23 Nov 2026 10:00): its 16 codes no longer work") {
		t.Errorf("%s %q", r.Status, fs[1].Message)
	}
}

func TestCheckTOTPCodeAsBackupCode(t *testing.T) {
	r := run1(t, &Check{Codes: []string{"123 456"}}, envFor(t, "google", day, 0))
	f := findings(t, r, diag.CauseBackupCodeInvalid, 1)[0]
	if diag.FactValues(r.Facts)["totp_like"] != 1.0 || !strings.Contains(f.Message, "has 6 digits, like the codes an authenticator app shows") ||
		!strings.Contains(f.Message, "Google's backup codes look like this: backup code (8 digits)") {
		t.Fatalf("%v %q", r.Facts, f.Message)
	}
}

func TestCheckNoBackupCodes(t *testing.T) {
	r := run1(t, &Check{Codes: []string{"abcd1234"}}, envFor(t, "binance", day, 0))
	f := findings(t, r, diag.CauseBackupCodeInvalid, 1)[0]
	if !strings.Contains(f.Message, "--backup-code 1 cannot be a backup code: Binance issues none.") || !strings.Contains(f.Message, "backup key, which is the authenticator key itself") {
		t.Fatal(f.Message)
	}
}

// The Binance Backup Key is the TOTP key: the check shows the code it makes at the
// true time (RFC 6238 Appendix B, SHA1, truncated to Binance's 6 digits), never the key.
func TestCheckBinanceBackupKey(t *testing.T) {
	for _, tc := range []struct {
		unix int64
		code string
	}{{59, "287082"}, {1111111109, "081804"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		// This machine's clock is 95 s ahead; the code must be the one for true time.
		env := envFor(t, "binance", time.Unix(tc.unix, 0), 95*time.Second)
		r := run1(t, &Check{Codes: []string{strings.ToLower(rfcKeyBase32)}}, env)
		f := findings(t, r, diag.CauseBackupKeyConfusion, 1)[0]
		if r.Status != diag.StatusFail || !strings.Contains(f.Message, "it makes the code "+tc.code+",") ||
			!strings.Contains(f.Message, "it is Binance's backup key, which is the authenticator key itself (160 bits)") {
			t.Errorf("T=%d: %s %q", tc.unix, r.Status, f.Message)
		}
		if r.Summary != "What you hold is an authenticator key, not a backup code for Binance." {
			t.Errorf("summary %q", r.Summary)
		}
		report, _ := json.Marshal(r)
		for _, form := range []string{rfcKeyBase32, strings.ToLower(rfcKeyBase32), "GEZDGNBV", "12345678901234567890"} {
			if strings.Contains(string(report), form) {
				t.Fatalf("the result holds the key (%q)", form)
			}
		}
	}
}

func TestCheckBackupKeyComparedWithGivenKey(t *testing.T) {
	given := &secret.Key{Type: secret.TOTP, Secret: []byte("12345678901234567890")}
	r := run1(t, &Check{Codes: []string{rfcKeyBase32}, Key: given}, envFor(t, "kraken", time.Unix(59, 0), 0))
	if f := findings(t, r, diag.CauseBackupKeyConfusion, 1)[0]; !strings.Contains(f.Message, "It is the same key as the one you gave otpdoctor.") {
		t.Error(f.Message)
	}
	other := &secret.Key{Type: secret.TOTP, Secret: []byte("another key, 20 byte")}
	r = run1(t, &Check{Codes: []string{rfcKeyBase32}, Key: other}, envFor(t, "kraken", time.Unix(59, 0), 0))
	if f := findings(t, r, diag.CauseBackupKeyConfusion, 1)[0]; !strings.Contains(f.Message, "a different key") {
		t.Error(f.Message)
	}
}

func TestCheckKeyWithoutReference(t *testing.T) {
	tt := diag.NewTrueTime()
	tt.Publish(diag.Reference{Source: diag.ReferenceNone})
	env := &diag.Env{Now: func() time.Time { return time.Unix(59, 0) }, TrueTime: tt, Service: mustProfile(t, "generic")}
	r := run1(t, &Check{Codes: []string{rfcKeyBase32}}, env)
	f := findings(t, r, diag.CauseBackupKeyConfusion, 1)[0]
	if f.Severity != diag.SeverityWarn || !strings.Contains(f.Message, "by this computer's clock, which was not checked") || !strings.Contains(f.Message, "287082") {
		t.Fatal(f)
	}
}

func TestCheckUsedCodes(t *testing.T) {
	l := &Ledger{Path: filepath.Join(t.TempDir(), LedgerFile)}
	codes := githubCodes(16, 7)
	for _, c := range codes[:3] {
		if _, _, err := l.Mark(context.Background(), "github", c, day); err != nil {
			t.Fatal(err)
		}
	}
	// Give the whole set: 3 used, 13 unused.
	r := run1(t, &Check{Files: []*File{fileSet("github-recovery-codes.txt", day, codes...)}, Ledger: l}, envFor(t, "github", day.Add(time.Hour), 0))
	fs := findings(t, r, diag.CauseBackupCodeUsed, 3)
	if r.Status != diag.StatusFail || !strings.Contains(fs[0].Message, "github-recovery-codes.txt line 1 ("+codes[0][:3]+"**-*****) was marked used on 20 Nov 2026") {
		t.Fatalf("%s %q", r.Status, fs[0].Message)
	}
	if !strings.HasSuffix(fs[0].Message, "The ledger has 3 of GitHub's codes marked used; of a set of 16, about 13 remain.") {
		t.Errorf("%q", fs[0].Message)
	}
	if diag.FactValues(r.Facts)["used"] != 3.0 || diag.FactValues(r.Facts)["unused"] != 13.0 || diag.FactValues(r.Facts)["ledger_used"] != 3.0 || !strings.HasSuffix(r.Summary, "; 3 marked used; 13 unused.") {
		t.Errorf("%v %q", r.Facts, r.Summary)
	}
	// A valid code never appears whole in the result.
	report, _ := json.Marshal(r)
	if strings.Contains(string(report), codes[0]) {
		t.Error("the result holds a whole backup code")
	}
	// Every code used.
	for _, c := range codes[3:] {
		l.Mark(context.Background(), "github", c, day)
	}
	r = run1(t, &Check{Files: []*File{fileSet("github-recovery-codes.txt", day, codes...)}, Ledger: l}, envFor(t, "github", day, 0))
	if f := r.Findings[len(r.Findings)-1]; f.Message != "Every code in github-recovery-codes.txt is marked used." {
		t.Errorf("%+v", f)
	}
}

func TestCheckCorruptLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), LedgerFile)
	l := &Ledger{Path: path}
	writeFile(t, path, `{"version": 1, "salt": "00`)
	r := run1(t, &Check{Codes: []string{"1a2b3-c4d5e"}, Ledger: l}, envFor(t, "github", day, 0))
	// A warning about the check, not a finding: nothing says this code was used.
	details := strings.Join(r.Details, "\n")
	if r.Status != diag.StatusWarn || len(r.Findings) != 0 || !strings.Contains(r.Summary, "which were used is not known: the used-codes ledger "+LedgerFile+" is damaged") || !strings.Contains(details, "move "+LedgerFile) ||
		diag.FactValues(r.Facts)["ledger_used"] != nil || diag.FactValues(r.Facts)["valid"] != 1.0 {
		t.Fatalf("%s %v %q %+v\n%s", r.Status, r.Facts, r.Summary, r.Findings, details)
	}
	// The path names the user's home; reports end up in tickets.
	if report := fmt.Sprint(r.Findings, r.Details); strings.Contains(report, filepath.Dir(path)) {
		t.Errorf("the report names the ledger's directory: %s", report)
	}
}

func TestCheckManyProblemsSummedUp(t *testing.T) {
	var texts []string
	for i := range 30 {
		texts = append(texts, fmt.Sprintf("zz%03d", i))
	}
	r := run1(t, &Check{Codes: texts}, envFor(t, "github", day, 0))
	if len(r.Findings) != maxCodeFindings+1 || r.Findings[maxCodeFindings].Message != "18 more codes have problems (run with -v to see the first 100 codes)." || len(r.Details) != 30 {
		t.Fatalf("%d findings, %d details", len(r.Findings), len(r.Details))
	}
	r = run1(t, &Check{Codes: texts[:maxCodeFindings+1]}, envFor(t, "github", day, 0))
	if got := r.Findings[maxCodeFindings].Message; got != "1 more code has a problem (run with -v to see the first 100 codes)." {
		t.Errorf("one more: %q", got)
	}
}

func BenchmarkCheckFullSet(b *testing.B) {
	l := &Ledger{Path: filepath.Join(b.TempDir(), LedgerFile)}
	codes := githubCodes(16, 3)
	for _, c := range codes[:8] {
		l.Mark(context.Background(), "github", c, day)
	}
	tt := diag.NewTrueTime()
	tt.Publish(diag.Reference{Source: diag.ReferenceNone})
	env := &diag.Env{Now: time.Now, TrueTime: tt, Service: mustProfile(b, "github")}
	c := &Check{Files: []*File{fileSet("codes.txt", day, codes...)}, Ledger: l}
	for b.Loop() {
		c.Run(context.Background(), env)
	}
}

func TestCheckHugeFileStaysBounded(t *testing.T) {
	data := strings.Repeat("1a2b3-c4d5e\n0f9e8-7d6cX\n", 1<<20/24)
	p := mustProfile(t, "github")
	found, err := ExtractCodes([]byte(data), p)
	if err != nil {
		t.Fatal(err)
	}
	file, err := NewFile("big.txt", day, []byte(data), p)
	if err != nil {
		t.Fatal(err)
	}
	r := run1(t, &Check{Files: []*File{file}}, envFor(t, "github", day, 0))
	if len(r.Details) > maxCodeDetails+5 || len(r.Findings) > 2*maxCodeFindings || diag.FactValues(r.Facts)["total"] != float64(len(found)) {
		t.Fatalf("%d details, %d findings for %d codes", len(r.Details), len(r.Findings), len(found))
	}
	if got := r.Details[maxCodeDetails]; got != fmt.Sprintf("… and %d more codes", len(found)-maxCodeDetails) {
		t.Errorf("the summing-up line: %q", got)
	}
}

// codeList is a 1 MiB list of codes in the form "1234-5678", as a user's script or a
// password manager's export might paste them: n pseudo-random codes, a few repeated.
func codeList(size int) []byte {
	var b []byte
	x := uint64(1)
	for len(b) < size-10 {
		x = x*6364136223846793005 + 1442695040888963407
		n := x >> 33 % 100_000_000
		b = fmt.Appendf(b, "%04d-%04d\n", n/10_000, n%10_000)
	}
	return b
}

// perCode is what reading a list of codes and checking it costs, a code: bytes and
// allocations (the 1 MiB list's text included).
func perCode(tb testing.TB, data []byte, service string) (bytes, allocs float64, codes int) {
	p := mustProfile(tb, service)
	tt := diag.NewTrueTime()
	tt.Publish(diag.Reference{Source: diag.ReferenceNone})
	env := &diag.Env{Now: time.Now, TrueTime: tt, Service: p}
	ledger := &Ledger{Path: filepath.Join(tb.TempDir(), LedgerFile)}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	file, err := NewFile("codes.txt", day, data, p)
	if err != nil {
		tb.Fatal(err)
	}
	r := (&Check{Files: []*File{file}, Ledger: ledger}).Run(context.Background(), env)
	runtime.ReadMemStats(&after)
	codes = r.Facts.(*diag.BackupFacts).Total
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(codes), float64(after.Mallocs-before.Mallocs) / float64(codes), codes
}

// The backup check reads a 1 MiB list in linear time and memory with a small constant:
// at most 2 allocations and 128 bytes a code, whatever the size. It takes 1.01 and 60
// (a code's normal form is its one allocation; the text and the sets' maps are the
// bytes), 1.5 and 110 under -race, whose sync.Pool drops regexp's pooled machines; it
// took 10.5 and 437 with a value and a string naming its line per code. Allocation
// counters, not time, so load cannot fail it.
func TestBackupAllocationsPerCode(t *testing.T) {
	for _, size := range []int{256 << 10, 1 << 20} {
		bytes, allocs, codes := perCode(t, codeList(size), "generic")
		t.Logf("%d KiB, %d codes: %.1f B/code, %.2f allocs/code", size>>10, codes, bytes, allocs)
		if allocs > 2 || bytes > 128 {
			t.Errorf("%d KiB: %.2f allocations and %.0f bytes a code, want at most 2 and 128", size>>10, allocs, bytes)
		}
	}
}

// BenchmarkBackup1MiB is the backup check on 1 MiB lists: 104,000 codes as "1234-5678"
// (no --service, and Google's), and GitHub's recovery codes, half of them mistyped.
func BenchmarkBackup1MiB(b *testing.B) {
	for _, tc := range []struct {
		name, service string
		data          []byte
	}{
		{"generic", "generic", codeList(1 << 20)},
		{"google", "google", codeList(1 << 20)},
		{"github", "github", []byte(strings.Repeat("1a2b3-c4d5e\n0f9e8-7d6cX\n", 1<<20/24))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var bytes, allocs float64
			codes := 0
			for b.Loop() {
				bytes, allocs, codes = perCode(b, tc.data, tc.service)
			}
			b.ReportMetric(bytes, "B/code")
			b.ReportMetric(allocs, "allocs/code")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*codes), "ns/code")
		})
	}
}

// A backup key is also judged as the secret check judges a key: Binance's 80-bit key is
// how Binance issues them, worth a line under -v and no finding.
func TestCheckBackupKeyInspectedAsKey(t *testing.T) {
	r := run1(t, &Check{Codes: []string{"JBSW Y3DP EHPK 3PXP"}}, envFor(t, "binance", time.Unix(59, 0), 0))
	findings(t, r, diag.CauseSecretInvalid, 0)
	if !slices.ContainsFunc(r.Details, func(d string) bool {
		return strings.HasPrefix(d, "--backup-code 1 as an authenticator key: The key is 80 bits long")
	}) {
		t.Errorf("no key-length note in the details: %q", r.Details)
	}
	if r.Status != diag.StatusFail {
		t.Errorf("status %s", r.Status)
	}
	r = run1(t, &Check{Codes: []string{rfcKeyBase32}}, envFor(t, "binance", time.Unix(59, 0), 0))
	findings(t, r, diag.CauseSecretInvalid, 0)
}
