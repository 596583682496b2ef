package secret

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"io"
	"slices"
)

// decodePNGGrey decodes a non-interlaced PNG straight to 8-bit grey, a row at a time:
// it holds two rows of the file's pixels and the grey image, never the decoder's full
// image (a 39-megapixel 16-bit RGBA PNG is 312 MB decoded, 39 MB in grey). ok is false
// for an interlaced PNG (rare in screenshots), which the standard decoder reads instead.
func decodePNGGrey(data []byte) (img *image.Gray, ok bool, err error) {
	h, idat, err := readPNGChunks(data)
	if err != nil {
		return nil, true, err
	}
	if h.interlaced {
		return nil, false, nil
	}
	zr, err := zlib.NewReader(idat)
	if err != nil {
		return nil, true, errors.New("the compressed pixel data is damaged")
	}
	defer zr.Close()
	r := bufio.NewReaderSize(zr, 64<<10)
	rowBytes := (h.width*h.bitsPerPixel() + 7) / 8
	bpp := max(1, h.bitsPerPixel()/8) // the filters' byte distance
	cur, prev := make([]byte, rowBytes+1), make([]byte, rowBytes+1)
	grey := image.NewGray(image.Rect(0, 0, h.width, h.height))
	for y := range h.height {
		if _, err := io.ReadFull(r, cur); err != nil {
			return nil, true, errors.New("the pixel data ends too early (a truncated file?)")
		}
		if err := unfilter(cur[0], cur[1:], prev[1:], bpp); err != nil {
			return nil, true, err
		}
		h.greyRow(grey.Pix[y*grey.Stride:(y+1)*grey.Stride], cur[1:])
		cur, prev = prev, cur
	}
	return grey, true, nil
}

// maxDeflateRatio bounds how many bytes deflate can pack into one.
const maxDeflateRatio = 1100

// pngInfo is what IHDR and PLTE say about the pixels.
type pngInfo struct {
	width, height, depth, colorType int
	interlaced                      bool
	palette                         []byte // grey value of each palette entry
}

// PNG colour types.
const (
	pngGrey      = 0
	pngRGB       = 2
	pngPalette   = 3
	pngGreyAlpha = 4
	pngRGBA      = 6
)

// channels is how many samples a pixel has.
func (h pngInfo) channels() int {
	return map[int]int{pngGrey: 1, pngRGB: 3, pngPalette: 1, pngGreyAlpha: 2, pngRGBA: 4}[h.colorType]
}

func (h pngInfo) bitsPerPixel() int { return h.channels() * h.depth }

// readPNGChunks reads the header and palette, and joins the IDAT chunks' data.
func readPNGChunks(data []byte) (h pngInfo, idat io.Reader, err error) {
	var parts []io.Reader
	var compressed int64
	for p := 8; p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		if n < 0 || p+12+n > len(data) {
			return h, nil, errors.New("a chunk runs past the end of the file")
		}
		typ, body := string(data[p+4:p+8]), data[p+8:p+8+n]
		if crc32.ChecksumIEEE(data[p+4:p+8+n]) != binary.BigEndian.Uint32(data[p+8+n:]) {
			return h, nil, errors.New("a chunk fails its checksum (a damaged file?)")
		}
		switch typ {
		case "IHDR":
			if h, err = parseIHDR(body); err != nil {
				return h, nil, err
			}
		case "PLTE":
			for i := 0; i+3 <= len(body); i += 3 {
				h.palette = append(h.palette, luma(uint32(body[i]), uint32(body[i+1]), uint32(body[i+2]), 255))
			}
		case "IDAT":
			parts = append(parts, bytes.NewReader(body))
			compressed += int64(n)
		case "IEND":
			p = len(data)
			continue
		}
		p += 12 + n
	}
	if h.width == 0 || len(parts) == 0 {
		return h, nil, errors.New("no image header or no pixel data")
	}
	// Deflate packs at most about 1032 bytes into one: less data than that allows for
	// the pixels is a truncated file, refused before the grey image is made.
	if raw := int64(h.height) * int64((h.width*h.bitsPerPixel()+7)/8+1); !h.interlaced && compressed*maxDeflateRatio < raw {
		return h, nil, errors.New("the pixel data is too short for the image's size (a truncated file?)")
	}
	return h, io.MultiReader(parts...), nil
}

