package codes

import (
	"context"
	"encoding"
	"encoding/binary"
	"hash"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/otpdoctor/otpdoctor/checks/secret"
)

// stateHash is a hash whose state can be saved and restored: every crypto/sha1,
// crypto/sha256 and crypto/sha512 digest is one.
type stateHash interface {
	hash.Hash
	encoding.BinaryUnmarshaler
	encoding.BinaryAppender
}

// stateDigestOffset is where the chaining value starts in a marshaled SHA state: after
// the four-byte magic, the state words, big-endian. After a final block that carries its
// own padding, the chaining value is the digest.
const stateDigestOffset = 4

// Generator computes one key's codes under one algorithm and digit count, without
// allocating. The HMAC inner and outer states after the padded key block are prepared
// once; each code restores them and hashes one final, already padded block each: two
// compressions per code. With SHA1 or SHA256 on a CPU with SHA-NI, a search computes
// two codes at once, the whole HMAC in registers (hmacPair). A Generator is not safe
// for concurrent use; Fork gives another goroutine its own.
type Generator struct {
	newHash                func() hash.Hash
	size                   int     // digest size in bytes
	mod                    reducer // 10^digits
	innerState, outerState []byte  // marshaled states after the key block; shared, read-only

	inner, outer           stateHash
	innerBlock, outerBlock []byte    // final blocks: counter / inner digest, 0x80, zeros, bit length
	scratch                []byte    // room for a marshaled state
	pair                   *hmacPair // SHA1 or SHA256 with SHA-NI: two codes at once; else nil
}

// NewGenerator prepares key (raw bytes) for codes of digits digits under alg, which
// must be Supported.
func NewGenerator(alg secret.Algorithm, key []byte, digits int) *Generator {
	newHash := hashOf(alg)
	h := newHash()
	if len(key) > h.BlockSize() { // RFC 2104: long keys are hashed first
		h.Write(key)
		key = h.Sum(nil)
	}
	g := &Generator{newHash: newHash, size: h.Size(), mod: newReducer(modulus(digits))}
	g.innerState = padState(newHash, key, 0x36)
	g.outerState = padState(newHash, key, 0x5c)
	g.allocate()
	return g
}

// padState is the marshaled state of a hash that has absorbed key XOR pad, one block.
func padState(newHash func() hash.Hash, key []byte, pad byte) []byte {
	h := newHash()
	block := make([]byte, h.BlockSize())
	copy(block, key)
	for i := range block {
		block[i] ^= pad
	}
	h.Write(block)
	state, err := h.(stateHash).AppendBinary(nil)
	if err != nil {
		panic("codes: cannot save a hash state: " + err.Error())
	}
	return state
}

// allocate gives g its own hashes, blocks and pair; the prepared states stay shared.
func (g *Generator) allocate() {
	g.inner, g.outer = g.newHash().(stateHash), g.newHash().(stateHash)
	blockSize := g.inner.BlockSize()
	g.innerBlock = finalBlock(blockSize, 8)
	g.outerBlock = finalBlock(blockSize, g.size)
	g.scratch = make([]byte, 0, len(g.innerState))
	g.pair = newHMACPair(g.size, g.innerState, g.outerState)
}

// finalBlock is the last block of a message of one key block plus n bytes: room for
// the n bytes, then the padding SHA-1 and SHA-2 define (0x80, zeros, the length in bits,
// big-endian, in the block's last bytes).
func finalBlock(blockSize, n int) []byte {
	b := make([]byte, blockSize)
	b[n] = 0x80
	binary.BigEndian.PutUint64(b[blockSize-8:], uint64(blockSize+n)*8)
	return b
}

// Fork returns a Generator for the same key and parameters, for another goroutine.
func (g *Generator) Fork() *Generator {
	f := &Generator{newHash: g.newHash, size: g.size, mod: g.mod, innerState: g.innerState, outerState: g.outerState}
	f.allocate()
	return f
}

// Value is the code for counter as a number (the code is it zero-padded to the digits).
func (g *Generator) Value(counter uint64) uint32 {
	binary.BigEndian.PutUint64(g.innerBlock, counter)
	copy(g.outerBlock, g.compress(g.inner, g.innerState, g.innerBlock))
	return g.mod.mod(truncate(g.compress(g.outer, g.outerState, g.outerBlock)))
}

// values2 is Value for two counters: both at once where the CPU allows.
func (g *Generator) values2(a, b uint64) (uint32, uint32) {
	if g.pair != nil {
		va, vb := g.pair.values(a, b)
		return g.mod.mod(va), g.mod.mod(vb)
	}
	return g.Value(a), g.Value(b)
}

// compress restores a prepared state, hashes one final block, and returns the digest.
func (g *Generator) compress(h stateHash, state, block []byte) []byte {
	// state came from this kind of hash: restoring it cannot fail.
	_ = h.UnmarshalBinary(state)
	h.Write(block)
	saved, _ := h.AppendBinary(g.scratch[:0])
	return saved[stateDigestOffset : stateDigestOffset+g.size]
}

