package codes

import (
	"encoding/binary"
	"math/bits"
)

// hmacPair computes two HMAC-SHA1 or HMAC-SHA256 codes at once with the SHA extensions
// (hmacx2_amd64.s): the whole HMAC of both counters runs in registers, the two lanes'
// dependency chains overlapping, from the inner and outer states prepared once per key.
type hmacPair struct {
	// keys are the inner state, then the outer one, in the order the kernels keep them
	// in registers (sha1Keys, sha256Keys).
	keys   [4][4]uint32
	out    [2][8]uint32 // the two digests' words
	words  int          // digest words: 5 (SHA-1) or 8 (SHA-256)
	sha256 bool
}

// newHMACPair prepares a pair from marshaled crypto/sha1 or crypto/sha256 states after
// the key blocks; nil for other digest sizes or when this CPU has no SHA-NI.
func newHMACPair(size int, innerState, outerState []byte) *hmacPair {
	if !haveSHANI {
		return nil
	}
	inner, outer := stateWords(innerState, size/4), stateWords(outerState, size/4)
	p := &hmacPair{words: size / 4}
	switch size {
	case 20:
		p.keys[0], p.keys[1] = sha1Keys(inner)
		p.keys[2], p.keys[3] = sha1Keys(outer)
	case 32:
		p.sha256 = true
		p.keys[0], p.keys[1] = sha256Keys(inner)
		p.keys[2], p.keys[3] = sha256Keys(outer)
	default:
		return nil
	}
	return p
}

// stateWords reads the n chaining words of a marshaled SHA-1 or SHA-256 state.
func stateWords(state []byte, n int) []uint32 {
	w := make([]uint32, n)
	for i := range w {
		w[i] = binary.BigEndian.Uint32(state[stateDigestOffset+4*i:])
	}
	return w
}

// sha1Keys is a SHA-1 state as SHA-NI holds it: A B C D from the top dword down, and
// E alone in the top dword.
func sha1Keys(h []uint32) (abcd, e [4]uint32) {
	return [4]uint32{h[3], h[2], h[1], h[0]}, [4]uint32{3: h[4]}
}

// sha256Keys is a SHA-256 state as SHA-NI holds it: A B E F and C D G H, from the top
// dword down.
func sha256Keys(h []uint32) (abef, cdgh [4]uint32) {
	return [4]uint32{h[5], h[4], h[1], h[0]}, [4]uint32{h[7], h[6], h[3], h[2]}
}

// values returns the truncated HMACs (before the modulus) for counters a and b.
func (p *hmacPair) values(a, b uint64) (uint32, uint32) {
	if p.sha256 {
		hmacSHA256x2(&p.keys, a, b, &p.out)
	} else {
		hmacSHA1x2(&p.keys, a, b, &p.out)
	}
	return truncateWords(p.out[0][:p.words]), truncateWords(p.out[1][:p.words])
}

// truncateWords is truncate on a digest held as big-endian words: the four bytes at
// the offset the last byte's low bits give straddle at most two words.
func truncateWords(h []uint32) uint32 {
	offset := h[len(h)-1] & 0x0f
	i, shift := offset/4, 8*(offset%4)
	pair := uint64(h[i])<<32 | uint64(h[i+1])
	return uint32(pair>>(32-shift)) & 0x7fffffff
}

// reducer is x mod m by a multiplication instead of a division (Lemire, Kaser and
// Kurz, "Faster remainder by direct computation", 2019): exact for every 32-bit x and m.
type reducer struct {
	m     uint32
	magic uint64 // ceil(2^64 / m)
}

func newReducer(m uint32) reducer { return reducer{m: m, magic: ^uint64(0)/uint64(m) + 1} }

func (r reducer) mod(x uint32) uint32 {
	hi, _ := bits.Mul64(r.magic*uint64(x), uint64(r.m))
	return uint32(hi)
}
