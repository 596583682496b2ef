//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
)

// hostileRow is one hostile input given to otpdoctor and what must come of it.
type hostileRow struct {
	name  string
	args  []string
	stdin io.Reader // nil: empty
	code  int       // the exit code DESIGN.md gives
	// says is what the output must hold: for exit 2, the one error line (it names what
	// was refused and where); else the report on stdout.
	says string
	// maxAlloc bounds the bytes allocated during the run (0: hostileAlloc).
	maxAlloc uint64
	skip     string // a known bug, until it is fixed
}

// hostileAlloc is what a run on an input capped at fileio.MaxInput may allocate: the
// capped read (with the doublings of a growing buffer) and everything after it, some
// 3.5 MiB, nearly twice that under the race detector. An image's read is bounded the
// same way, by imageAlloc.
const (
	hostileAlloc = 12 * fileio.MaxInput
	imageAlloc   = 8 * secret.MaxImageBytes
)

// hostileRun is what one run on hostile input did.
type hostileRun struct {
	cliRun
	allocated uint64 // bytes allocated during the run (runtime.MemStats.TotalAlloc)
}

// execHostile runs row in-process, colour off, counting the bytes allocated meanwhile
// (by the whole process: rows measured must not run beside other work, or the bound
// is on their sum).
func execHostile(row hostileRow) hostileRun {
	stdin := row.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut bytes.Buffer
	s := &streams{In: stdin, Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code := run(context.Background(), patient(append(row.args, "--no-color")), s)
	runtime.ReadMemStats(&after)
	return hostileRun{cliRun{code, out.String(), errOut.String()}, after.TotalAlloc - before.TotalAlloc}
}

// runHostile runs row and asserts what it owes (assertHostile).
func runHostile(t *testing.T, row hostileRow) {
	t.Helper()
	if row.skip != "" {
		t.Skip(row.skip)
	}
	assertHostile(t, row, execHostile(row))
}

// assertHostile asserts what every run on hostile input owes: its exit code; on exit 2,
// nothing on stdout and exactly one error line saying what and where, with at most a
// hint or a warning besides; no panic or goroutine trace; no raw control character on
// stdout or stderr; and the bytes allocated within bounds.
func assertHostile(t *testing.T, row hostileRow, r hostileRun) {
	t.Helper()
	if r.code != row.code {
		t.Errorf("exit %d, want %d\nstdout: %.600s\nstderr: %.600s", r.code, row.code, r.stdout, r.stderr)
	}
	for _, stream := range []struct{ name, text string }{{"stdout", r.stdout}, {"stderr", r.stderr}} {
		if strings.Contains(stream.text, "goroutine ") || strings.Contains(stream.text, "panic") || strings.Contains(stream.text, "crashed") {
			t.Errorf("%s holds a crash: %.2000s", stream.name, stream.text)
		}
		assertNoRawControl(t, stream.name, stream.text)
	}
	if r.code == exitUsage {
		var errorLines []string
		for line := range strings.Lines(r.stderr) {
			switch {
			case strings.HasPrefix(line, "otpdoctor: "):
				errorLines = append(errorLines, line)
			case !strings.HasPrefix(line, "hint: ") && !strings.HasPrefix(line, "warning: "):
				t.Errorf("stderr line that is neither the error, a hint nor a warning: %q", line)
			}
		}
		if len(errorLines) != 1 || !strings.Contains(errorLines[0], row.says) || r.stdout != "" {
			t.Errorf("want one error line saying %q and nothing on stdout; stderr:\n%sstdout: %.300s", row.says, r.stderr, r.stdout)
		}
	} else if !strings.Contains(r.stdout, row.says) {
		t.Errorf("stdout does not say %q:\n%.3000s", row.says, r.stdout)
	}
	limit := row.maxAlloc
	if limit == 0 {
		limit = hostileAlloc
	}
	if r.allocated > limit {
		t.Errorf("allocated %d MiB, more than %d MiB", r.allocated>>20, limit>>20)
	}
}

// googleExport is a Google Authenticator export of one account whose algorithm field
// holds the enum value algorithm (1 to 4: SHA1, SHA256, SHA512, MD5).
func googleExport(algorithm uint64) string {
	var otp []byte
	otp = protowire.AppendTag(otp, 1, protowire.BytesType)
	otp = protowire.AppendBytes(otp, scenarioKey.Secret)
	otp = protowire.AppendTag(otp, 2, protowire.BytesType)
	otp = protowire.AppendBytes(otp, []byte("alice"))
	otp = protowire.AppendTag(otp, 4, protowire.VarintType)
	otp = protowire.AppendVarint(otp, algorithm)
	var payload []byte
	payload = protowire.AppendTag(payload, 1, protowire.BytesType)
	payload = protowire.AppendBytes(payload, otp)
	return "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(payload))
}

// hostileStatusPage serves on loopback a Statuspage summary, in a major outage, whose
// page, component and description names are hostileText, and returns its URL.
func hostileStatusPage(t *testing.T) string {
	hostile := jsonEscape(hostileText)
	summary := strings.NewReplacer(`"Example"`, `"`+hostile+`"`, `"Authentication"`, `"Authentication `+hostile+`"`,
		`"Partial System Outage"`, `"`+hostile+`"`).Replace(statuspageSummary("major", "major_outage"))
	srv := httptest.NewServer(jsonReply(summary))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/v2/summary.json"
}

// hostileText is what an attacker puts in a name: clear the screen, set the window's
// title, write the clipboard (OSC 52), hide text, a bidi override, a carriage return
// that overwrites the line, a C1 control and a byte that is not UTF-8.
const hostileText = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;cGF5\x07\x1b[8m\u202emoc.live\r\u0085\xff"

// TestHostileInput: every way otpdoctor takes input (the file flags, standard input,
// saved reports, the ledger, the arguments), given what a hostile or unlucky user
// gives (/dev/zero, a directory, an empty file, a FIFO nobody writes to, terminal
// escapes and bidi overrides, unknown algorithms, absurd digit counts, cut-off and
// corrupt exports), ends in a report or one clear error line: never a panic, a hang,
// a painted terminal or unbounded memory.
func TestHostileInput(t *testing.T) {
	dir := t.TempDir()
	file := func(name string, data string) string { return writeFile(t, dir, name, []byte(data)) }
	empty := file("empty", "")
	folder := filepath.Join(dir, "folder")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	hostileName := filepath.Join(dir, "no"+hostileText)
	shownName := diag.Visible(hostileName)
	key := secret.EncodeBase32(scenarioKey.Secret)
	uriWith := func(params string) string {
		return "otpauth://totp/ACME:alice?secret=" + key + "&issuer=ACME&" + params
	}
	labelled := file("labelled.txt", "otpauth://totp/"+url.PathEscape(hostileText)+":"+url.PathEscape(hostileText)+"?secret="+key+"&issuer="+url.QueryEscape(hostileText))
	oversized := file("big.json", `{"schema": "otpdoctor.report/v1", "x": "`+strings.Repeat("a", fileio.MaxInput)+`"}`)
	hostileReport := `{"schema": "otpdoctor.report/v1", "tool_version": "` + jsonEscape(hostileText) + `", "generated_at": "2026-11-26T09:30:00Z",
 "status": "fail", "service": "` + jsonEscape(hostileText) + `",
 "checks": [{"id": "secret", "title": "` + jsonEscape(hostileText) + `", "status": "fail", "summary": "` + jsonEscape(hostileText) + `", "duration_ms": 1,
   "facts": {"issuer": "` + jsonEscape(hostileText) + `"},
   "findings": [{"cause": "secret-invalid", "severity": "fail", "message": "` + jsonEscape(hostileText) + `", "fix": ["` + jsonEscape(hostileText) + `"]}]}],
 "diagnosis": []}`

	rows := []hostileRow{
		// The file flags, each given what is no file to read.
		{name: "key file /dev/zero", args: []string{"check", "--offline", "--secret-file", "/dev/zero"}, code: exitUsage, says: "/dev/zero is larger than 1 MiB"},
		{name: "key file a directory", args: []string{"check", "--offline", "--secret-file", folder}, code: exitUsage, says: folder + " is a directory"},
		{name: "key file empty", args: []string{"check", "--offline", "--secret-file", empty}, code: exitUsage, says: empty + " is empty"},
		{name: "key file named with escapes", args: []string{"check", "--offline", "--secret-file", hostileName}, code: exitUsage, says: shownName + ": no such file"},
		{name: "QR image /dev/zero", args: []string{"check", "--offline", "--qr", "/dev/zero"}, code: exitUsage, says: "/dev/zero is larger than 64 MiB",
			maxAlloc: imageAlloc},
		{name: "QR image a directory", args: []string{"check", "--offline", "--qr", folder}, code: exitUsage, says: folder + " is a directory"},
		{name: "QR image empty", args: []string{"check", "--offline", "--qr", empty}, code: exitUsage, says: empty + " is not a PNG"},
		{name: "QR image a key file", args: []string{"check", "--offline", "--qr", labelled}, code: exitUsage, says: labelled + " is not a PNG"},
		{name: "backup file /dev/zero", args: []string{"backup", "--service", "github", "--backup-file", "/dev/zero"}, code: exitUsage, says: "/dev/zero is larger than 1 MiB"},
		{name: "backup file a directory", args: []string{"backup", "--service", "github", "--backup-file", folder}, code: exitUsage, says: folder + " is a directory"},
		{name: "backup file empty", args: []string{"backup", "--service", "github", "--backup-file", empty}, code: exitUsage, says: empty + ": no backup codes found"},
		{name: "backup file of escapes", args: []string{"backup", "--service", "github", "--backup-file", file("codes.txt", hostileText+"\n"+hostileText)}, code: exitUsage, says: "codes.txt: line 1 is not valid UTF-8 text"},
		{name: "profiles /dev/zero", args: []string{"check", "--offline", "--profiles", "/dev/zero"}, code: exitUsage, says: "/dev/zero is larger than 1 MiB"},
		{name: "profiles a directory", args: []string{"check", "--offline", "--profiles", folder}, code: exitUsage, says: folder + " is a directory"},
		{name: "profiles empty", args: []string{"check", "--offline", "--profiles", empty}, code: exitUsage, says: empty + ":"},
		{name: "profiles of escapes", args: []string{"check", "--offline", "--profiles", file("profiles.json", `[{"id": "`+jsonEscape(hostileText)+`"}]`)}, code: exitUsage, says: "profiles.json"},
		{name: "report /dev/zero", args: []string{"explain", "/dev/zero"}, code: exitUsage, says: "/dev/zero is larger than 1 MiB"},
		{name: "report a directory", args: []string{"explain", folder}, code: exitUsage, says: folder + " is a directory"},
		{name: "report empty", args: []string{"explain", empty}, code: exitUsage, says: empty + " is empty"},
		{name: "report over 1 MiB", args: []string{"explain", oversized}, code: exitUsage, says: oversized + " is larger than 1 MiB"},
		{name: "report of escapes, not JSON", args: []string{"explain", file("escapes.json", hostileText)}, code: exitUsage, says: "escapes.json is not a JSON report: line 1, column 1"},

		// Standard input.
		{name: "key on stdin, escapes", args: []string{"check", "--offline", "--secret-file", "-"}, stdin: strings.NewReader(hostileText), code: exitUsage, says: "standard input"},
		{name: "QR image on stdin, escapes", args: []string{"check", "--offline", "--qr", "-"}, stdin: strings.NewReader(hostileText), code: exitUsage, says: "- is not a PNG"},
		{name: "backup codes on stdin, escapes", args: []string{"backup", "--service", "github", "--backup-file", "-"}, stdin: strings.NewReader(hostileText), code: exitUsage, says: "standard input: line 1 is not valid UTF-8 text"},
		{name: "profiles on stdin, escapes", args: []string{"check", "--offline", "--profiles", "-"}, stdin: strings.NewReader(hostileText), code: exitUsage, says: "standard input: line 1, column 1"},
		{name: "report on stdin, escapes", args: []string{"explain", "-"}, stdin: strings.NewReader(hostileReport), code: exitOK, says: `\x1b[2J`},
		{name: "report on stdin, endless", args: []string{"explain", "-"}, stdin: zeros{}, code: exitUsage, says: "standard input is larger than 1 MiB"},

		// What a key says: names that act on a terminal, unknown algorithms, absurd
		// digit counts, cut-off and corrupt exports.
		{name: "key labelled with escapes", args: []string{"secret", "--secret-file", labelled}, code: exitOK, says: `\x1b]52;c;cGF5`},
		{name: "key labelled with escapes, Markdown", args: []string{"secret", "--secret-file", labelled, "--format", "markdown"}, code: exitOK, says: `x1b]52;c;cGF5`},
		{name: "key labelled with escapes, list", args: []string{"secret", "list", "--secret-file", labelled}, code: exitOK, says: `\u202e`},
		{name: "algorithm SHA3", args: []string{"check", "--offline", "--secret-file", file("sha3.txt", uriWith("algorithm=SHA3"))}, code: exitFailed, says: `algorithm "SHA3"`},
		{name: "algorithm SHA3, match", args: []string{"match", "123456", "--offline", "--secret-file", file("sha3.txt", uriWith("algorithm=SHA3"))}, code: exitFailed, says: `algorithm "SHA3"`},
		{name: "algorithm SHA3, code", args: []string{"code", "--secret-file", file("sha3.txt", uriWith("algorithm=SHA3"))}, code: exitUsage, says: `algorithm "SHA3"`},
		{name: "algorithm with a NUL", args: []string{"check", "--offline", "--secret-file", file("nul.txt", uriWith("algorithm=SHA%001"))}, code: exitFailed, says: `algorithm "SHA\x001"`},
		{name: "algorithm MD5 in a Google export", args: []string{"check", "--offline", "--secret-file", file("md5.txt", googleExport(4))}, code: exitFailed, says: "MD5"},
		{name: "algorithm MD5 in a Google export, code", args: []string{"code", "--secret-file", file("md5.txt", googleExport(4))}, code: exitUsage, says: "MD5"},
		{name: "algorithm enum 99 in a Google export", args: []string{"check", "--offline", "--secret-file", file("enum99.txt", googleExport(99))}, code: exitFailed, says: "algorithm"},
		{name: "1048576 digits", args: []string{"check", "--offline", "--secret-file", file("digits.txt", uriWith("digits=1048576"))}, code: exitFailed, says: "1048576-digit codes"},
		{name: "1048576 digits, code", args: []string{"code", "--secret-file", file("digits.txt", uriWith("digits=1048576"))}, code: exitUsage, says: "1048576-digit codes"},
		{name: "digits past an int", args: []string{"check", "--offline", "--secret-file", file("digits-int.txt", uriWith("digits=99999999999999999999999"))}, code: exitFailed, says: "digits"},
		{name: "cut-off Aegis export", args: []string{"check", "--offline", "--secret-file", file("aegis.json", `{"version": 1, "db": {"entries": [{"type": "totp", "name": "x", "info": {"secret": "JBSW`)}, code: exitUsage, says: "aegis.json: JSON: the JSON ends too early"},
		{name: "cut-off Google export", args: []string{"check", "--offline", "--secret-file", file("cut.txt", googleExport(1)[:60])}, code: exitFailed, says: "Google Authenticator export"},
		{name: "corrupt CSV export", args: []string{"check", "--offline", "--secret-file", file("keepass.csv", "\"Title\",\"User Name\",\"TimeOtp-Secret-Base32\"\n\"x\",\"y\"\"\"z,\""+hostileText+"\n")}, code: exitUsage, says: "keepass.csv"},
		{name: "andOTP export named with escapes", args: []string{"secret", "list", "--secret-file", file("andotp.json",
			`[{"secret": "`+key+`", "issuer": "`+jsonEscape(hostileText)+`", "label": "`+jsonEscape(hostileText)+`", "digits": 6, "type": "TOTP", "algorithm": "SHA1", "period": 30}]`)},
			code: exitOK, says: `\x1b]0;pwned`},
		{name: "andOTP export with MD5", args: []string{"secret", "list", "--secret-file", file("andotp-md5.json",
			`[{"secret": "`+key+`", "issuer": "x", "label": "y", "digits": 6, "type": "TOTP", "algorithm": "MD5", "period": 30}]`)},
			code: exitFailed, says: `algorithm "MD5"`},
		{name: "cut-off Steam maFile", args: []string{"check", "--offline", "--secret-file", file("cut.maFile", `{"shared_secret": "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=", "account_name": "gam`)}, code: exitUsage, says: "cut.maFile"},
		{name: "corrupt Authy XML", args: []string{"check", "--offline", "--secret-file", file("authy.xml", `<?xml version='1.0' encoding='utf-8' standalone='yes' ?>`+"\n"+`<map><string name="com.authy.storage.tokens.authenticator.key">[{&quot;decryptedSecret&quot;: &quot;`)}, code: exitUsage, says: "authy.xml"},
		{name: "code typed with escapes", args: []string{"match", "12" + hostileText, "--offline", "--secret-file", file("key.txt", uriWith(""))}, code: exitFailed, says: "a control character"},

		// Huge numbers in every numeric flag: refused before anything runs, with the
		// flag, the value and its range.
		{name: "timeout of 292 years", args: []string{"check", "--offline", "--timeout", "2562047h"}, code: exitUsage, says: `--timeout "2562047h" is not a duration from 1ms to 1h`},
		{name: "look-ahead of 2^64-1", args: []string{"match", "123456", "--offline", "--look-ahead", "18446744073709551615"}, code: exitUsage, says: `--look-ahead "18446744073709551615" is not a whole number from 0 to`},
		{name: "look-ahead in exponent form", args: []string{"match", "123456", "--offline", "--look-ahead", "1e18"}, code: exitUsage, says: `--look-ahead "1e18"`},
		{name: "window of 114 years", args: []string{"match", "123456", "--offline", "--window", "1000000h"}, code: exitUsage, says: `--window "1000000h" is not a duration`},
		{name: "counter past 64 bits", args: []string{"code", "--counter", "18446744073709551616"}, code: exitUsage, says: `--counter "18446744073709551616"`},
		{name: "wait past a duration", args: []string{"phone", "--offline", "--wait", "9999999999h"}, code: exitUsage, says: `--wait "9999999999h"`},
		{name: "now in the year 3 million", args: []string{"check", "--offline", "--now", "99999999999999"}, code: exitUsage, says: `--now "99999999999999"`},
		{name: "at past 64 bits", args: []string{"code", "--at", "99999999999999999999"}, code: exitUsage, says: `--at "99999999999999999999"`},

		// A status page whose names act on a terminal.
		{name: "status page of escapes", args: []string{"status", "-v", "--status-url", hostileStatusPage(t)}, code: exitFailed, says: `\x1b]52;c;cGF5`},
		{name: "status page of escapes, Markdown", args: []string{"status", "--status-url", hostileStatusPage(t), "--format", "markdown"}, code: exitFailed, says: `x1b]52;c;cGF5`},

		// Flags given escapes.
		{name: "service of escapes", args: []string{"check", "--offline", "--service", hostileText}, code: exitUsage, says: `unknown --service "\x1b[2J\x1b]0;pwned`},
		{name: "now of escapes", args: []string{"check", "--offline", "--now", hostileText}, code: exitUsage, says: "--now"},
		{name: "platform of escapes", args: []string{"check", "--offline", "--platform", hostileText}, code: exitUsage, says: "--platform"},
		{name: "output of escapes", args: []string{"check", "--offline", "--output", filepath.Join(hostileName, "report.txt")}, code: exitUsage, says: "cannot write the report"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) { runHostile(t, row) })
	}
}

// zeros is an endless standard input, /dev/zero through a pipe.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// jsonEscape is s as the inside of a JSON string.
func jsonEscape(s string) string {
	data, _ := json.Marshal(s) // a string always marshals
	return string(data[1 : len(data)-1])
}
