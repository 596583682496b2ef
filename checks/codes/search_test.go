package codes

import (
	"context"
	"crypto/hmac"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/otpdoctor/otpdoctor/checks/secret"
)

// value is HOTP's code for counter as a number, the way Find compares codes.
func value(t testing.TB, k secret.Key, counter uint64) uint32 {
	t.Helper()
	v, err := strconv.ParseUint(HOTP(k, counter), 10, 32)
	if err != nil {
		t.Fatal(err)
	}
	return uint32(v)
}

// TestGeneratorMatchesHOTP checks the prepared-state core, one code and two at a time,
// against the plain HMAC computation for random keys (short, block-sized and longer
// than a block), counters and parameters; HOTP itself is checked against the RFCs and
// pquerna/otp.
func TestGeneratorMatchesHOTP(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		k := randomKey(rng)
		if i%10 == 0 {
			k.Secret = make([]byte, 64+rng.IntN(100)) // HMAC hashes keys longer than a block
		}
		g := NewGenerator(k.Algorithm, k.Secret, k.Digits)
		if i%2 == 1 {
			g = g.Fork()
		}
		for range 5 {
			counter := rng.Uint64()
			if got, want := g.Value(counter), value(t, k, counter); got != want {
				t.Fatalf("case %d (%s, %d digits, %d-byte key): Value(%d) = %d, HOTP says %d",
					i, k.Algorithm, k.Digits, len(k.Secret), counter, got, want)
			}
			// Two at a time (two lanes at once for SHA1 and SHA256 on CPUs with SHA-NI).
			other := rng.Uint64()
			a, b := g.values2(counter, other)
			if wantA, wantB := value(t, k, counter), value(t, k, other); a != wantA || b != wantB {
				t.Fatalf("case %d (%s, %d digits, %d-byte key): values2(%d, %d) = %d, %d; HOTP says %d, %d",
					i, k.Algorithm, k.Digits, len(k.Secret), counter, other, a, b, wantA, wantB)
			}
		}
	}
}

// TestFindOffsets finds a code shifted -20..+20 steps from the centre, exactly.
func TestFindOffsets(t *testing.T) {
	k := secret.Key{Secret: []byte("a key for offsets!!!")}.WithDefaults()
	g := NewGenerator(k.Algorithm, k.Secret, k.Digits)
	const center = 59_000_000
	for shift := -20; shift <= 20; shift++ {
		at := uint64(center + shift)
		codes := []uint32{value(t, k, at), value(t, k, at+1)}
		got, ok := g.Find(context.Background(), codes, Span{Lo: center - 20, Center: center, Hi: center + 20}, nil)
		if !ok || got != at {
			t.Errorf("shift %d: Find = %d, %v; want %d", shift, got, ok, at)
		}
	}
}

// TestFindFarWithTwoCodes pins codes days and years away with two consecutive codes,
// across many chunks and both directions, in a span of ±31 years.
func TestFindFarWithTwoCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("searches tens of millions of steps")
	}
	k := secret.Key{Secret: []byte("another key, far away")}.WithDefaults()
	g := NewGenerator(k.Algorithm, k.Secret, k.Digits)
	const day = 2880 // 30-second steps
	const center = 59_000_000
	span := Span{Lo: center - 365*day*5, Center: center, Hi: center + 365*day*5}
	for _, shift := range []int64{-3 * day, 2*day + 17, 365*day + 5, -(4*365*day + 11)} {
		at := uint64(center + shift)
		codes := []uint32{value(t, k, at), value(t, k, at+1)}
		got, ok := g.Find(context.Background(), codes, span, nil)
		if !ok || got != at {
			t.Errorf("shift %d steps: Find = %d, %v; want %d", shift, got, ok, at)
		}
	}
}

