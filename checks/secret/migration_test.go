package secret

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// otpParams is one account of a test export, as Google Authenticator encodes it.
type otpParams struct {
	secret       []byte
	name, issuer string
	algorithm    uint64 // enum: 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
	digits       uint64 // enum: 0 unspecified, 1 six, 2 eight
	typ          uint64 // enum: 0 unspecified, 1 HOTP, 2 TOTP
	counter      *uint64
}

// buildPayload encodes a MigrationPayload with protowire, as the app does.
func buildPayload(accounts []otpParams, batchSize, batchIndex, batchID int32) []byte {
	var b []byte
	for _, a := range accounts {
		var p []byte
		p = protowire.AppendTag(p, otpSecret, protowire.BytesType)
		p = protowire.AppendBytes(p, a.secret)
		p = protowire.AppendTag(p, otpName, protowire.BytesType)
		p = protowire.AppendString(p, a.name)
		p = protowire.AppendTag(p, otpIssuer, protowire.BytesType)
		p = protowire.AppendString(p, a.issuer)
		for _, f := range []struct {
			num protowire.Number
			v   uint64
		}{{otpAlgorithm, a.algorithm}, {otpDigits, a.digits}, {otpType, a.typ}} {
			p = protowire.AppendTag(p, f.num, protowire.VarintType)
			p = protowire.AppendVarint(p, f.v)
		}
		if a.counter != nil {
			p = protowire.AppendTag(p, otpCounter, protowire.VarintType)
			p = protowire.AppendVarint(p, *a.counter)
		}
		b = protowire.AppendTag(b, migrationOtpParameters, protowire.BytesType)
		b = protowire.AppendBytes(b, p)
	}
	for _, f := range []struct {
		num protowire.Number
		v   int32
	}{{migrationVersion, 1}, {migrationBatchSize, batchSize}, {migrationBatchIndex, batchIndex}, {migrationBatchID, batchID}} {
		b = protowire.AppendTag(b, f.num, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(f.v))
	}
	return b
}

func migrationURI(payload []byte) string {
	return "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(payload))
}

// testAccounts are n distinct TOTP accounts.
func testAccounts(n int) []otpParams {
	out := make([]otpParams, n)
	for i := range out {
		out[i] = otpParams{
			secret: bytes.Repeat([]byte{byte(i + 1)}, 20),
			name:   fmt.Sprintf("user%d@example.com", i), issuer: fmt.Sprintf("Service %d", i),
			algorithm: 1, digits: 1, typ: 2,
		}
	}
	return out
}

func TestDecodeMigrationAccounts(t *testing.T) {
	for _, n := range []int{1, 3, 10} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			accounts := testAccounts(n)
			m, err := DecodeMigrationURI(migrationURI(buildPayload(accounts, 1, 0, 77)))
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Entries) != n {
				t.Fatalf("%d entries, want %d", len(m.Entries), n)
			}
			for i, e := range m.Entries {
				want := Key{Type: TOTP, Secret: accounts[i].secret, Issuer: accounts[i].issuer, Account: accounts[i].name, Algorithm: SHA1, Digits: 6, Period: 30}
				if e.Err != nil || !equalKeys(e.Key, want) {
					t.Errorf("entry %d = %+v, %v; want %+v", i, redact(e.Key), e.Err, redact(want))
				}
				if e.Where != fmt.Sprintf("account %d", i+1) {
					t.Errorf("entry %d is at %q", i, e.Where)
				}
			}
			if m.Version != 1 || m.BatchSize != 1 || m.BatchIndex != 0 || m.BatchID != 77 {
				t.Errorf("batch fields = %+v", m)
			}
		})
	}
}

