package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/skip2/go-qrcode"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
)

// leakSources are the leak test's key sources in every form otpdoctor reads besides a
// URI file and the environment: each holds leakKey, and the test checks that no
// command prints it in any of its forms (base32, hex, base64, the raw bytes).
func leakSources(t *testing.T, dir string) map[string][]string {
	t.Helper()
	b32 := secret.EncodeBase32(leakKey)
	uri := "otpauth://totp/Leak:test?secret=" + b32 + "&issuer=Leak"
	signed := make([]int, len(leakKey))
	for i, b := range leakKey {
		signed[i] = int(int8(b))
	}
	files := map[string]string{
		"andotp.json":    mustJSON(t, []map[string]any{{"secret": b32, "issuer": "Leak", "label": "test", "digits": 6, "type": "TOTP", "algorithm": "SHA1", "period": 30, "thumbnail": "Default", "tags": []string{}}}),
		"freeotp.json":   mustJSON(t, map[string]any{"tokens": []map[string]any{{"secret": signed, "issuerExt": "Leak", "label": "test", "type": "TOTP", "algo": "SHA1", "digits": 6, "period": 30}}}),
		"bitwarden.csv":  "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,,login,Leak,,,0,,test,pw,steam://" + b32 + "\n",
		"bitwarden.json": mustJSON(t, map[string]any{"encrypted": false, "items": []map[string]any{{"name": "Leak", "login": map[string]any{"username": "test", "totp": uri}}}}),
		"stratum.json":   mustJSON(t, map[string]any{"Authenticators": []map[string]any{{"Type": 2, "Issuer": "Leak", "Username": "test", "Secret": b32, "Algorithm": 0, "Digits": 6, "Period": 30, "Counter": 0}}}),
		"test.maFile":    mustJSON(t, map[string]any{"shared_secret": base64.StdEncoding.EncodeToString(leakKey), "account_name": "test"}),
		"battlenet.xml":  `<map><string name="com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET">` + hex.EncodeToString(leakKey) + `</string></map>`,
		"keepass.csv":    "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\"\n\"Root\",\"Leak\",\"test\",\"pw\",\"\",\"\",\"" + uri + "\"\n",
		"nbsp.txt":       b32[:8] + "\u00a0" + b32[8:16] + "\u200b" + b32[16:],
		"utf16.txt":      string(utf16LE(b32 + "\r\n")),
	}
	out := map[string][]string{}
	for name, text := range files {
		out[name] = []string{"--secret-file", writeFile(t, dir, name, []byte(text))}
	}
	var qrs []string
	for i := range 2 {
		payload := migrationPayload(leakKey, 2, int32(i))
		png, err := qrcode.Encode("otpauth-migration://offline?data="+base64.StdEncoding.EncodeToString(payload), qrcode.Medium, 400)
		if err != nil {
			t.Fatal(err)
		}
		qrs = append(qrs, "--qr", writeFile(t, dir, fmt.Sprintf("export-%d.png", i+1), png))
	}
	out["two export QR codes"] = qrs
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// utf16LE is s as Windows PowerShell 5.1 writes a file: UTF-16 little-endian with a BOM.
func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// migrationPayload is one QR code (index of size) of a Google Authenticator export
// holding key for one account.
func migrationPayload(key []byte, size, index int32) []byte {
	var p []byte
	p = protowire.AppendTag(p, 1, protowire.BytesType)
	p = protowire.AppendBytes(p, key)
	p = protowire.AppendTag(p, 2, protowire.BytesType)
	p = protowire.AppendBytes(p, fmt.Appendf(nil, "user%d", index))
	p = protowire.AppendTag(p, 3, protowire.BytesType)
	p = protowire.AppendBytes(p, fmt.Appendf(nil, "Service %d", index))
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, p)
	for _, f := range []struct {
		num protowire.Number
		v   int32
	}{{2, 1}, {3, size}, {4, index}, {5, 4242}} {
		b = protowire.AppendTag(b, f.num, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(f.v))
	}
	return b
}

