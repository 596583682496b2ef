package codes

import "encoding/binary"

// sha1Pair computes two HMAC-SHA1 codes at once from the prepared inner and outer
// states: each of its two compressions hashes a block for both counters, so that the
// CPU overlaps their dependency chains (about twice the speed of one after the other).
type sha1Pair struct {
	inner, outer [5]uint32 // chaining values after the key block XOR ipad / opad
	innerBlocks  [2][64]byte
	outerBlocks  [2][64]byte
	h            [2][5]uint32
}

// newSHA1Pair prepares a pair from marshaled crypto/sha1 states after the key blocks;
// nil when this CPU cannot run sha1Blocks2.
func newSHA1Pair(innerState, outerState []byte) *sha1Pair {
	if !haveSHA1x2 {
		return nil
	}
	p := &sha1Pair{}
	for i := range p.inner {
		p.inner[i] = binary.BigEndian.Uint32(innerState[stateDigestOffset+4*i:])
		p.outer[i] = binary.BigEndian.Uint32(outerState[stateDigestOffset+4*i:])
	}
	for lane := range 2 {
		copy(p.innerBlocks[lane][:], finalBlock(64, 8))
		copy(p.outerBlocks[lane][:], finalBlock(64, 20))
	}
	return p
}

// values returns the truncated HMACs (before the modulus) for counters a and b.
func (p *sha1Pair) values(a, b uint64) (uint32, uint32) {
	binary.BigEndian.PutUint64(p.innerBlocks[0][:], a)
	binary.BigEndian.PutUint64(p.innerBlocks[1][:], b)
	p.h = [2][5]uint32{p.inner, p.inner}
	sha1Blocks2(&p.h, &p.innerBlocks)
	for lane := range 2 {
		putWords(p.outerBlocks[lane][:], p.h[lane])
	}
	p.h = [2][5]uint32{p.outer, p.outer}
	sha1Blocks2(&p.h, &p.outerBlocks)
	var sum [2][20]byte
	putWords(sum[0][:], p.h[0])
	putWords(sum[1][:], p.h[1])
	return truncate(sum[0][:]), truncate(sum[1][:])
}

// putWords writes a SHA-1 state as its digest bytes, big-endian.
func putWords(b []byte, h [5]uint32) {
	for i, w := range h {
		binary.BigEndian.PutUint32(b[4*i:], w)
	}
}