func TestDecodeMigrationEnums(t *testing.T) {
	seven := uint64(7)
	key := bytes.Repeat([]byte{9}, 20)
	for _, tc := range []struct {
		name  string
		p     otpParams
		want  Key
		error string
	}{
		{"algorithm unspecified is SHA1", otpParams{algorithm: 0, digits: 1, typ: 2}, Key{Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}, ""},
		{"SHA1", otpParams{algorithm: 1, digits: 1, typ: 2}, Key{Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}, ""},
		{"SHA256", otpParams{algorithm: 2, digits: 1, typ: 2}, Key{Type: TOTP, Algorithm: SHA256, Digits: 6, Period: 30}, ""},
		{"SHA512", otpParams{algorithm: 3, digits: 1, typ: 2}, Key{Type: TOTP, Algorithm: SHA512, Digits: 6, Period: 30}, ""},
		{"MD5 refused", otpParams{algorithm: 4, digits: 1, typ: 2}, Key{}, "account 1: algorithm MD5 is not one TOTP and HOTP are defined with (SHA1, SHA256 or SHA512)"},
		{"algorithm out of range", otpParams{algorithm: 9, digits: 1, typ: 2}, Key{}, "account 1: algorithm value 9 is not one Google Authenticator defines"},
		{"digits unspecified is 6", otpParams{algorithm: 1, digits: 0, typ: 2}, Key{Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}, ""},
		{"eight digits", otpParams{algorithm: 1, digits: 2, typ: 2}, Key{Type: TOTP, Algorithm: SHA1, Digits: 8, Period: 30}, ""},
		{"digits out of range", otpParams{algorithm: 1, digits: 3, typ: 2}, Key{}, "account 1: digit count value 3 is not one Google Authenticator defines"},
		{"type unspecified is TOTP", otpParams{algorithm: 1, digits: 1, typ: 0}, Key{Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}, ""},
		{"HOTP with counter", otpParams{algorithm: 1, digits: 1, typ: 1, counter: &seven}, Key{Type: HOTP, Algorithm: SHA1, Digits: 6, Counter: 7, HasCounter: true}, ""},
		{"HOTP at counter 0 (proto3 leaves the field out)", otpParams{algorithm: 1, digits: 1, typ: 1}, Key{Type: HOTP, Algorithm: SHA1, Digits: 6, HasCounter: true}, ""},
		{"type out of range", otpParams{algorithm: 1, digits: 1, typ: 3}, Key{}, "account 1: type value 3 is neither HOTP nor TOTP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.secret = key
			m, err := DecodeMigration(buildPayload([]otpParams{tc.p}, 1, 0, 1))
			if err != nil {
				t.Fatal(err)
			}
			e := m.Entries[0]
			if tc.error != "" {
				if e.Err == nil || e.Err.Error() != tc.error {
					t.Fatalf("entry error = %v, want %q", e.Err, tc.error)
				}
				return
			}
			tc.want.Secret = key
			if e.Err != nil || !equalKeys(e.Key, tc.want) {
				t.Errorf("entry = %+v, %v; want %+v", redact(e.Key), e.Err, redact(tc.want))
			}
		})
	}
}