// parseIHDR reads and checks the image header.
func parseIHDR(b []byte) (pngInfo, error) {
	if len(b) != 13 {
		return pngInfo{}, errors.New("the image header is damaged")
	}
	h := pngInfo{width: int(binary.BigEndian.Uint32(b)), height: int(binary.BigEndian.Uint32(b[4:])), depth: int(b[8]), colorType: int(b[9]), interlaced: b[12] == 1}
	valid := map[int][]int{pngGrey: {1, 2, 4, 8, 16}, pngRGB: {8, 16}, pngPalette: {1, 2, 4, 8}, pngGreyAlpha: {8, 16}, pngRGBA: {8, 16}}
	depths, ok := valid[h.colorType]
	if !ok || !slices.Contains(depths, h.depth) || b[10] != 0 || b[11] != 0 || b[12] > 1 || h.width <= 0 || h.height <= 0 {
		return h, errors.New("the image header names an impossible format")
	}
	return h, nil
}

// unfilter undoes a row's PNG filter in place (paeth and the others, RFC 2083 §6).
func unfilter(filter byte, cur, prev []byte, bpp int) error {
	switch filter {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i := range cur {
			cur[i] += prev[i]
		}
	case 3:
		for i := range cur {
			left := 0
			if i >= bpp {
				left = int(cur[i-bpp])
			}
			cur[i] += byte((left + int(prev[i])) / 2)
		}
	case 4:
		for i := range cur {
			var a, c int
			if i >= bpp {
				a, c = int(cur[i-bpp]), int(prev[i-bpp])
			}
			cur[i] += paeth(a, int(prev[i]), c)
		}
	default:
		return errors.New("a row of pixels has an unknown filter (a damaged file?)")
	}
	return nil
}

func paeth(a, b, c int) byte {
	p := a + b - c
	pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
	switch {
	case pa <= pb && pa <= pc:
		return byte(a)
	case pb <= pc:
		return byte(b)
	}
	return byte(c)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// greyRow writes one row of the file's pixels as grey: luma of colour, composited on
// white where there is alpha (as a screenshot with transparency looks).
func (h pngInfo) greyRow(out, row []byte) {
	sample := func(i int) uint32 { // the i-th sample of the row, scaled to 0..255
		switch h.depth {
		case 16:
			return uint32(row[2*i])
		case 8:
			return uint32(row[i])
		}
		bit := i * h.depth
		v := uint32(row[bit/8]>>(8-h.depth-bit%8)) & (1<<h.depth - 1)
		if h.colorType == pngPalette {
			return v
		}
		return v * 255 / (1<<h.depth - 1)
	}
	for x := range out {
		switch h.colorType {
		case pngGrey:
			out[x] = byte(sample(x))
		case pngGreyAlpha:
			out[x] = luma(sample(2*x), sample(2*x), sample(2*x), sample(2*x+1))
		case pngRGB:
			out[x] = luma(sample(3*x), sample(3*x+1), sample(3*x+2), 255)
		case pngRGBA:
			out[x] = luma(sample(4*x), sample(4*x+1), sample(4*x+2), sample(4*x+3))
		case pngPalette:
			if i := int(sample(x)); i < len(h.palette) {
				out[x] = h.palette[i]
			}
		}
	}
}

// luma is the grey of an 8-bit colour with alpha a, over white.
func luma(r, g, b, a uint32) byte {
	y := (299*r + 587*g + 114*b) / 1000
	return byte((y*a + 255*(255-a)) / 255)
}
