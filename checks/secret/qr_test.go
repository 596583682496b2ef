package secret

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"
)

// qrImage draws text as a QR code, size pixels wide, on a white background.
func qrImage(t testing.TB, text string, size int) *image.RGBA {
	t.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	src := q.Image(size)
	out := image.NewRGBA(src.Bounds())
	draw.Draw(out, out.Bounds(), src, src.Bounds().Min, draw.Src)
	return out
}

// rotate90 turns img a quarter turn clockwise.
func rotate90(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(b.Max.Y-1-y, x-b.Min.X, img.At(x, y))
		}
	}
	return out
}

// embed puts img at an offset on a larger grey canvas, scaled by factor (nearest
// neighbour): a screenshot with the code somewhere in it.
func embed(img *image.RGBA, factor float64, canvas int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, canvas, canvas))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.Gray{Y: 200}), image.Point{}, draw.Src)
	b := img.Bounds()
	w, h := int(float64(b.Dx())*factor), int(float64(b.Dy())*factor)
	off := (canvas - w) / 3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			out.Set(off+x, off+y, img.At(b.Min.X+int(float64(x)/factor), b.Min.Y+int(float64(y)/factor)))
		}
	}
	return out
}

// addNoise flips a fraction of the pixels to random grey levels.
func addNoise(img *image.RGBA, fraction float64, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed))
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r.Float64() < fraction {
				img.Set(x, y, color.Gray{Y: uint8(r.IntN(256))})
			}
		}
	}
	return img
}

func encodeImage(t testing.TB, img image.Image, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75})
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeQRImage(t *testing.T) {
	uri := "otpauth://totp/GitHub:alice?secret=" + rfcKeyBase32 + "&issuer=GitHub"
	migration := migrationURI(buildPayload(testAccounts(10), 1, 0, 1))
	for _, tc := range []struct {
		name   string
		text   string
		img    func() image.Image
		format string
	}{
		{"png", uri, func() image.Image { return qrImage(t, uri, 256) }, "png"},
		{"jpeg", uri, func() image.Image { return qrImage(t, uri, 256) }, "jpeg"},
		{"gif", uri, func() image.Image { return qrImage(t, uri, 256) }, "gif"},
		{"ten-account export", migration, func() image.Image { return qrImage(t, migration, 600) }, "png"},
		{"scaled up in a screenshot", uri, func() image.Image { return embed(qrImage(t, uri, 200), 2.5, 900) }, "png"},
		{"scaled down", uri, func() image.Image { return embed(qrImage(t, uri, 400), 0.6, 500) }, "png"},
		{"rotated 90 degrees", uri, func() image.Image { return rotate90(qrImage(t, uri, 256)) }, "png"},
		{"rotated and scaled", uri, func() image.Image { return rotate90(embed(qrImage(t, uri, 200), 1.7, 600)) }, "jpeg"},
		{"with noise", uri, func() image.Image { return addNoise(qrImage(t, uri, 300), 0.05, 1) }, "png"},
		{"with noise in a screenshot", uri, func() image.Image { return addNoise(embed(qrImage(t, uri, 256), 1.5, 700), 0.03, 2) }, "jpeg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := encodeImage(t, tc.img(), tc.format)
			got, err := DecodeQRImage(data)
			if err != nil {
				t.Fatalf("DecodeQRImage: %v", err)
			}
			if got != tc.text {
				t.Errorf("decoded a different text (%d characters, want %d)", len(got), len(tc.text))
			}
		})
	}
}

// TestParseQRImage: an image given as a key source is recognised and its content read.
func TestParseQRImage(t *testing.T) {
	migration := migrationURI(buildPayload(testAccounts(3), 1, 0, 1))
	src, err := Parse(encodeImage(t, qrImage(t, migration, 400), "png"))
	if err != nil {
		t.Fatal(err)
	}
	if src.Form != FormQR+":"+FormMigration || len(src.Entries) != 3 {
		t.Errorf("form %s with %d accounts", src.Form, len(src.Entries))
	}
}

func TestParseQRImageWithoutKey(t *testing.T) {
	_, err := Parse(encodeImage(t, qrImage(t, "https://example.com/menu", 400), "png"))
	if err == nil || !errors.Is(err, ErrNoKey) || err.Error() != "the QR code's content: it holds text that is no 2FA key (an authenticator's QR code holds an otpauth:// URI): no key in it" {
		t.Errorf("err = %v", err)
	}
	// A QR code of a bare base32 key is a key.
	if src, err := Parse(encodeImage(t, qrImage(t, rfcKeyBase32, 400), "png")); err != nil || src.Entries[0].Err != nil {
		t.Errorf("bare key: %v", err)
	}
}

func TestDecodeQRImageErrors(t *testing.T) {
	blank := image.NewRGBA(image.Rect(0, 0, 200, 200))
	draw.Draw(blank, blank.Bounds(), image.White, image.Point{}, draw.Src)
	for _, tc := range []struct {
		name, want string
		data       []byte
	}{
		{"no code", "no QR code found in the PNG image: crop it to the code, with a border around it, and try again", encodeImage(t, blank, "png")},
		{"too large", "the PNG image is 8000×6000 pixels (48 megapixels); otpdoctor reads images up to 40 megapixels: crop it to the QR code", pngHeader(8000, 6000)},
		{"not an image", "not a readable PNG, JPEG, GIF, WebP or BMP image", []byte("\x89PNG\r\n\x1a\ngarbage")},
		{"truncated", "the PNG image is damaged: no image header or no pixel data", pngHeader(100, 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeQRImage(tc.data)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// pngHeader is the start of a PNG of the given size: the signature and IHDR chunk,
// with no pixel data. image.DecodeConfig reads it; decoding the pixels fails.
func pngHeader(width, height uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func BenchmarkDecodeQRImage(b *testing.B) {
	uri := "otpauth://totp/GitHub:alice?secret=" + rfcKeyBase32 + "&issuer=GitHub"
	data := encodeImage(b, embed(qrImage(b, uri, 300), 2, 1080), "png")
	b.ResetTimer()
	for b.Loop() {
		if text, err := DecodeQRImage(data); err != nil || !strings.HasPrefix(text, "otpauth://") {
			b.Fatal(err)
		}
	}
}