func TestDecodeMigrationIssuerInName(t *testing.T) {
	p := otpParams{secret: bytes.Repeat([]byte{3}, 20), name: "GitHub: alice", algorithm: 1, digits: 1, typ: 2}
	m, err := DecodeMigration(buildPayload([]otpParams{p}, 1, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if k := m.Entries[0].Key; k.Issuer != "GitHub" || k.Account != "alice" || k.LabelIssuer != "GitHub" {
		t.Errorf("issuer %q account %q label issuer %q", k.Issuer, k.Account, k.LabelIssuer)
	}
}

// TestMigrationPlusAsSpace: the base64 '+' arrives as a space when the URI was not
// percent-encoded and went through form decoding; and unencoded '+' is kept.
func TestMigrationPlusAsSpace(t *testing.T) {
	// Bytes FB EF BE encode as "++++" in base64 when aligned on 3 bytes: shift them
	// along until the payload's base64 has '+' in it.
	var accounts []otpParams
	var b64 string
	for shift := 0; !strings.Contains(b64, "+"); shift++ {
		key := append(make([]byte, shift%3+1), bytes.Repeat([]byte{0xFB, 0xEF, 0xBE}, 7)...)
		accounts = []otpParams{{secret: key, name: "plus", issuer: "Test", algorithm: 1, digits: 1, typ: 2}}
		b64 = base64.StdEncoding.EncodeToString(buildPayload(accounts, 1, 0, 1))
	}
	for name, uri := range map[string]string{
		"percent-encoded":       "otpauth-migration://offline?data=" + url.QueryEscape(b64),
		"plus turned to space":  "otpauth-migration://offline?data=" + strings.ReplaceAll(b64, "+", " "),
		"plus left as it is":    "otpauth-migration://offline?data=" + b64,
		"space percent-encoded": "otpauth-migration://offline?data=" + strings.ReplaceAll(b64, "+", "%20"),
		"padding stripped":      "otpauth-migration://offline?data=" + strings.TrimRight(b64, "="),
	} {
		t.Run(name, func(t *testing.T) {
			m, err := DecodeMigrationURI(uri)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(m.Entries[0].Key.Secret, accounts[0].secret) {
				t.Error("the key changed on the way")
			}
		})
	}
}

func TestMigrationBatches(t *testing.T) {
	accounts := testAccounts(5)
	lines := []string{
		migrationURI(buildPayload(accounts[:2], 3, 0, 500)),
		migrationURI(buildPayload(accounts[2:4], 3, 2, 500)),
	}
	src, err := Parse([]byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if src.Form != FormMigration || len(src.Entries) != 4 {
		t.Fatalf("form %s with %d entries", src.Form, len(src.Entries))
	}
	if src.Entries[2].Where != "line 2, account 1" {
		t.Errorf("third entry is at %q", src.Entries[2].Where)
	}
	b := src.Batches[500]
	if b == nil || b.Size != 3 || fmt.Sprint(b.Missing()) != "[2]" {
		t.Fatalf("batch = %+v, missing %v", b, b.Missing())
	}
	details := sourceDetails(src)
	if len(details) != 2 || details[1] != "QR code 2 of the 3 in the export was not given: the accounts in it are not checked." {
		t.Errorf("details = %q", details)
	}
	// With every batch given, nothing is missing.
	lines = append(lines, migrationURI(buildPayload(accounts[4:], 3, 1, 500)))
	src, _ = Parse([]byte(strings.Join(lines, "\n")))
	if len(src.Entries) != 5 || len(src.Batches[500].Missing()) != 0 {
		t.Errorf("all batches: %d entries, missing %v", len(src.Entries), src.Batches[500].Missing())
	}
}

func TestDecodeMigrationMalformed(t *testing.T) {
	good := buildPayload(testAccounts(2), 1, 0, 1)
	for _, tc := range []struct{ name, uri, want string }{
		{"no data", "otpauth-migration://offline?foo=bar", "Google Authenticator export: no data parameter"},
		{"not base64", "otpauth-migration://offline?data=%21%21%21%21", "Google Authenticator export: the data parameter is not base64: corrupt at character 1"},
		{"bad escape", "otpauth-migration://offline?data=%zz", "Google Authenticator export: the data parameter is not valid URL encoding"},
		{"truncated", migrationURI(good[:len(good)-15]), "Google Authenticator export: field 1 at byte 61 is truncated or malformed"}, // the second account, cut short
		{"bad tag", migrationURI([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), "Google Authenticator export: malformed field tag at byte 1"},
		{"impossible batch", migrationURI(buildPayload(testAccounts(1), 2, 5, 1)), "Google Authenticator export: batch 6 of 2 is impossible"},
		{"absurd batch count", migrationURI(buildPayload(testAccounts(1), 1<<30, 0, 1)), "Google Authenticator export: batch 1 of 1073741824 is impossible"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeMigrationURI(tc.uri)
			var pe *ParseError
			if !errors.As(err, &pe) || err.Error() != tc.want {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
	// A bad account key is that entry's error; the others are read.
	accounts := testAccounts(2)
	accounts[0].secret = make([]byte, 20)
	m, err := DecodeMigration(buildPayload(accounts, 1, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if m.Entries[0].Err == nil || !strings.HasPrefix(m.Entries[0].Err.Error(), "account 1: every byte of the key is zero") || m.Entries[1].Err != nil {
		t.Errorf("entries: %v / %v", m.Entries[0].Err, m.Entries[1].Err)
	}
}

func BenchmarkParseMigration(b *testing.B) {
	text := []byte(migrationURI(buildPayload(testAccounts(10), 1, 0, 1)))
	for b.Loop() {
		if src, err := Parse(text); err != nil || len(src.Entries) != 10 {
			b.Fatal(err)
		}
	}
}