// TestNoCommandLeaksTheKeyFromAnySource runs every leak command on each of the other
// key sources, in text and JSON, verbose, with --output.
func TestNoCommandLeaksTheKeyFromAnySource(t *testing.T) {
	dir := t.TempDir()
	forms := leakForms(leakKey, "")
	for name, args := range leakSources(t, dir) {
		for _, cmd := range leakCommands {
			for _, format := range []string{diag.FormatText, diag.FormatJSON} {
				all := append(append(append([]string{}, cmd...), args...), "--offline", "--format", format, "-v")
				if name == "two export QR codes" {
					all = append(all, "--account", "Service 1")
				}
				output := filepath.Join(dir, "report.out")
				os.Remove(output)
				all = append(all, "--output", output)
				t.Run(name+"/"+strings.Join(cmd, " ")+"/"+format, func(t *testing.T) {
					r := execCLI(t, nil, "", all...)
					if r.code == exitUsage && !strings.Contains(strings.Join(cmd, " "), "secret show") {
						t.Errorf("exit 2: %s", r.stderr)
					}
					assertNoKey(t, "stdout", r.stdout, forms)
					assertNoKey(t, "stderr", r.stderr, forms)
					if data, err := os.ReadFile(output); err == nil {
						assertNoKey(t, "the --output file", string(data), forms)
					}
				})
			}
		}
	}
}

// TestSeveralQRImages: an export over three QR codes, given as three --qr images in one
// run, reads to every account; with one left out, the missing one is named.
func TestSeveralQRImages(t *testing.T) {
	dir := t.TempDir()
	var args []string
	for i := range 3 {
		key := bytes.Repeat([]byte{byte(i + 1)}, 20)
		png, err := qrcode.Encode("otpauth-migration://offline?data="+base64.StdEncoding.EncodeToString(migrationPayload(key, 3, int32(i))), qrcode.Medium, 400)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--qr", writeFile(t, dir, fmt.Sprintf("export-%d.png", i+1), png))
	}
	r := execCLI(t, nil, "", append([]string{"secret", "list", "--offline"}, args...)...)
	if r.code != exitOK || !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), "3 accounts in a QR code image of a Google Authenticator export.") ||
		!strings.Contains(r.stdout, "Service 2: user2") {
		t.Errorf("three images: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = execCLI(t, nil, "", "secret", "list", "--offline", args[0], args[1], args[4], args[5])
	if !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), "QR code 2 of the 3 in the export was not given") {
		t.Errorf("a missing image is not named:\n%s", r.stdout)
	}
	r = execCLI(t, nil, "", "code", "--offline", "--account", "Service 1", args[0], args[1], args[4], args[5])
	if r.code != exitUsage || !strings.Contains(r.stderr, "hint: QR code 2 of the 3 in the export was not given") {
		t.Errorf("--account of a missing image: exit %d\n%s", r.code, r.stderr)
	}
}

// TestExportFixturesGiveRFCCodes: the GitHub account of every export fixture holds the
// RFC 4226 test key; `code` gives RFC 6238's SHA1 vector for it (287082 at 59 s), and
// the Steam Guard accounts give Steam's code of that key.
func TestExportFixturesGiveRFCCodes(t *testing.T) {
	dir := filepath.Join("..", "..", "checks", "secret", "testdata", "exports")
	for _, tc := range []struct{ file, account, at, want string }{
		{"andotp.json", "GitHub", "59", "287082"},
		{"bitwarden.json", "GitHub", "59", "287082"},
		{"bitwarden.csv", "GitHub", "59", "287082"},
		{"proton.json", "GitHub", "59", "287082"},
		{"stratum.json", "GitHub", "59", "287082"},
		{"keepassxc.csv", "GitHub", "59", "287082"},
		{"keepass-timeotp.csv", "GitHub", "59", "287082"},
		{"extract-otp-secrets.csv", "GitHub", "59", "287082"},
		{"extract-otp-secrets.json", "GitHub", "59", "287082"},
		{"authy.xml", "GitHub", "59", "287082"},
		{"duo.json", "GitHub", "59", "287082"},
		{"battlenet.xml", "Battle.net", "59", "94287082"},
		{"gamer.maFile", "gamer", "1700000000", "R87JJ"},
		{"andotp.json", "Steam", "1700000000", "R87JJ"},
		{"stratum.json", "Steam", "1700000000", "R87JJ"},
		{"freeotp-plus.json", "Steam", "1700000000", "R87JJ"},
		{"keepassxc.csv", "Steam", "1700000000", "R87JJ"},
	} {
		t.Run(tc.file+"/"+tc.account, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), tc.file, readFile(t, filepath.Join(dir, tc.file)))
			r := execCLI(t, nil, "", "code", "--secret-file", path, "--account", tc.account, "--at", tc.at)
			if r.code != exitOK || strings.TrimSpace(strings.SplitN(r.stdout, "\n", 2)[0]) != tc.want {
				t.Errorf("exit %d: %q, want %s\n%s", r.code, r.stdout, tc.want, r.stderr)
			}
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
