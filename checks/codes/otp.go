// Package codes computes HOTP and TOTP codes (RFC 4226, RFC 6238) and finds when, and
// under which settings, a code a user's authenticator showed was valid: the evidence
// that tells a wrong phone clock from a wrong key, a wrong setting or a typo.
//
// HOTP, TOTPAt and Counter are small pure functions of a key and a counter or an
// instant. The search core (search.go) computes the same codes without allocating, from
// HMAC states prepared once per key, and shares the truncation below.
package codes

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/secret"
)

// HOTP returns the code k makes for counter (RFC 4226), using k's algorithm and digits;
// "" when the algorithm is not one codes computes (Supported says so first).
func HOTP(k secret.Key, counter uint64) string {
	k = k.WithDefaults()
	newHash := hashOf(k.Algorithm)
	if newHash == nil {
		return ""
	}
	mac := hmac.New(newHash, k.Secret)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	p := paramsOf(k)
	return p.format(truncate(mac.Sum(nil)) % p.modulus())
}

// TOTPAt returns the code k makes at t (RFC 6238): the HOTP code of Counter(k, t).
func TOTPAt(k secret.Key, t time.Time) string {
	return HOTP(k, Counter(k, t))
}

// Counter is the TOTP time step t falls in under k's period: floor(unix seconds /
// period). Instants before 1970 have no step of their own and count as step 0.
func Counter(k secret.Key, t time.Time) uint64 {
	k = k.WithDefaults()
	sec := t.Unix()
	if sec < 0 {
		return 0
	}
	return uint64(sec) / uint64(k.Period)
}

// Supported says whether codes can be computed under a: SHA1, SHA256 or SHA512 (the
// key parsers refuse others; this is the search's own guard, never a panic).
func Supported(a secret.Algorithm) error {
	if hashOf(a) == nil {
		return fmt.Errorf("the algorithm %q is not one otpdoctor computes codes with (SHA1, SHA256, SHA512)", a)
	}
	return nil
}

// hashOf is the hash constructor for an algorithm; nil for one it does not know.
func hashOf(a secret.Algorithm) func() hash.Hash {
	switch a {
	case secret.SHA1, "":
		return sha1.New
	case secret.SHA256:
		return sha256.New
	case secret.SHA512:
		return sha512.New
	}
	return nil
}

// truncate is RFC 4226's dynamic truncation: the low four bits of the last byte of the
// HMAC pick four bytes, read big-endian with the top bit cleared.
func truncate(sum []byte) uint32 {
	offset := sum[len(sum)-1] & 0x0f
	return binary.BigEndian.Uint32(sum[offset:]) & 0x7fffffff
}

// modulus is 10^digits, or 2^31 (no reduction) from 10 digits up: truncation gives 31
// bits, fewer than ten decimal digits.
func modulus(digits int) uint32 {
	m := uint32(1)
	for range min(digits, 9) {
		m *= 10
	}
	if digits >= 10 {
		return 1 << 31
	}
	return m
}

// formatCode writes value as a code of digits digits, zero-padded on the left.
func formatCode(value uint32, digits int) string {
	return fmt.Sprintf("%0*d", digits, value)
}

// steamModulus is 26^5: a Steam Guard code is the truncated value's five lowest
// base-26 digits, each written as a letter of secret.SteamAlphabet, lowest first.
const steamModulus = 26 * 26 * 26 * 26 * 26

// modulus is what p's codes reduce the truncated value by: 10^digits, or 26^5 for
// Steam Guard.
func (p Params) modulus() uint32 {
	if p.Encoding == secret.Steam {
		return steamModulus
	}
	return modulus(p.Digits)
}

// codeSpace is how many different codes p gives: one in it matches a step by chance.
func (p Params) codeSpace() float64 { return float64(p.modulus()) }

// format writes a code's value (already reduced by p.modulus) as p's codes look.
func (p Params) format(value uint32) string {
	if p.Encoding != secret.Steam {
		return formatCode(value, p.Digits)
	}
	var code [secret.SteamDigits]byte
	for i := range code {
		code[i] = secret.SteamAlphabet[value%26]
		value /= 26
	}
	return string(code[:])
}

// valueOf is format's inverse for a code ParseCode or ParseSteamCode accepted.
func (p Params) valueOf(code string) uint32 {
	if p.Encoding != secret.Steam {
		v, _ := strconv.ParseUint(code, 10, 32) // ParseCode gave at most 10 digits
		return uint32(v)
	}
	var v uint32
	for i := len(code) - 1; i >= 0; i-- {
		v = v*26 + uint32(strings.IndexByte(secret.SteamAlphabet, code[i]))
	}
	return v
}

// newGenerator is NewGenerator for p: Steam Guard codes reduce by 26^5, not 10^digits.
func newGenerator(p Params, key []byte) *Generator {
	g := NewGenerator(p.Algorithm, key, p.Digits)
	g.mod = newReducer(p.modulus())
	return g
}
