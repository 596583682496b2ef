// Package secret reads 2FA keys from every form users hold them in (base32 text,
// otpauth:// URIs, Google Authenticator exports, QR images, app backups) and judges
// whether a key is sound. Nothing here prints; the key bytes never leave a Key
// except through Reveal-style calls that the CLI gates behind --reveal.
package secret

import (
	"crypto/sha256"
	"encoding/hex"
)

// Type is the OTP kind: time-based or counter-based.
type Type string

const (
	TOTP Type = "totp"
	HOTP Type = "hotp"
)

// Algorithm is the HMAC hash a key's codes are computed with.
type Algorithm string

const (
	SHA1   Algorithm = "SHA1"
	SHA256 Algorithm = "SHA256"
	SHA512 Algorithm = "SHA512"
)

// Encoding is how a code's value is written: decimal digits, or Steam Guard's letters.
type Encoding string

const (
	Decimal Encoding = ""      // RFC 4226: the value modulo 10^digits, zero-padded
	Steam   Encoding = "steam" // Steam Guard: 5 characters of SteamAlphabet
)

// Steam Guard codes: HMAC-SHA1 TOTP with 30-second steps, written as 5 characters of this
// alphabet (the truncated value's digits in base 26, least significant first).
const (
	SteamAlphabet = "23456789BCDFGHJKMNPQRTVWXY"
	SteamDigits   = 5
)

// Key is one authenticator entry: the key bytes and the parameters codes are made with.
// Zero values of Algorithm, Digits and Period mean the defaults (SHA1, 6, 30 s); use
// WithDefaults before computing codes.
type Key struct {
	Type       Type
	Secret     []byte // decoded key bytes; never printed, logged or reported
	Algorithm  Algorithm
	Digits     int
	Encoding   Encoding // Steam for Steam Guard keys, whose codes are letters
	Period     int      // seconds, TOTP only
	Counter    uint64   // HOTP only
	HasCounter bool     // the source gave a counter (HOTP without one is a finding)
	Issuer     string
	Account    string
	// LabelIssuer is the issuer prefix of an otpauth label ("Google" in
	// otpauth://totp/Google:alice), kept to compare with the issuer parameter.
	LabelIssuer string

	// text is what the key's text form showed besides its bytes (padding, unused bits).
	text textNotes
}

// WithDefaults returns k with unset parameters filled in as RFC 6238 and the Key URI
// format define them (Steam Guard: SHA1, 5 characters, 30 s).
func (k Key) WithDefaults() Key {
	if k.Encoding == Steam && k.Digits == 0 {
		k.Digits = SteamDigits
	}
	if k.Type == "" {
		k.Type = TOTP
	}
	if k.Algorithm == "" {
		k.Algorithm = SHA1
	}
	if k.Digits == 0 {
		k.Digits = 6
	}
	if k.Period == 0 {
		k.Period = 30
	}
	return k
}

// Fingerprint names a key without revealing it: the first 8 hex digits of SHA-256 over
// the key bytes. Two entries with the same fingerprint hold the same key.
func (k Key) Fingerprint() string { return Fingerprint(k.Secret) }

// Fingerprint is Key.Fingerprint for raw key bytes.
func Fingerprint(secret []byte) string {
	sum := sha256.Sum256(secret)
	return hex.EncodeToString(sum[:4])
}

// Bits is the key length in bits.
func (k Key) Bits() int { return len(k.Secret) * 8 }
