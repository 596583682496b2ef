package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/codes"
	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/docs"
)

// runWith runs otpdoctor in-process with the key in the environment, stdout and stderr
// terminals or not as given.
func runWith(t *testing.T, tty bool, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runWithEnv(t, tty, map[string]string{"OTPDOCTOR_SECRET": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}, args...) // RFC 4226's key
}

// runWithEnv is runWith with env as the whole environment.
func runWithEnv(t *testing.T, tty bool, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	r := execCLIOn(t, tty, env, "", args...)
	return r.stdout, r.stderr, r.code
}

func TestCodeOnTerminal(t *testing.T) {
	// 2026-11-26T09:30:10Z is 10 s into step 59856180; the --now clock runs on, so the
	// seconds left are 20 or a little fewer.
	out, errOut, code := runWith(t, true, "code", "--now", "2026-11-26T09:30:10Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"899691  valid 2", " s more (until 09:30:30 UTC)", "previous 283590 · next 391519"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
	out, _, _ = runWith(t, false, "code", "--now", "2026-11-26T09:30:10Z")
	if out != "899691\n" {
		t.Errorf("not on a terminal: %q, want the code alone", out)
	}
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	line := &progressLine{line: &liveLine{w: &buf}, start: time.Now()}
	line.update("±24 h", 10, 100)
	line.clear()
	if buf.Len() != 0 {
		t.Fatalf("a search under a second showed progress: %q", buf.String())
	}
	line.start = time.Now().Add(-2 * time.Second)
	line.update("±24 h", 10, 100)
	line.update("±24 h", 20, 100) // too soon after the last: not shown
	if got := buf.String(); got != "\r\033[Ksearching ±24 h: 10%" {
		t.Fatalf("progress %q", got)
	}
	// A stage that has run a second says how long it has left, at its pace so far.
	line.stageStart, line.last = time.Now().Add(-2*time.Second), time.Time{}
	line.update("±24 h", 20, 100)
	if got := buf.String(); !strings.HasSuffix(got, "\r\033[Ksearching ±24 h: 20%, about 8 s left") {
		t.Fatalf("progress %q", got)
	}
	line.clear()
	if !strings.HasSuffix(buf.String(), "\r\033[K") {
		t.Errorf("the line was not cleared: %q", buf.String())
	}
}

// TestMatchShowsProgress: a search on a terminal shows progress on stderr (here at once,
// not after a second) and clears it before the report.
func TestMatchShowsProgress(t *testing.T) {
	defer func(d time.Duration) { progressDelay = d }(progressDelay)
	progressDelay = 0
	// Two codes of another key: nothing matches.
	_, errOut, code := runWith(t, true, "match", "671519", "922427", "--offline", "--now", "2026-11-26T09:30:00Z")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "\r\033[Ksearching SHA1, 6 digits, 30 s: ±10 min (±20 steps): ") || !strings.HasSuffix(errOut, "\r\033[K") {
		t.Errorf("stderr %q", errOut)
	}
}

// A dumb terminal (TERM=dumb, as in an editor's shell) cannot erase a line: no progress.
func TestMatchShowsNoProgressOnADumbTerminal(t *testing.T) {
	defer func(d time.Duration) { progressDelay = d }(progressDelay)
	progressDelay = 0
	env := map[string]string{"OTPDOCTOR_SECRET": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "TERM": "dumb"}
	_, errOut, code := runWithEnv(t, true, env, "match", "671519", "922427", "--offline", "--now", "2026-11-26T09:30:00Z")
	if code != 1 || errOut != "" {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// Reports of HOTP keys, which have no period, match the schema too.
func TestHOTPReportsMatchTheSchema(t *testing.T) {
	uri := "otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=3&issuer=Bank"
	env := map[string]string{"OTPDOCTOR_SECRET": uri}
	for _, args := range [][]string{
		{"secret", "--format", "json"},
		{"match", "--offline", "--format", "json", "338314"}, // RFC 4226's code for counter 4
	} {
		r := execCLI(t, env, "", args...)
		if err := docs.ValidateReport([]byte(r.stdout)); err != nil {
			t.Errorf("otpdoctor %v (exit %d): %v\n%s", args, r.code, err, r.stderr)
		}
	}
}

// The codes given with --code are read off the app before the command starts: a key
// typed at the prompt 40 s later must not age them into the next step.
func TestCodesAreJudgedWhenTheCommandStarted(t *testing.T) {
	const start = "2026-11-26T09:30:05Z" // 5 s into a step: 40 s later is the next one
	key := secret.Key{Secret: []byte("12345678901234567890")}
	startTime, _ := time.Parse(time.RFC3339, start)
	code := codes.TOTPAt(key, startTime)

	fake := startTime
	savedClock, savedHidden := wallClock, readHidden
	defer func() { wallClock, readHidden = savedClock, savedHidden }()
	wallClock = func() time.Time { return fake }
	readHidden = func(*streams) ([]byte, error) {
		fake = fake.Add(40 * time.Second) // the user takes 40 s to paste the key
		return []byte(secret.EncodeBase32(key.Secret)), nil
	}
	var out, errOut bytes.Buffer
	s := &streams{In: strings.NewReader(""), Out: &out, Err: &errOut, InTTY: true, Getenv: func(string) string { return "" }}
	exit := run(context.Background(), []string{"check", "--ask-secret", "--code", code, "--offline", "--now", start, "--format", "json"}, s)
	if exit != exitOK {
		t.Fatalf("exit %d\n%s\n%s", exit, out.String(), errOut.String())
	}
	var report diag.Report
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	for _, c := range report.Checks {
		if f, ok := c.Facts.(*diag.CodesFacts); ok && (c.Status != diag.StatusOK || f.OffsetSteps == nil || *f.OffsetSteps != 0) {
			t.Errorf("codes check %s: judged after the prompt, not when the command started (%s)", c.Status, c.Summary)
		}
	}
}
