package secret

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// highKey has bytes above 127, which FreeOTP stores as negative (Java's signed bytes).
var highKey = []byte{0xfe, 0x80, 0x01, 0x7f, 0xc3, 0x9a, 0x10, 0x22, 0xee, 0x55, 0x91, 0x08, 0xab, 0xcd, 0xef, 0x33, 0x44, 0x99, 0xd0, 0x0d}

// want is one account a fixture must read to; key is rfcKey unless set, err a part of
// the entry's error when it must not read.
type want struct {
	issuer, account string
	typ             Type
	enc             Encoding
	alg             Algorithm
	digits, period  int
	counter         uint64
	key             []byte
	err             string
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "exports", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestParseExports: every export fixture (written for these tests from the formats'
// documentation and the apps' importers) reads to its accounts and parameters, with
// the RFC 4226 test key (or highKey) in each, recognised from content alone.
func TestParseExports(t *testing.T) {
	steam := want{issuer: "Steam", account: "gamer", typ: TOTP, enc: Steam} // digits: the default, 5
	for _, tc := range []struct {
		file string
		form Form
		want []want
	}{
		{"andotp.json", FormAndOTP, []want{
			{issuer: "GitHub", account: "alice@example.com", typ: TOTP, alg: SHA1, digits: 6, period: 30},
			{issuer: "Bank", account: "bob", typ: HOTP, alg: SHA256, digits: 8, counter: 5},
			{issuer: "Steam", account: "gamer", typ: TOTP, enc: Steam, alg: SHA1, digits: 5, period: 30},
			{issuer: "OldIssuer", account: "carol", typ: TOTP, alg: SHA512, digits: 6, period: 60},
		}},
		{"freeotp-plus.json", FormFreeOTPPlus, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP, alg: SHA1, digits: 6, period: 30, key: highKey},
			{issuer: "Steam", account: "gamer", typ: TOTP, enc: Steam, alg: SHA1, digits: 5, period: 30},
			{issuer: "Bank", account: "bob", typ: HOTP, alg: SHA512, digits: 8, counter: 9},
		}},
		{"freeotp-tokens.xml", FormFreeOTPXML, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP, alg: SHA1, digits: 6, period: 30, key: highKey},
			{issuer: "VPN", account: "dave", typ: HOTP, alg: SHA256, digits: 6, counter: 3},
		}},
		{"bitwarden.json", FormBitwardenJSON, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP},
			{issuer: "Mail", account: "carol@example.com", typ: TOTP},
			steam,
		}},
		{"bitwarden.csv", FormBitwardenCSV, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP},
			{issuer: "Mail, Inc.", account: "carol@example.com", typ: TOTP},
			steam,
		}},
		{"proton.json", FormProton, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP, alg: SHA1, digits: 6, period: 30},
			{issuer: "Steam", typ: TOTP, enc: Steam},
		}},
		{"stratum.json", FormStratum, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP, alg: SHA1, digits: 6, period: 30},
			{issuer: "Bank", typ: HOTP, alg: SHA256, digits: 8, counter: 12},
			{issuer: "Steam", account: "gamer", typ: TOTP, enc: Steam, alg: SHA1, digits: 5, period: 30},
			{issuer: "Old VPN", account: "x", err: `entry 4: type "motp" is neither TOTP, HOTP nor Steam`},
		}},
		{"duo.json", FormDuo, []want{
			{account: "GitHub (alice)", typ: TOTP},
			{account: "Hardware token", typ: HOTP, counter: 4},
		}},
		{"authy.xml", FormAuthy, []want{
			{issuer: "GitHub", account: "GitHub:alice", typ: TOTP, digits: 6},
			{issuer: "Example", account: "bob", typ: TOTP, digits: 7},
		}},
		{"battlenet.xml", FormBattleNet, []want{{issuer: "Battle.net", account: "US-1234-5678-9012", typ: TOTP, digits: 8}}},
		{"gamer.maFile", FormSteamMaFile, []want{steam}},
		{"keepassxc.csv", FormKeePassCSV, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP, digits: 6, period: 30},
			{issuer: "Steam", account: "gamer", typ: TOTP, enc: Steam, digits: 5, period: 30},
		}},
		{"keepass-timeotp.csv", FormKeePassCSV, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP},
			{issuer: "Mail", account: "carol", typ: TOTP},
		}},
		{"extract-otp-secrets.csv", FormExtractedCSV, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP},
			{issuer: "Bank", account: "bob", typ: HOTP, counter: 7},
		}},
		{"extract-otp-secrets.json", FormExtractedJSON, []want{
			{issuer: "GitHub", account: "alice", typ: TOTP},
			{issuer: "Bank", account: "bob", typ: HOTP, counter: 7},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			src, err := Parse(readFixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if src.Form != tc.form {
				t.Errorf("form %s, want %s", src.Form, tc.form)
			}
			if len(src.Entries) != len(tc.want) {
				t.Fatalf("%d entries, want %d", len(src.Entries), len(tc.want))
			}
			for i, w := range tc.want {
				checkEntry(t, src.Entries[i], w)
			}
		})
	}
}

