package secret

import (
	"errors"
	"strings"
	"testing"
)

const aegisPlain = `{
  "version": 1,
  "header": {"slots": null, "params": null},
  "db": {
    "version": 2,
    "entries": [
      {"type": "totp", "uuid": "a", "name": "alice@example.com", "issuer": "GitHub", "note": "", "icon": null,
       "info": {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA1", "digits": 6, "period": 30}},
      {"type": "hotp", "uuid": "b", "name": "bob", "issuer": "Bank",
       "info": {"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "algo": "SHA256", "digits": 8, "counter": 12}},
      {"type": "steam", "uuid": "c", "name": "gamer", "issuer": "Steam",
       "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 5, "period": 30}}
    ]
  }
}`

const aegisEncrypted = `{
  "version": 1,
  "header": {"slots": [{"type": 1, "uuid": "x", "key": "00", "key_params": {"nonce": "00", "tag": "00"}}],
             "params": {"nonce": "00", "tag": "00"}},
  "db": "c2VjcmV0IHN0dWZm"
}`

const twoFASPlain = `{
  "services": [
    {"name": "Google", "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
     "otp": {"label": "Google:carol", "account": "carol", "issuer": "Google", "digits": 6, "period": 30, "algorithm": "SHA1", "tokenType": "TOTP", "source": "Link"},
     "order": {"position": 0}},
    {"name": "Dropbox", "secret": "GEZDGNBVGY3TQOJ1",
     "otp": {"account": "dave", "digits": 6, "period": 30, "algorithm": "SHA1", "tokenType": "TOTP"}}
  ],
  "groups": [],
  "schemaVersion": 4
}`

const twoFASEncrypted = `{"services": [], "groups": [], "schemaVersion": 4,
  "servicesEncrypted": "AAAA:BBBB:CCCC", "reference": "DDDD"}`

func TestParseForms(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       string
		form     Form
		accounts int
	}{
		{"base32", rfcKeyBase32 + "\n", FormBase32, 1},
		{"grouped base32 with BOM", "\uFEFFgezd gnbv gy3t qojq gezd gnbv gy3t qojq", FormBase32, 1},
		{"one URI", "otpauth://totp/x?secret=" + rfcKeyBase32 + "\n", FormURI, 1},
		{"URI list with comments and blank lines", "# my keys\n\notpauth://totp/a?secret=" + rfcKeyBase32 + "\r\notpauth://hotp/b?secret=" + rfcKeyBase32 + "&counter=1\n", FormURIList, 2},
		{"migration", migrationURI(buildPayload(testAccounts(3), 1, 0, 1)), FormMigration, 3},
		{"migration and URIs mixed", migrationURI(buildPayload(testAccounts(2), 1, 0, 1)) + "\notpauth://totp/a?secret=" + rfcKeyBase32, FormURIList, 3},
		{"aegis", aegisPlain, FormAegis, 3},
		{"2fas", twoFASPlain, Form2FAS, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Parse([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if src.Form != tc.form || len(src.Entries) != tc.accounts {
				t.Errorf("form %s with %d accounts, want %s with %d", src.Form, len(src.Entries), tc.form, tc.accounts)
			}
		})
	}
}

func TestParseAegis(t *testing.T) {
	src, err := Parse([]byte(aegisPlain))
	if err != nil {
		t.Fatal(err)
	}
	github := Key{Type: TOTP, Secret: rfcKey, Issuer: "GitHub", Account: "alice@example.com", Algorithm: SHA1, Digits: 6, Period: 30}
	if e := src.Entries[0]; e.Err != nil || !equalKeys(e.Key, github) {
		t.Errorf("entry 1 = %+v, %v", redact(e.Key), e.Err)
	}
	if e := src.Entries[1]; e.Err != nil || e.Key.Type != HOTP || e.Key.Counter != 12 || !e.Key.HasCounter || e.Key.Algorithm != SHA256 || e.Key.Digits != 8 {
		t.Errorf("entry 2 = %+v, %v", redact(e.Key), e.Err)
	}
	if e := src.Entries[2]; e.Err != nil || e.Key.Encoding != Steam || e.Key.Digits != SteamDigits || e.Key.Issuer != "Steam" {
		t.Errorf("entry 3 = %+v, %v", redact(e.Key), e.Err)
	}
}

