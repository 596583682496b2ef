package codes

import (
	"encoding/base32"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"github.com/otpdoctor/otpdoctor/checks/secret"
)

// rfc4226Key is the key of RFC 4226 Appendix D.
var rfc4226Key = secret.Key{Type: secret.HOTP, Secret: []byte("12345678901234567890")}

// TestHOTPRFC4226 checks RFC 4226 Appendix D: six-digit HOTP values for counters 0-9.
func TestHOTPRFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489"}
	for counter, code := range want {
		if got := HOTP(rfc4226Key, uint64(counter)); got != code {
			t.Errorf("HOTP(counter %d) = %s, want %s", counter, got, code)
		}
	}
}

// rfc6238Key is the Appendix B key for alg: "1234567890" repeated to the hash's size.
func rfc6238Key(alg secret.Algorithm, digits int) secret.Key {
	size := map[secret.Algorithm]int{secret.SHA1: 20, secret.SHA256: 32, secret.SHA512: 64}[alg]
	return secret.Key{
		Type:      secret.TOTP,
		Secret:    []byte(strings.Repeat("1234567890", 7)[:size]),
		Algorithm: alg,
		Digits:    digits,
	}
}

// rfc6238Vectors is RFC 6238 Appendix B: eight-digit TOTP values.
var rfc6238Vectors = []struct {
	unix int64
	alg  secret.Algorithm
	code string
}{
	{59, secret.SHA1, "94287082"},
	{59, secret.SHA256, "46119246"},
	{59, secret.SHA512, "90693936"},
	{1111111109, secret.SHA1, "07081804"},
	{1111111109, secret.SHA256, "68084774"},
	{1111111109, secret.SHA512, "25091201"},
	{1111111111, secret.SHA1, "14050471"},
	{1111111111, secret.SHA256, "67062674"},
	{1111111111, secret.SHA512, "99943326"},
	{1234567890, secret.SHA1, "89005924"},
	{1234567890, secret.SHA256, "91819424"},
	{1234567890, secret.SHA512, "93441116"},
	{2000000000, secret.SHA1, "69279037"},
	{2000000000, secret.SHA256, "90698825"},
	{2000000000, secret.SHA512, "38618901"},
	{20000000000, secret.SHA1, "65353130"},
	{20000000000, secret.SHA256, "77737706"},
	{20000000000, secret.SHA512, "47863826"},
}

func TestTOTPAtRFC6238(t *testing.T) {
	for _, v := range rfc6238Vectors {
		at := time.Unix(v.unix, 0)
		// Eight digits as the RFC prints them, and six and seven digits as their tails.
		for _, digits := range []int{8, 7, 6} {
			k := rfc6238Key(v.alg, digits)
			want := v.code[8-digits:]
			if got := TOTPAt(k, at); got != want {
				t.Errorf("TOTPAt(%s, %d digits, %d) = %s, want %s", v.alg, digits, v.unix, got, want)
			}
		}
	}
}

func TestCounter(t *testing.T) {
	k := secret.Key{Secret: []byte("k")}
	cases := []struct {
		unix   int64
		period int
		want   uint64
	}{
		{0, 30, 0},
		{29, 30, 0},
		{30, 30, 1},
		{59, 30, 1},
		{1111111109, 30, 0x23523EC},
		{20000000000, 30, 0x27BC86AA},
		{119, 60, 1},
		{-1, 30, 0}, // before 1970: no step of its own
	}
	for _, c := range cases {
		k.Period = c.period
		if got := Counter(k, time.Unix(c.unix, 0)); got != c.want {
			t.Errorf("Counter(%d, period %d) = %d, want %d", c.unix, c.period, got, c.want)
		}
	}
}

func TestModulusAndFormat(t *testing.T) {
	if got := formatCode(42, 6); got != "000042" {
		t.Errorf("formatCode(42, 6) = %q", got)
	}
	for digits, want := range map[int]uint32{1: 10, 6: 1000000, 8: 100000000, 9: 1000000000, 10: 1 << 31} {
		if got := modulus(digits); got != want {
			t.Errorf("modulus(%d) = %d, want %d", digits, got, want)
		}
	}
}

// TestAgainstPquerna compares HOTP and TOTPAt with an independent implementation,
// pquerna/otp, for random keys, counters, instants and parameters.
func TestAgainstPquerna(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	algorithms := map[secret.Algorithm]otp.Algorithm{
		secret.SHA1: otp.AlgorithmSHA1, secret.SHA256: otp.AlgorithmSHA256, secret.SHA512: otp.AlgorithmSHA512,
	}
	for i := range 3000 {
		k := randomKey(rng)
		opts := totp.ValidateOpts{
			Period:    uint(k.Period),
			Digits:    otp.Digits(k.Digits),
			Algorithm: algorithms[k.Algorithm],
		}
		b32 := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(k.Secret)
		at := time.Unix(rng.Int64N(1<<35), 0)
		want, err := totp.GenerateCodeCustom(b32, at, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := TOTPAt(k, at); got != want {
			t.Fatalf("case %d: TOTPAt(%s, %d digits, %d s, %d) = %s, pquerna says %s",
				i, k.Algorithm, k.Digits, k.Period, at.Unix(), got, want)
		}
		counter := rng.Uint64()
		want, err = hotp.GenerateCodeCustom(b32, counter, hotp.ValidateOpts{Digits: opts.Digits, Algorithm: opts.Algorithm})
		if err != nil {
			t.Fatal(err)
		}
		if got := HOTP(k, counter); got != want {
			t.Fatalf("case %d: HOTP(%s, %d digits, counter %d) = %s, pquerna says %s",
				i, k.Algorithm, k.Digits, counter, got, want)
		}
	}
}

// randomKey is a key of random bytes and random parameters, as authenticators use them.
func randomKey(rng *rand.Rand) secret.Key {
	key := make([]byte, 10+rng.IntN(60))
	for i := range key {
		key[i] = byte(rng.Uint32())
	}
	return secret.Key{
		Type:      secret.TOTP,
		Secret:    key,
		Algorithm: []secret.Algorithm{secret.SHA1, secret.SHA256, secret.SHA512}[rng.IntN(3)],
		Digits:    6 + rng.IntN(3),
		Period:    []int{30, 60, 15, 10}[rng.IntN(4)],
	}
}
