package secret

import (
	"bytes"
	"cmp"
	"errors"
	"strings"
	"testing"

	"github.com/pquerna/otp"
)

func TestParseURI(t *testing.T) {
	for _, tc := range []struct {
		name string
		uri  string
		want Key
	}{
		{"minimal totp", "otpauth://totp/alice?secret=" + rfcKeyBase32,
			Key{Type: TOTP, Secret: rfcKey, Account: "alice"}},
		{"issuer in label and parameter", "otpauth://totp/ACME%20Co:john.doe@email.com?secret=" + rfcKeyBase32 + "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
			Key{Type: TOTP, Secret: rfcKey, Issuer: "ACME Co", LabelIssuer: "ACME Co", Account: "john.doe@email.com", Algorithm: SHA1, Digits: 6, Period: 30}},
		{"encoded colon and space after it", "otpauth://totp/GitHub%3A%20alice?secret=" + rfcKeyBase32,
			Key{Type: TOTP, Secret: rfcKey, Issuer: "GitHub", LabelIssuer: "GitHub", Account: "alice"}},
		{"upper-case scheme and type, lower-case secret", "OTPAUTH://TOTP/x?secret=" + strings.ToLower(rfcKeyBase32),
			Key{Type: TOTP, Secret: rfcKey, Account: "x"}},
		{"hotp with counter", "otpauth://hotp/Bank:bob?secret=" + rfcKeyBase32 + "&counter=42",
			Key{Type: HOTP, Secret: rfcKey, Issuer: "Bank", LabelIssuer: "Bank", Account: "bob", Counter: 42, HasCounter: true}},
		{"hotp without counter", "otpauth://hotp/bob?secret=" + rfcKeyBase32,
			Key{Type: HOTP, Secret: rfcKey, Account: "bob"}},
		{"sha512, 8 digits, 60 s", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&algorithm=sha512&digits=8&period=60",
			Key{Type: TOTP, Secret: rfcKey, Account: "x", Algorithm: SHA512, Digits: 8, Period: 60}},
		{"steam type (Aegis)", "otpauth://steam/Steam:gamer?secret=" + rfcKeyBase32 + "&issuer=Steam&digits=5&period=30",
			Key{Type: TOTP, Encoding: Steam, Secret: rfcKey, Issuer: "Steam", LabelIssuer: "Steam", Account: "gamer", Digits: 5, Period: 30}},
		{"steam encoder (KeePassXC)", "otpauth://totp/Steam:gamer?secret=" + rfcKeyBase32 + "&encoder=steam",
			Key{Type: TOTP, Encoding: Steam, Secret: rfcKey, Issuer: "Steam", LabelIssuer: "Steam", Account: "gamer"}},
		{"steam:// (Bitwarden)", "steam://" + rfcKeyBase32,
			Key{Type: TOTP, Encoding: Steam, Secret: rfcKey, Issuer: "Steam"}},
		{"ten digits", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&digits=10",
			Key{Type: TOTP, Secret: rfcKey, Account: "x", Digits: 10}},
		{"label issuer differs from parameter", "otpauth://totp/Google:bob?secret=" + rfcKeyBase32 + "&issuer=GitHub",
			Key{Type: TOTP, Secret: rfcKey, Issuer: "GitHub", LabelIssuer: "Google", Account: "bob"}},
		{"secret with spaces as +", "otpauth://totp/x?secret=GEZD+GNBV+GY3T+QOJQ+GEZD+GNBV+GY3T+QOJQ",
			Key{Type: TOTP, Secret: rfcKey, Account: "x"}},
		{"trailing newline", "otpauth://totp/x?secret=" + rfcKeyBase32 + "\n",
			Key{Type: TOTP, Secret: rfcKey, Account: "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseURI(tc.uri)
			if err != nil {
				t.Fatalf("ParseURI: %v", err)
			}
			got.text = textNotes{}
			if !equalKeys(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", redact(got), redact(tc.want))
			}
		})
	}
}