func TestParse2FAS(t *testing.T) {
	src, err := Parse([]byte(twoFASPlain))
	if err != nil {
		t.Fatal(err)
	}
	if e := src.Entries[0]; e.Err != nil || e.Key.Issuer != "Google" || e.Key.Account != "carol" {
		t.Errorf("entry 1 = %+v, %v", redact(e.Key), e.Err)
	}
	// The issuer falls back to the service name; the bad key is located.
	e := src.Entries[1]
	if e.Key.Issuer != "Dropbox" || e.Err == nil || !strings.HasPrefix(e.Err.Error(), "entry 2, secret: 1 character is not base32 (column 16: the digit 1") {
		t.Errorf("entry 2 = %+v, %v", redact(e.Key), e.Err)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		encrypted      bool
	}{
		{"aegis encrypted", aegisEncrypted, "an Aegis vault that is encrypted", true},
		{"2fas encrypted", twoFASEncrypted, "a 2FAS backup that is encrypted", true},
		{"pgp", "-----BEGIN PGP MESSAGE-----\n\nhQEMA...\n-----END PGP MESSAGE-----\n", "an OpenPGP file that is encrypted", true},
		{"age", "age-encryption.org/v1\n-> X25519 abc\n", "an age file that is encrypted", true},
		{"openssl", "Salted__\x01\x02\x03\x04\x05\x06\x07\x08\xff\xfe", "an OpenSSL file that is encrypted", true},
		{"other JSON", `{"users": []}`, "JSON that is no export otpdoctor knows (" + knownJSONWords + ")", false},
		{"broken JSON", "{\n  \"db\": {\"entries\": [,]}\n}", "JSON: line 2, column 22: not valid JSON: a punctuation mark or symbol where a value should begin", false},
		{"binary", "\x00\x01\x02\xff\xfe", binaryError().Error(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
			if errors.Is(err, ErrEncrypted) != tc.encrypted {
				t.Errorf("errors.Is(err, ErrEncrypted) = %v", !tc.encrypted)
			}
		})
	}
}

// A malformed key is not a Parse error: its entry carries the *ParseError.
func TestParseMalformedKeyIsAnEntry(t *testing.T) {
	for _, in := range []string{"JBSWY3DPEHPK3PX0", "otpauth://totp/x?secret=JBSWY3DP!", "otpauth-migration://offline?data=%21"} {
		src, err := Parse([]byte(in))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		var pe *ParseError
		if len(src.Entries) != 1 || !errors.As(src.Entries[0].Err, &pe) {
			t.Errorf("entries = %+v", src.Entries)
		}
	}
}

func TestMatching(t *testing.T) {
	src, _ := Parse([]byte(aegisPlain))
	for _, tc := range []struct {
		text string
		want int
	}{{"github", 1}, {"ALICE", 1}, {"b", 2}, {"bank", 1}, {"nothing", 0}, {"", 3}} {
		if got := len(src.Matching(tc.text)); got != tc.want {
			t.Errorf("Matching(%q) = %d entries, want %d", tc.text, got, tc.want)
		}
	}
}

func TestFormWords(t *testing.T) {
	for form, want := range map[Form]string{
		FormURIList:                  "a list of otpauth:// URIs",
		FormQR + ":" + FormMigration: "a QR code image of a Google Authenticator export",
		"something-new":              "something-new",
	} {
		if got := form.Words(); got != want {
			t.Errorf("%s.Words() = %q, want %q", form, got, want)
		}
	}
}
