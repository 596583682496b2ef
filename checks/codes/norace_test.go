//go:build !race

package codes

import (
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
