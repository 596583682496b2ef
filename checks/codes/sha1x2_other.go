//go:build !amd64 || purego

package codes

// haveSHA1x2 is false: no two-lane SHA-1 here, the search uses crypto/sha1.
const haveSHA1x2 = false

func sha1Blocks2(*[2][5]uint32, *[2][64]byte) { panic("codes: sha1Blocks2 without SHA-NI") }
