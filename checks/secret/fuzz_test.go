package secret

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/bmp"
)

// FuzzDecodeBase32: never panics; errors are *ParseError; what decodes re-encodes to
// the same bytes; a message never quotes 8 key characters in a row.
func FuzzDecodeBase32(f *testing.F) {
	for _, s := range []string{rfcKeyBase32, "jbsw y3dp-ehpk 3pxp", "JBSWY3DPEHPK3PX0", "AAAA====", "==", "JBSW=Y3DP", "\xff\x00", "3132333435363738"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, err := DecodeBase32(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			if len(s) >= 8 && utf8.ValidString(s) {
				assertNoLeakFuzz(t, err.Error(), s)
			}
			return
		}
		again, err := DecodeBase32(EncodeBase32(key))
		if err != nil || !bytes.Equal(again, key) {
			t.Fatalf("canonical form does not decode back: %v", err)
		}
	})
}

// FuzzParseURI: never panics; errors are *ParseError; a parsed key's clean URI parses
// back to the same key.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{
		"otpauth://totp/ACME:bob?secret=" + rfcKeyBase32 + "&issuer=ACME&digits=8&period=60&algorithm=SHA256",
		"otpauth://hotp/x?secret=" + rfcKeyBase32 + "&counter=7",
		"otpauth://totp/%zz?secret=x", "otpauth://steam/x", "otpauth:", "otpauth://totp/a:b:c?secret=" + rfcKeyBase32,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseURI(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			return
		}
		back, err := ParseURI(k.URI())
		if err != nil {
			t.Fatalf("our own URI does not parse: %v", err)
		}
		if !bytes.Equal(back.Secret, k.Secret) || back.WithDefaults().Digits != k.WithDefaults().Digits || back.Type != k.Type {
			t.Fatalf("round trip changed the key")
		}
	})
}

// FuzzDecodeMigration: arbitrary payloads give entries or a *ParseError, never a panic.
func FuzzDecodeMigration(f *testing.F) {
	seven := uint64(7)
	f.Add(buildPayload(testAccounts(3), 1, 0, 1))
	f.Add(buildPayload([]otpParams{{secret: rfcKey, algorithm: 4, digits: 2, typ: 1, counter: &seven}}, 2, 1, 5))
	f.Add([]byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, payload []byte) {
		m, err := DecodeMigration(payload)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			return
		}
		for _, e := range m.Entries {
			if e.Err == nil && plausible(e.Key.Secret) != nil {
				t.Fatalf("an implausible key was accepted")
			}
		}
	})
}

// FuzzParse: every export reader behind the content detection, on arbitrary input:
// a Source or an error, never a panic, and entries always either a key or an error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{aegisPlain, aegisEncrypted, twoFASPlain, twoFASEncrypted, rfcKeyBase32,
		"otpauth://totp/a?secret=" + rfcKeyBase32 + "\notpauth://totp/b?secret=x",
		migrationURI(buildPayload(testAccounts(2), 2, 0, 1)), `{"db": {"entries": [{"info": {}}]}}`, `{"services": [{}]}`} {
		f.Add([]byte(s))
	}
	f.Add(pngHeader(10, 10))
	fixturesWith(f, ".json", ".csv", ".xml", ".maFile", ".bin")
	f.Fuzz(func(t *testing.T, data []byte) {
		if src, err := Parse(data); err == nil {
			assertSound(t, src)
		}
	})
}