// Span is a range of counters to search, from Lo to Hi inclusive, nearest to Center
// (Lo <= Center <= Hi) first.
type Span struct{ Lo, Center, Hi uint64 }

// Steps is how many counters s holds.
func (s Span) Steps() uint64 { return s.Hi - s.Lo + 1 }

// Progress is told how many steps of a search are done, of how many; the search's
// goroutines call it, each time a chunk is done.
type Progress func(done, total uint64)

// chunkSteps is how many counters a search goroutine takes at a time: a few
// milliseconds of work, so that cancellation and progress stay prompt.
const chunkSteps = 1 << 15

// Find searches s for the counter nearest to s.Center (the lower one on a tie) whose
// code is values[0] and whose following counters' codes are values[1:]. The span is
// split across cores in chunks taken in order of distance from the centre; the search
// stops once no chunk left can hold a nearer match. ok is false when nothing matched or
// ctx ended first (ctx.Err() tells which). Memory is flat whatever the span.
func (g *Generator) Find(ctx context.Context, values []uint32, s Span, progress Progress) (counter uint64, ok bool) {
	up := ceilDiv(s.Hi-s.Center+1, chunkSteps)
	down := ceilDiv(s.Center-s.Lo, chunkSteps)
	chunks := 2 * max(up, down)
	total := s.Steps()

	var (
		next, done atomic.Uint64
		bestDist   atomic.Uint64
		mu         sync.Mutex
		best       uint64
		wg         sync.WaitGroup
	)
	bestDist.Store(math.MaxUint64)
	record := func(c uint64) {
		d := distance(c, s.Center)
		mu.Lock()
		defer mu.Unlock()
		if old := bestDist.Load(); d < old || d == old && c < best {
			best = c
			bestDist.Store(d)
		}
	}
	worker := func(g *Generator) {
		defer wg.Done()
		for ctx.Err() == nil {
			i := next.Add(1) - 1
			if i >= chunks {
				return
			}
			c, nearest, empty := s.chunk(i)
			if nearest > bestDist.Load() {
				return // this chunk and every later one are farther than a match found
			}
			if empty {
				continue
			}
			steps, hit := g.scanChunk(values, c)
			if hit {
				record(c.first + uint64(steps-1)*c.dir())
			}
			if progress != nil {
				progress(done.Add(uint64(steps)), total)
			}
		}
	}
	workers := min(uint64(runtime.GOMAXPROCS(0)), chunks)
	wg.Add(int(workers))
	for w := range workers {
		if w == 0 {
			go worker(g)
		} else {
			go worker(g.Fork())
		}
	}
	wg.Wait()
	if bestDist.Load() == math.MaxUint64 || ctx.Err() != nil {
		return 0, false
	}
	return best, true
}

// chunk is a run of counters searched in one direction, from first for steps counters.
type chunk struct {
	first uint64
	steps uint64
	down  bool
}

func (c chunk) dir() uint64 {
	if c.down {
		return math.MaxUint64 // adding it subtracts one
	}
	return 1
}

// chunk returns chunk i of s: even ones go up from the centre, odd ones down from just
// below it, so that the nearest distance a chunk holds never decreases with i.
func (s Span) chunk(i uint64) (c chunk, nearest uint64, empty bool) {
	j := i / 2
	offset := j * chunkSteps
	if i%2 == 0 {
		if offset > s.Hi-s.Center {
			return chunk{}, offset, true
		}
		first := s.Center + offset
		return chunk{first: first, steps: min(chunkSteps, s.Hi-first+1)}, offset, false
	}
	if offset >= s.Center-s.Lo {
		return chunk{}, offset + 1, true
	}
	first := s.Center - 1 - offset
	return chunk{first: first, steps: min(chunkSteps, first-s.Lo+1), down: true}, offset + 1, false
}

// scanChunk computes the codes of c in order, two at a time, and stops at the first
// counter where all values match; it returns how many counters it went through and
// whether the last matched.
func (g *Generator) scanChunk(values []uint32, c chunk) (steps int, hit bool) {
	counter, dir := c.first, c.dir()
	for n := uint64(0); n < c.steps; n += 2 {
		next := counter + dir // past the chunk's end when n+1 == c.steps: computed, not used
		va, vb := g.values2(counter, next)
		if va == values[0] && g.matchesAfter(values[1:], counter) {
			return int(n + 1), true
		}
		if n+1 < c.steps && vb == values[0] && g.matchesAfter(values[1:], next) {
			return int(n + 2), true
		}
		counter = next + dir
	}
	return int(c.steps), false
}

// matchesAfter reports whether values are the codes of the counters after counter.
func (g *Generator) matchesAfter(values []uint32, counter uint64) bool {
	for i, v := range values {
		next := counter + uint64(i) + 1
		if next < counter || g.Value(next) != v {
			return false
		}
	}
	return true
}

func ceilDiv(n, d uint64) uint64 {
	if n == 0 {
		return 0
	}
	return (n-1)/d + 1
}

// distance is |a - b|.
func distance(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}
