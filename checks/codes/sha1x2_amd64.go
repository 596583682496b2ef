//go:build amd64 && !purego

package codes

import "golang.org/x/sys/cpu"

// sha1Blocks2 compresses one block into each of two SHA-1 states at once (SHA-NI).
//
//go:noescape
func sha1Blocks2(h *[2][5]uint32, blocks *[2][64]byte)

func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

// haveSHA1x2: this CPU has the SHA extensions and the SSE/AVX ones sha1Blocks2 uses.
var haveSHA1x2 = func() bool {
	if !cpu.X86.HasAVX || !cpu.X86.HasSSSE3 || !cpu.X86.HasSSE41 {
		return false
	}
	if maxLeaf, _, _, _ := cpuid(0, 0); maxLeaf < 7 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<29) != 0 // CPUID.(EAX=7,ECX=0):EBX.SHA
}()