func checkEntry(t *testing.T, e Entry, w want) {
	t.Helper()
	k := e.Key
	if k.Issuer != w.issuer || k.Account != w.account {
		t.Errorf("%s: issuer %q account %q, want %q %q", e.Where, k.Issuer, k.Account, w.issuer, w.account)
	}
	if w.err != "" {
		if e.Err == nil || !strings.Contains(e.Err.Error(), w.err) {
			t.Errorf("%s: error %v, want one containing %q", e.Where, e.Err, w.err)
		}
		return
	}
	if e.Err != nil {
		t.Fatalf("%s: %v", e.Where, e.Err)
	}
	key := w.key
	if key == nil {
		key = rfcKey
	}
	if !bytes.Equal(k.Secret, key) {
		t.Errorf("%s: key fingerprint %s, want %s", e.Where, k.Fingerprint(), Fingerprint(key))
	}
	if k.Type != w.typ || k.Encoding != w.enc || k.Algorithm != w.alg || k.Digits != w.digits || k.Period != w.period || k.Counter != w.counter || (w.typ == HOTP) != k.HasCounter {
		t.Errorf("%s: %s %q %s %d digits %d s counter %d (given %v), want %s %q %s %d digits %d s counter %d", e.Where,
			k.Type, k.Encoding, k.Algorithm, k.Digits, k.Period, k.Counter, k.HasCounter, w.typ, w.enc, w.alg, w.digits, w.period, w.counter)
	}
}

// TestParseRefusesByName: encrypted backups, app databases and other files that hold
// no key are named, with what to do, never called a malformed key.
func TestParseRefusesByName(t *testing.T) {
	sqlite := func(schema string) []byte {
		b := append([]byte("SQLite format 3\x00"), make([]byte, 84)...)
		return append(b, schema...)
	}
	andOTP := append([]byte{0, 2, 0x49, 0xf0}, bytes.Repeat([]byte{0x9c, 0x03, 0xf1}, 30)...) // 150,000 iterations
	for _, tc := range []struct {
		name string
		data []byte
		what string
		kind error
	}{
		{"andOTP encrypted", andOTP, "an andOTP backup that is encrypted", ErrEncrypted},
		{"Stratum encrypted", readFixture(t, "stratum-encrypted.bin"), "a Stratum (Authenticator Pro) backup that is encrypted", ErrEncrypted},
		{"Stratum legacy encrypted", []byte("AuthenticatorPro\x01\x02\x03"), "a Stratum (Authenticator Pro) backup that is encrypted", ErrEncrypted},
		{"FreeOTP 2 backup", []byte("\xac\xed\x00\x05sr\x00\x11java.util.HashMap"), "a FreeOTP backup (FreeOTP 2 encrypts every backup) that is encrypted", ErrEncrypted},
		{"TOTP Authenticator", []byte("q83vEjRWeJq8vN7wEjRWeJq8vN7wEjRWeJq8vN7wEjRWeJq8vN7wEjRWeJq8vN7w"), "base64 ciphertext, like a TOTP Authenticator backup, that is encrypted", ErrEncrypted},
		{"Authenticator Plus", []byte("PK\x03\x04\x14\x00\x09\x00\x08\x00"), "a password-protected ZIP archive (Authenticator Plus backups are these) that is encrypted", ErrEncrypted},
		{"Authy with backup password", readFixture(t, "authy-encrypted.xml"), "Authy's token storage with the backup password on that is encrypted", ErrEncrypted},
		{"Bitwarden encrypted", readFixture(t, "bitwarden-encrypted.json"), "a Bitwarden export that is encrypted", ErrEncrypted},
		{"Proton encrypted", readFixture(t, "proton-encrypted.json"), "a Proton Authenticator export that is encrypted", ErrEncrypted},
		{"Google Authenticator database", sqlite("CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL)"), "Google Authenticator's database, not an export", ErrAppDatabase},
		{"Microsoft Authenticator database", sqlite("CREATE TABLE accounts (name TEXT, username TEXT, oath_secret_key TEXT)"), "Microsoft Authenticator's database, not an export", ErrAppDatabase},
		{"Stratum database", sqlite("CREATE TABLE authenticator (Secret varchar primary key not null)"), "Stratum's (Authenticator Pro's) database, not an export", ErrAppDatabase},
		{"other database", sqlite("CREATE TABLE notes (body TEXT)"), "an app database (SQLite), not an export", ErrAppDatabase},
		{"HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), "a HEIC photo, which otpdoctor cannot read", nil},
		{"plain ZIP", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), "a ZIP archive", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.data)
			var r *Refusal
			if !errors.As(err, &r) {
				t.Fatalf("error = %v, want a *Refusal", err)
			}
			if r.What != tc.what || r.Hint == "" {
				t.Errorf("refusal %q (hint %q), want %q with a hint", r.What, r.Hint, tc.what)
			}
			if tc.kind != nil && !errors.Is(err, tc.kind) {
				t.Errorf("not %v", tc.kind)
			}
		})
	}
}

