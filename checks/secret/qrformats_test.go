package secret

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"testing"

	"golang.org/x/image/bmp"
)

// webpLossless encodes a black-and-white image as a lossless WebP (VP8L) file: no
// transforms, no colour cache, and simple one-bit prefix codes for green, red and blue
// (0 or 255), alpha always 255. x/image has no WebP encoder; this is the least of one.
func webpLossless(img *image.Gray) []byte {
	var bits bitWriter
	b := img.Bounds()
	bits.write(0x2f, 8)
	bits.write(uint32(b.Dx()-1), 14)
	bits.write(uint32(b.Dy()-1), 14)
	bits.write(0, 1) // alpha unused
	bits.write(0, 3) // version
	bits.write(0, 1) // no transform
	bits.write(0, 1) // no colour cache
	bits.write(0, 1) // no meta prefix codes
	for range 3 {    // green, red, blue: two symbols, 0 and 255
		bits.write(1, 1) // simple code
		bits.write(1, 1) // two symbols
		bits.write(0, 1) // the first is 1 bit wide
		bits.write(0, 1) // symbol 0
		bits.write(255, 8)
	}
	for _, symbol := range []uint32{255, 0} { // alpha: 255 only; distance: 0 only
		bits.write(1, 1)
		bits.write(0, 1) // one symbol
		bits.write(1, 1) // 8 bits wide
		bits.write(symbol, 8)
	}
	for _, v := range img.Pix {
		bit := uint32(0)
		if v >= 128 {
			bit = 1
		}
		bits.write(bit|bit<<1|bit<<2, 3) // green, red, blue
	}
	data := bits.bytes()
	chunk := append([]byte("VP8L"), le32(uint32(len(data)))...)
	chunk = append(chunk, data...)
	if len(data)%2 == 1 {
		chunk = append(chunk, 0)
	}
	out := append([]byte("RIFF"), le32(uint32(4+len(chunk)))...)
	return append(append(out, "WEBP"...), chunk...)
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// bitWriter writes bits least significant first, as VP8L reads them.
type bitWriter struct {
	buf  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) write(v uint32, n uint) {
	w.acc |= uint64(v) << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nacc > 0 {
		return append(w.buf, byte(w.acc))
	}
	return w.buf
}

// greyQR is the QR code of text as a grey image, light on dark when inverted.
func greyQR(t testing.TB, text string, size int, invert bool) *image.Gray {
	src := qrImage(t, text, size)
	g := image.NewGray(src.Bounds())
	for i := range g.Pix {
		g.Pix[i] = src.Pix[4*i]
		if invert {
			g.Pix[i] = 255 - g.Pix[i]
		}
	}
	return g
}

// TestQRImageFormats: WebP, BMP and light-on-dark (a dark-mode screenshot) images read.
func TestQRImageFormats(t *testing.T) {
	uri := "otpauth://totp/Dark:mode?secret=" + rfcKeyBase32
	var bmpBuf bytes.Buffer
	if err := bmp.Encode(&bmpBuf, greyQR(t, uri, 300, false)); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"WebP":                webpLossless(greyQR(t, uri, 300, false)),
		"BMP":                 bmpBuf.Bytes(),
		"PNG, light on dark":  encodeImage(t, greyQR(t, uri, 300, true), "png"),
		"JPEG, light on dark": encodeImage(t, greyQR(t, uri, 300, true), "jpeg"),
		"WebP, light on dark": webpLossless(greyQR(t, uri, 300, true)),
	} {
		t.Run(name, func(t *testing.T) {
			if !IsImage(data) {
				t.Fatal("not recognised as an image")
			}
			src, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if e := src.Entries[0]; e.Err != nil || !bytes.Equal(e.Key.Secret, rfcKey) || e.Key.Issuer != "Dark" {
				t.Errorf("entry %+v, %v", redact(e.Key), e.Err)
			}
		})
	}
}

// bigPNG is a 7200×5400 (38.9 megapixel) 16-bit RGBA PNG, white with text's QR code
// 3000 pixels wide in it, written a row at a time (the test never holds its pixels).
func bigPNG(t testing.TB, text string) []byte {
	const width, height, qrSize = 7200, 5400, 3000
	code := greyQR(t, text, 300, false)
	scale := qrSize / code.Bounds().Dx()
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	row := make([]byte, 1+8*width)
	for y := range height {
		for x := range width {
			v := byte(255)
			if qx, qy := (x-2000)/scale, (y-1000)/scale; x >= 2000 && y >= 1000 && qx < code.Bounds().Dx() && qy < code.Bounds().Dy() {
				v = code.Pix[qy*code.Stride+qx]
			}
			copy(row[1+8*x:], []byte{v, v, v, v, v, v, 255, 255}) // opaque

		}
		zw.Write(row)
	}
	zw.Close()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, width)
	ihdr = binary.BigEndian.AppendUint32(ihdr, height)
	ihdr = append(ihdr, 16, 6, 0, 0, 0) // 16-bit RGBA
	for _, c := range []struct {
		typ  string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", idat.Bytes()}, {"IEND", nil}} {
		out.Write(binary.BigEndian.AppendUint32(nil, uint32(len(c.data))))
		body := append([]byte(c.typ), c.data...)
		out.Write(body)
		out.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(body)))
	}
	return out.Bytes()
}

// progressiveCMYKJPEG is the header of a 6300×6300 progressive CMYK JPEG: a 608 KB such
// file needed 1.1 GB to decode. Its header is all the decoder reads before refusing.
func progressiveCMYKJPEG() []byte {
	out := []byte{0xff, 0xd8}
	out = append(out, 0xff, 0xee, 0x00, 0x0e) // Adobe APP14: CMYK, no transform
	out = append(out, "Adobe\x00\x64\x00\x00\x00\x00\x00"...)
	sof := []byte{8, 0x18, 0x9c, 0x18, 0x9c, 4} // 8 bits, 6300×6300, 4 components
	for c := byte(1); c <= 4; c++ {
		sof = append(sof, c, 0x11, 0)
	}
	out = append(out, 0xff, 0xc2, 0, byte(2+len(sof)))
	out = append(out, sof...)
	out = append(out, 0xff, 0xda, 0, 14, 4, 1, 0, 2, 0, 3, 0, 4, 0, 0, 63, 0) // SOS: the config reader needs one for CMYK
	return append(out, 0xff, 0xd9)
}

// BenchmarkDecodeQRImageBig is the 39-megapixel PNG's decoding: run with -benchmem,
// B/op is everything it allocates.
func BenchmarkDecodeQRImageBig(b *testing.B) {
	data := bigPNG(b, "otpauth://totp/Big:photo?secret="+rfcKeyBase32)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeQRImage(data); err != nil {
			b.Fatal(err)
		}
	}
}
