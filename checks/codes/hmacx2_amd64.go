//go:build amd64 && !purego

package codes

import "golang.org/x/sys/cpu"

//go:generate go run hmacx2_gen.go

// hmacSHA1x2 and hmacSHA256x2 compute HMAC-SHA1 / HMAC-SHA256 of the 8-byte counters
// a and b at once (SHA-NI), from the prepared states in keys (see hmacPair); out gets
// the two digests' words, in order.
//
//go:noescape
func hmacSHA1x2(keys *[4][4]uint32, a, b uint64, out *[2][8]uint32)

//go:noescape
func hmacSHA256x2(keys *[4][4]uint32, a, b uint64, out *[2][8]uint32)

func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

// haveSHANI: this CPU has the SHA extensions and the SSE ones the kernels use.
var haveSHANI = func() bool {
	if !cpu.X86.HasSSSE3 || !cpu.X86.HasSSE41 {
		return false
	}
	if maxLeaf, _, _, _ := cpuid(0, 0); maxLeaf < 7 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<29) != 0 // CPUID.(EAX=7,ECX=0):EBX.SHA
}()