// TestParseNoKey: files with no key at all say so, never "malformed".
func TestParseNoKey(t *testing.T) {
	for _, in := range []string{"", "  \n\t\n", "# my keys\n\n# none yet\n", "\ufeff", "[]", `{"items": []}`,
		"folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,,login,Forum,,,0,,bob,pw,\n"} {
		_, err := Parse([]byte(in))
		if !errors.Is(err, ErrNoKey) {
			t.Errorf("%q: error = %v, want ErrNoKey", in, err)
		}
	}
}

// TestParseText: UTF-16 with a byte order mark (PowerShell 5.1's echo KEY > key.txt),
// UTF-8 with one, Latin-1 labels, invisible characters inside a key (named), a scanner
// prefix before a URI.
func TestParseText(t *testing.T) {
	utf16 := func(s string, bigEndian bool) []byte {
		out := []byte{0xff, 0xfe}
		if bigEndian {
			out = []byte{0xfe, 0xff}
		}
		for _, r := range s {
			if bigEndian {
				out = append(out, byte(r>>8), byte(r))
			} else {
				out = append(out, byte(r), byte(r>>8))
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		in      []byte
		account string
		removed string
	}{
		{"UTF-16 LE with BOM and CRLF", utf16(rfcKeyBase32+"\r\n", false), "", ""},
		{"UTF-16 BE with BOM", utf16(rfcKeyBase32, true), "", ""},
		{"UTF-8 with BOM", []byte("\ufeff" + rfcKeyBase32 + "\n"), "", ""},
		{"Latin-1 label", []byte("otpauth://totp/Caf\xe9:Jos\xe9?secret=" + rfcKeyBase32 + "\n"), "José", ""},
		{"no-break and zero-width spaces", []byte("GEZD\u00a0GNBV\u00a0GY3T\u200bQOJQ GEZDGNBVGY3TQOJQ"), "", "2 no-break spaces and 1 zero-width space"},
		{"zbarimg output", []byte("QR-Code:otpauth://totp/Shop:eve?secret=" + rfcKeyBase32 + "\n"), "eve", ""},
		{"zero-width space before a URI", []byte("\u200botpauth://totp/Shop:eve?secret=" + rfcKeyBase32), "eve", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			e := src.Entries[0]
			if e.Err != nil || !bytes.Equal(e.Key.Secret, rfcKey) || e.Key.Account != tc.account {
				t.Fatalf("entry = %+v, %v", redact(e.Key), e.Err)
			}
			if got := e.Key.text.removed.String(); got != tc.removed {
				t.Errorf("removed %q, want %q", got, tc.removed)
			}
		})
	}
}
