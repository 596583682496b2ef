//go:build !amd64 || purego

package codes

// haveSHANI is false: no SHA-NI kernels here, searches use crypto/sha1 and crypto/sha256.
const haveSHANI = false

func hmacSHA1x2(*[4][4]uint32, uint64, uint64, *[2][8]uint32) {
	panic("codes: hmacSHA1x2 without SHA-NI")
}

func hmacSHA256x2(*[4][4]uint32, uint64, uint64, *[2][8]uint32) {
	panic("codes: hmacSHA256x2 without SHA-NI")
}