func TestFindNothingAndCancel(t *testing.T) {
	k := secret.Key{Secret: []byte("yet another key.....")}.WithDefaults()
	g := NewGenerator(k.Algorithm, k.Secret, k.Digits)
	// Three codes of a different key match nowhere near.
	other := secret.Key{Secret: []byte("not the same key....")}.WithDefaults()
	codes := []uint32{value(t, other, 1000), value(t, other, 1001), value(t, other, 1002)}
	var mu sync.Mutex
	var last uint64
	if _, ok := g.Find(context.Background(), codes, Span{Lo: 0, Center: 1000, Hi: 200_000}, func(done, total uint64) {
		mu.Lock()
		defer mu.Unlock()
		if total != 200_001 {
			t.Errorf("progress total = %d", total)
		}
		last = max(last, done)
	}); ok {
		t.Error("Find matched another key's codes")
	}
	if last != 200_001 {
		t.Errorf("progress ended at %d of 200001", last)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := g.Find(ctx, codes, Span{Lo: 0, Center: 0, Hi: 1 << 40}, nil); ok || ctx.Err() == nil {
		t.Error("a cancelled search matched")
	}
}

func TestSpanChunksCoverEveryCounterOnce(t *testing.T) {
	for _, s := range []Span{{0, 0, 0}, {5, 5, 100_000}, {0, 99_999, 100_000}, {10, 40_000, 200_000}} {
		seen := map[uint64]bool{}
		lastNearest := uint64(0)
		for i := range 2 * (s.Steps()/chunkSteps + 2) {
			c, nearest, empty := s.chunk(i)
			if nearest < lastNearest {
				t.Fatalf("%+v: chunk %d is nearer (%d) than the one before (%d)", s, i, nearest, lastNearest)
			}
			lastNearest = nearest
			if empty {
				continue
			}
			counter := c.first
			for range c.steps {
				if seen[counter] || counter < s.Lo || counter > s.Hi {
					t.Fatalf("%+v: chunk %d gives counter %d twice or out of range", s, i, counter)
				}
				seen[counter] = true
				counter += c.dir()
			}
		}
		if uint64(len(seen)) != s.Steps() {
			t.Errorf("%+v: chunks cover %d of %d counters", s, len(seen), s.Steps())
		}
	}
}

// TestPairIsUsed: on a CPU with SHA-NI, SHA1 and SHA256 searches take the two-lane
// path; SHA512 (no such instruction) the standard one.
func TestPairIsUsed(t *testing.T) {
	for alg, want := range map[secret.Algorithm]bool{secret.SHA1: haveSHANI, secret.SHA256: haveSHANI, secret.SHA512: false} {
		g := NewGenerator(alg, []byte("k"), 6)
		if (g.pair != nil) != want || (g.Fork().pair != nil) != want {
			t.Errorf("%s: SHA-NI %v, but the generator's pair is %v", alg, haveSHANI, g.pair)
		}
	}
	t.Logf("two-lane SHA-1 and SHA-256 (SHA-NI): %v", haveSHANI)
}

// TestPairMatchesCryptoHMAC: the two-lane kernels give crypto/hmac's truncated HMAC
// for random keys (short, block-sized, longer than a block) and counters, including the
// counters whose bytes exercise every truncation offset.
func TestPairMatchesCryptoHMAC(t *testing.T) {
	if !haveSHANI {
		t.Skip("no SHA-NI on this CPU: the kernels are not used")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, alg := range []secret.Algorithm{secret.SHA1, secret.SHA256} {
		for i := range 3000 {
			key := make([]byte, []int{1, 10, 20, 32, 63, 64, 65, 100}[i%8])
			for j := range key {
				key[j] = byte(rng.Uint32())
			}
			g := NewGenerator(alg, key, 6)
			a, b := rng.Uint64(), rng.Uint64()
			if i%3 == 0 {
				a, b = uint64(i), uint64(i)+1
			}
			gotA, gotB := g.pair.values(a, b)
			if wantA, wantB := plainHMAC(alg, key, a), plainHMAC(alg, key, b); gotA != wantA || gotB != wantB {
				t.Fatalf("%s, %d-byte key, counters %d, %d: kernel %d, %d; crypto/hmac %d, %d", alg, len(key), a, b, gotA, gotB, wantA, wantB)
			}
		}
	}
}

// plainHMAC is the truncated HMAC of counter, by crypto/hmac.
func plainHMAC(alg secret.Algorithm, key []byte, counter uint64) uint32 {
	mac := hmac.New(hashOf(alg), key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	return truncate(mac.Sum(nil))
}

// TestReducer: the multiply-and-shift remainder is x % m for every modulus a code uses.
func TestReducer(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for digits := 1; digits <= 10; digits++ {
		m := modulus(digits)
		r := newReducer(m)
		for _, x := range append([]uint32{0, 1, m - 1, m, m + 1, 1<<31 - 1, 1<<32 - 1}, rng.Uint32(), rng.Uint32()) {
			if got := r.mod(x); got != x%m {
				t.Fatalf("%d mod %d: %d, want %d", x, m, got, x%m)
			}
		}
		for range 10000 {
			if x := rng.Uint32(); r.mod(x) != x%m {
				t.Fatalf("%d mod %d: %d, want %d", x, m, r.mod(x), x%m)
			}
		}
	}
}

// BenchmarkValue is one code from prepared states: the cost of one search step.
func BenchmarkValue(b *testing.B) {
	for _, alg := range []secret.Algorithm{secret.SHA1, secret.SHA256, secret.SHA512} {
		b.Run(string(alg), func(b *testing.B) {
			g := NewGenerator(alg, []byte("12345678901234567890"), 6)
			b.ReportAllocs()
			counter := uint64(0)
			for b.Loop() {
				g.Value(counter)
				counter++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}

// BenchmarkValues2 is two codes at once, per code: a search step (two lanes with
// SHA-NI for SHA1 and SHA256).
func BenchmarkValues2(b *testing.B) {
	for _, alg := range []secret.Algorithm{secret.SHA1, secret.SHA256, secret.SHA512} {
		b.Run(string(alg), func(b *testing.B) {
			g := NewGenerator(alg, []byte("12345678901234567890"), 6)
			b.ReportAllocs()
			counter := uint64(0)
			for b.Loop() {
				g.values2(counter, counter+1)
				counter += 2
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/step")
		})
	}
}

// BenchmarkCryptoHMAC is the reference a search step is measured against: a plain
// crypto/hmac loop, one code per step (Reset, Write the counter, Sum into a buffer).
func BenchmarkCryptoHMAC(b *testing.B) {
	for _, alg := range []secret.Algorithm{secret.SHA1, secret.SHA256, secret.SHA512} {
		b.Run(string(alg), func(b *testing.B) {
			mac := hmac.New(hashOf(alg), []byte("12345678901234567890"))
			var msg [8]byte
			sum := make([]byte, 0, mac.Size())
			b.ReportAllocs()
			counter := uint64(0)
			for b.Loop() {
				mac.Reset()
				binary.BigEndian.PutUint64(msg[:], counter)
				mac.Write(msg[:])
				_ = truncate(mac.Sum(sum[:0])) % 1_000_000
				counter++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/step")
		})
	}
}

// BenchmarkFind searches a span with no match, on every core: steps per second of a
// whole search, as --deep runs it (SHA1, 6 digits).
func BenchmarkFind(b *testing.B) {
	g := NewGenerator(secret.SHA1, []byte("12345678901234567890"), 6)
	codes := []uint32{1_000_000, 0} // no 6-digit code is 1000000: nothing matches
	span := Span{Lo: 59_000_000, Center: 60_000_000, Hi: 61_000_000}
	b.ReportAllocs()
	for b.Loop() {
		g.Find(context.Background(), codes, span, nil)
	}
	b.ReportMetric(float64(span.Steps())*float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}
