//go:build !race

package secret

// The race detector's instrumentation allocates, and makes the 39-megapixel test slow:
// the memory test runs without it.

import (
	"runtime"
	"strings"
	"testing"
)

// allocated is how many bytes f allocates: an upper bound of its peak heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestQRImageMemory: a 39-megapixel 16-bit RGBA PNG (630 MB before) reads with under
// 256 MB allocated in all; a progressive CMYK JPEG whose decoding would need 1.1 GB is
// refused from its header, allocating next to nothing.
func TestQRImageMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 39-megapixel image")
	}
	uri := "otpauth://totp/Big:photo?secret=" + rfcKeyBase32
	data := bigPNG(t, uri)
	var text string
	var err error
	n := allocated(func() { text, err = DecodeQRImage(data) })
	if err != nil || text != uri {
		t.Fatalf("the big PNG: %q, %v", text, err)
	}
	if n > 256<<20 {
		t.Errorf("the 39-megapixel PNG allocated %d MB, over 256 MB", n>>20)
	}
	t.Logf("39-megapixel 16-bit RGBA PNG (%d KB): %d MB allocated", len(data)>>10, n>>20)

	jpeg := progressiveCMYKJPEG()
	n = allocated(func() { _, err = DecodeQRImage(jpeg) })
	if err == nil || !strings.Contains(err.Error(), "would take about 795 MB to decode") {
		t.Errorf("the progressive CMYK JPEG: %v", err)
	}
	if n > 1<<20 {
		t.Errorf("refusing the JPEG allocated %d KB", n>>10)
	}
}
