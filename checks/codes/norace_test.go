//go:build !race

package codes

import (
	"context"
	"testing"

	"github.com/otpdoctor/otpdoctor/checks/secret"
)

// The race detector's instrumentation allocates; this test runs without it.

func TestGeneratorDoesNotAllocate(t *testing.T) {
	for _, alg := range []secret.Algorithm{secret.SHA1, secret.SHA256, secret.SHA512} {
		g := NewGenerator(alg, []byte("12345678901234567890"), 6)
		counter := uint64(0)
		if n := testing.AllocsPerRun(1000, func() { g.Value(counter); counter++ }); n != 0 {
			t.Errorf("%s: Value allocates %v times per code", alg, n)
		}
		if n := testing.AllocsPerRun(1000, func() { g.values2(counter, counter+1); counter += 2 }); n != 0 {
			t.Errorf("%s: values2 allocates %v times per pair", alg, n)
		}
	}
}

// TestFindMemoryIsFlat: a search allocates the same whatever its span.
func TestFindMemoryIsFlat(t *testing.T) {
	g := NewGenerator(secret.SHA1, []byte("12345678901234567890"), 6)
	codes := []uint32{1_000_000} // no 6-digit code: nothing matches, the whole span is searched
	allocs := func(steps uint64) float64 {
		return testing.AllocsPerRun(3, func() {
			g.Find(context.Background(), codes, Span{Lo: 1e9, Center: 1e9, Hi: 1e9 + steps}, nil)
		})
	}
	small, large := allocs(100_000), allocs(3_000_000)
	if large > small {
		t.Errorf("searching 3,000,000 steps allocates %v times, 100,000 steps %v", large, small)
	}
}
