package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
)

// Refuse names the files that are no key source though people give them as one:
// encrypted backups and containers, app databases, ZIP archives, HEIC photos. It returns
// a *Refusal, or nil for anything else.
func Refuse(data []byte) error {
	trimmed := bytes.TrimSpace(data)
	for _, m := range []struct{ prefix, what string }{
		{"-----BEGIN PGP MESSAGE-----", "an OpenPGP file"},
		{"age-encryption.org/", "an age file"},
		{"-----BEGIN AGE ENCRYPTED FILE-----", "an age file"},
		{"Salted__", "an OpenSSL file"},
	} {
		if bytes.HasPrefix(trimmed, []byte(m.prefix)) {
			return encrypted(m.what, "decrypt it first, run otpdoctor on the plain file, then delete that")
		}
	}
	switch {
	case bytes.HasPrefix(data, []byte("SQLite format 3\x00")):
		return appDatabase(data)
	case bytes.HasPrefix(data, []byte("AUTHENTICATORPRO")), bytes.HasPrefix(data, []byte("AuthenticatorPro")):
		return encrypted("a Stratum (Authenticator Pro) backup", "make a backup again in Stratum (Backup → Back up to file) and leave the password empty")
	case bytes.HasPrefix(data, []byte{0xac, 0xed, 0x00, 0x05}):
		return encrypted("a FreeOTP backup (FreeOTP 2 encrypts every backup)",
			"import it into Aegis, which asks for the FreeOTP password, export from Aegis without encryption, and run otpdoctor on that")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return zipArchive(data)
	case isHEIC(data):
		return &Refusal{What: "a HEIC photo, which otpdoctor cannot read",
			Hint: "convert it to PNG or JPEG first (on a Mac: open it in Preview, File → Export; on an iPhone, screenshots saved under Settings → Camera → Formats → Most Compatible are JPEG), or take a screenshot of the QR code instead"}
	case looksAndOTPEncrypted(data):
		return encrypted("an andOTP backup", "export it again unencrypted from andOTP → Backups (Backup plain), or decrypt it first")
	}
	return nil
}

// appDatabase names the authenticator whose SQLite database data is, by the tables its
// schema (stored in plain text at the start of the file) declares.
func appDatabase(data []byte) error {
	schema := data[:min(len(data), 64<<10)]
	has := func(s string) bool { return bytes.Contains(schema, []byte(s)) }
	switch {
	case has("oath_secret_key"):
		return &Refusal{Kind: ErrAppDatabase, What: "Microsoft Authenticator's database, not an export",
			Hint: "Microsoft Authenticator has no export for other accounts' keys: set up two-factor again at the service (its security settings) and scan the new QR code"}
	case has("CREATE TABLE authenticator"), has("CREATE TABLE \"authenticator\""):
		return &Refusal{Kind: ErrAppDatabase, What: "Stratum's (Authenticator Pro's) database, not an export",
			Hint: "use Stratum's own export: Backup → Back up to file, with no password"}
	case has("CREATE TABLE accounts"):
		return &Refusal{Kind: ErrAppDatabase, What: "Google Authenticator's database, not an export",
			Hint: "use Google Authenticator's export: ⋮ → Transfer accounts → Export accounts, take a screenshot of each QR code, and give them all with --qr"}
	}
	return &Refusal{Kind: ErrAppDatabase, What: "an app database (SQLite), not an export",
		Hint: "use the authenticator app's own export (usually under Settings → Backup or Export) and give otpdoctor that file"}
}

// zipArchive refuses a ZIP archive: password-protected (Authenticator Plus backups are)
// or to unzip first.
func zipArchive(data []byte) error {
	const flagEncrypted = 1 // general purpose flag bit 0 of a local file header
	if len(data) >= 8 && binary.LittleEndian.Uint16(data[6:8])&flagEncrypted != 0 {
		return encrypted("a password-protected ZIP archive (Authenticator Plus backups are these)",
			"unzip it with its password, run otpdoctor on the file inside (Accounts.txt for Authenticator Plus), then delete that")
	}
	return &Refusal{What: "a ZIP archive", Hint: "unzip it and give otpdoctor the export inside"}
}

// isHEIC recognises a HEIF/HEIC image by its ftyp box's brand.
func isHEIC(data []byte) bool {
	if len(data) < 12 || string(data[4:8]) != "ftyp" {
		return false
	}
	switch string(data[8:12]) {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
		return true
	}
	return false
}

// andOTP's encrypted backup (.json.aes): the PBKDF2 iteration count as a big-endian
// int32, a 12-byte salt, a 12-byte nonce, the AES-GCM ciphertext and its 16-byte tag.
// andOTP picks the count between 140,000 and 160,000; a looser range still tells it
// from random bytes 999 times in 1,000.
const (
	andOTPHeader        = 4 + 12 + 12 + 16
	andOTPMinIterations = 1_000
	andOTPMaxIterations = 10_000_000
)

func looksAndOTPEncrypted(data []byte) bool {
	if len(data) < andOTPHeader {
		return false
	}
	n := binary.BigEndian.Uint32(data)
	_, text := textOf(data)
	return !text && n >= andOTPMinIterations && n <= andOTPMaxIterations
}

// looksEncryptedText recognises a backup that is base64 ciphertext as text (TOTP
// Authenticator's): one line of base64 with upper and lower case, whole AES blocks of
// at least 32 bytes. A base32 key is one case only, so it never looks like this.
func looksEncryptedText(text string) bool {
	if strings.ContainsAny(text, " \t\r\n") || len(text) < 44 {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return false
	}
	return len(raw)%16 == 0 && strings.ToUpper(text) != text && strings.ToLower(text) != text
}

// binaryError is the error for binary data no reader recognised.
func binaryError() error {
	return fmt.Errorf("binary data that is no image, key or export otpdoctor knows; if it is an app's encrypted backup " +
		"(andOTP .json.aes, Authenticator Plus, TOTP Authenticator), export it again unencrypted")
}