// assertNoLeakFuzz is assertNoLeak for inputs that are mostly not keys: it looks for
// runs of 8 base32 characters of the input in the message.
func assertNoLeakFuzz(t *testing.T, msg, input string) {
	t.Helper()
	clean := strings.Map(func(r rune) rune {
		if separator(r) {
			return -1
		}
		return r
	}, strings.ToUpper(input))
	for i := 0; i+8 <= len(clean); i++ {
		run := clean[i : i+8]
		if strings.Trim(run, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == "" && strings.Contains(strings.ToUpper(msg), run) {
			t.Fatalf("message quotes the input: %q", msg)
		}
	}
}

// Fuzzed images are decoded only when this small (bytes and pixels): a mutated header
// easily claims millions of pixels, which take seconds each to search, while a tiny
// image takes well under a millisecond, so the fuzzer explores. Large images' caps are
// tested by TestQRImageMemory; the header arithmetic is fuzzed on every input.
const (
	fuzzImageBytes  = 4 << 10
	fuzzImagePixels = 64 * 64
)

// FuzzDecodeQRImage: damaged or hostile images give an error, never a panic or a hang.
// The seeds are tiny (a code at 1 pixel a module, 37 pixels wide) so that each run is
// quick and the fuzzer really explores: every format, and light on dark.
func FuzzDecodeQRImage(f *testing.F) {
	small := greyQR(f, "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP", -1, false)
	var bmpBuf bytes.Buffer
	if err := bmp.Encode(&bmpBuf, small); err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{
		encodeImage(f, small, "png"), encodeImage(f, small, "gif"), encodeImage(f, small, "jpeg"),
		webpLossless(small), bmpBuf.Bytes(), encodeImage(f, greyQR(f, "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP", -1, true), "png"),
		pngHeader(40, 40), progressiveCMYKJPEG(),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzImageBytes {
			return
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err == nil {
			decodeCost(strings.ToUpper(format), cfg, data)
			if int64(cfg.Width)*int64(cfg.Height) > fuzzImagePixels {
				return
			}
		}
		if _, err := DecodeQRImage(data); err != nil && strings.ContainsFunc(err.Error(), unicode.IsControl) {
			t.Fatalf("error with a control character: %q", err)
		}
	})
}

// fixturesWith adds the export fixtures whose names end in one of exts as seeds.
func fixturesWith(f *testing.F, exts ...string) {
	entries, err := os.ReadDir(filepath.Join("testdata", "exports"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		for _, ext := range exts {
			if strings.HasSuffix(e.Name(), ext) {
				f.Add(readFixture(f, e.Name()))
			}
		}
	}
}

// assertSound is what every reader promises: entries are a key or an error, never both
// or neither, and no key is implausible.
func assertSound(t *testing.T, src *Source) {
	for _, e := range src.Entries {
		if (e.Err == nil) == (e.Key.Secret == nil) {
			t.Fatalf("entry %q: a key and an error, or neither", e.Where)
		}
		if e.Err == nil && plausible(e.Key.Secret) != nil {
			t.Fatalf("entry %q: an implausible key was accepted", e.Where)
		}
		if d := e.Key.WithDefaults().Digits; e.Err == nil && checkDigits(d, e.Key.Encoding) != nil {
			t.Fatalf("entry %q: %d digits accepted", e.Where, d)
		}
	}
}

// FuzzParseJSONExport: the JSON readers (Aegis, 2FAS, andOTP, FreeOTP+, Bitwarden,
// Proton, Stratum, Duo, Authy, Steam, extract_otp_secrets) on arbitrary JSON.
func FuzzParseJSONExport(f *testing.F) {
	fixturesWith(f, ".json", ".maFile")
	f.Add([]byte(`[{"otpGenerator": {"otpSecret": "", "counter": -1}}]`))
	f.Add([]byte(`{"accounts": {"1": {"shared_secret": "%%"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if src, err := parseJSONExport(data); err == nil {
			assertSound(t, src)
		}
	})
}

// FuzzParsePrefs: the Android settings readers (FreeOTP tokens.xml, Authy, Battle.net).
func FuzzParsePrefs(f *testing.F) {
	fixturesWith(f, ".xml")
	f.Add([]byte(`<map><string name="com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET">00ff</string></map>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if src, err := parsePrefs(data); err == nil {
			assertSound(t, src)
		}
	})
}

// FuzzParseCSV: the CSV readers (Bitwarden, KeePass, KeePassXC, extract_otp_secrets).
func FuzzParseCSV(f *testing.F) {
	fixturesWith(f, ".csv")
	f.Add([]byte("Title,User Name,HmacOtp-Secret-Base32,HmacOtp-Counter\nx,y,\"GEZD\"GNBV,-1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text := string(data)
		if l := csvLayoutOf(text); l != nil {
			if src, err := parseCSV(text, l); err == nil {
				assertSound(t, src)
			}
		}
	})
}

// FuzzTextOf: any bytes are text or not, never a panic; text never carries control
// characters on to the readers.
func FuzzTextOf(f *testing.F) {
	for _, s := range []string{"\xff\xfeG\x00E\x00", "\xfe\xff\x00G", "\xef\xbb\xbfGEZD", "Caf\xe9", "\x00\x01", "\xff\xfe\x00\xd8"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, ok := textOf(data)
		if ok && strings.ContainsFunc(text, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }) {
			t.Fatalf("text with control characters")
		}
	})
}