func TestParseURIErrors(t *testing.T) {
	for _, tc := range []struct{ name, uri, want string }{
		{"not otpauth", "https://example.com/?secret=" + rfcKeyBase32, "otpauth URI: the scheme is not otpauth://"},
		{"no type", "otpauth:///x?secret=" + rfcKeyBase32, "otpauth URI: no type: it must start otpauth://totp/ or otpauth://hotp/"},
		{"yandex", "otpauth://yaotp/x?secret=" + rfcKeyBase32, `otpauth URI: type "yaotp" is neither totp nor hotp`},
		{"unknown algorithm", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&algorithm=SHA3",
			`otpauth URI: algorithm "SHA3" is not one TOTP and HOTP are defined with (SHA1, SHA256 or SHA512)`},
		{"algorithm with a NUL, escaped", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&algorithm=SHA%001",
			`otpauth URI: algorithm "SHA\x001" is not one TOTP and HOTP are defined with (SHA1, SHA256 or SHA512)`},
		{"long algorithm cut", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&algorithm=" + strings.Repeat("A", 100),
			`otpauth URI: algorithm "` + strings.Repeat("A", 24) + `"… is not one TOTP and HOTP are defined with (SHA1, SHA256 or SHA512)`},
		{"a million digits", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&digits=1048576", "otpauth URI: 1048576-digit codes: TOTP and HOTP codes have 6 to 10 digits"},
		{"five digits", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&digits=5", "otpauth URI: 5-digit codes: TOTP and HOTP codes have 6 to 10 digits"},
		{"steam with 6 characters", "otpauth://steam/x?secret=" + rfcKeyBase32 + "&digits=6", "otpauth URI: a Steam Guard key with 6-character codes: Steam's codes have 5"},
		{"no secret", "otpauth://totp/x?issuer=ACME", "otpauth URI: no secret parameter"},
		{"empty secret", "otpauth://totp/x?secret=", "otpauth URI, secret parameter: the key is empty"},
		{"bad secret", "otpauth://totp/x?secret=GEZDGNBVGY3TQOJ1", "otpauth URI, secret parameter: 1 character is not base32 (column 16: the digit 1, which base32 does not use, likely the letter I or L)"},
		{"digits not a number", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&digits=six", "otpauth URI: the digits parameter is not a positive whole number"},
		{"period zero", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&period=0", "otpauth URI: the period parameter is not a positive whole number"},
		{"negative counter", "otpauth://hotp/x?secret=" + rfcKeyBase32 + "&counter=-1", "otpauth URI: the counter parameter is not a whole number"},
		{"bad escape", "otpauth://totp/x?secret=" + rfcKeyBase32 + "&issuer=%zz", "otpauth URI: the parameters are not valid URL encoding (invalid URL escape)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseURI(tc.uri)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
			assertNoLeak(t, err.Error(), rfcKeyBase32)
		})
	}
}

// TestURIRoundTrip: URI → key → URI → key keeps every parameter, and the URI we write
// reads the same in pquerna/otp (an independent parser).
func TestURIRoundTrip(t *testing.T) {
	for _, k := range []Key{
		{Type: TOTP, Secret: rfcKey, Issuer: "ACME Co", Account: "john.doe@email.com"},
		{Type: TOTP, Secret: []byte("12345678901234567890123456789012"), Issuer: "Example", Account: "a+b@x.org", Algorithm: SHA256, Digits: 8, Period: 60},
		{Type: TOTP, Secret: bytes.Repeat([]byte{0xA5}, 64), Account: "no issuer", Algorithm: SHA512, Digits: 7},
		{Type: HOTP, Secret: rfcKey, Issuer: "Bank & Co", Account: "bob", Counter: 7, HasCounter: true},
		{Type: TOTP, Secret: []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, Issuer: "Ünïcode", Account: "ä/ö?x=y"},
		{Type: TOTP, Encoding: Steam, Secret: rfcKey, Issuer: "Steam", Account: "gamer"},
	} {
		t.Run(k.Account, func(t *testing.T) {
			uri := k.URI()
			got, err := ParseURI(uri)
			if err != nil {
				t.Fatalf("ParseURI(URI()): %v", err)
			}
			want := k.WithDefaults()
			want.LabelIssuer = k.Issuer
			got = got.WithDefaults()
			got.text = textNotes{}
			if !equalKeys(got, want) {
				t.Errorf("round trip:\n got  %+v\nwant %+v", redact(got), redact(want))
			}
			if again := got.URI(); again != uri {
				t.Errorf("URI changed on the second trip:\n%s\n%s", uri, again)
			}
			other, err := otp.NewKeyFromURL(uri)
			if err != nil {
				t.Fatalf("pquerna/otp cannot read our URI: %v", err)
			}
			if other.Issuer() != k.Issuer || other.AccountName() != k.Account || other.Type() != cmp.Or(string(k.Encoding), string(k.Type)) {
				t.Errorf("pquerna/otp reads issuer %q account %q type %q", other.Issuer(), other.AccountName(), other.Type())
			}
			if key, _ := DecodeBase32(other.Secret()); !bytes.Equal(key, k.Secret) {
				t.Errorf("pquerna/otp reads a different secret")
			}
		})
	}
}

func equalKeys(a, b Key) bool {
	return a.Type == b.Type && bytes.Equal(a.Secret, b.Secret) && a.Algorithm == b.Algorithm && a.Digits == b.Digits &&
		a.Period == b.Period && a.Counter == b.Counter && a.HasCounter == b.HasCounter && a.Issuer == b.Issuer &&
		a.Account == b.Account && a.LabelIssuer == b.LabelIssuer && a.Encoding == b.Encoding
}

// redact shows a key in test output by fingerprint only.
func redact(k Key) Key {
	k.Secret = []byte("fp:" + k.Fingerprint())
	return k
}
