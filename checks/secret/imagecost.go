package secret

import (
	"encoding/binary"
	"image"
	"image/color"
)

// decodeCost estimates the bytes decoding an image allocates, from its header alone:
// the decoder's image (and, for a progressive JPEG, the coefficients it keeps for
// every block of every component until the last scan), plus the 8-bit grey copy the
// QR search works on. A non-interlaced PNG costs the grey image only.
func decodeCost(format string, cfg image.Config, data []byte) int64 {
	pixels := int64(cfg.Width) * int64(cfg.Height)
	const pngInterlaceByte = 28 // signature, IHDR length and type, then 12 bytes in
	if format == "PNG" && len(data) > pngInterlaceByte && data[pngInterlaceByte] == 0 {
		return pixels // decoded to grey a row at a time
	}
	if format == "JPEG" {
		if cost, ok := jpegCost(data); ok {
			return cost + pixels
		}
	}
	if format == "WEBP" {
		// A lossless WebP is decoded as 32-bit ARGB words, then copied to NRGBA, with a
		// transform's buffer besides: counted generously.
		return webpBytesPerPixel*pixels + pixels
	}
	return pixels*bytesPerPixel(cfg.ColorModel) + pixels
}

// bytesPerPixel is what the decoder's image takes per pixel in color model m.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 // RGBA, NRGBA, CMYK (BMP is RGBA)
}

// webpBytesPerPixel bounds what x/image/webp allocates per pixel.
const webpBytesPerPixel = 12

// JPEG frame markers: baseline, extended sequential, progressive.
const (
	jpegSOF0 = 0xc0
	jpegSOF2 = 0xc2
)

// jpegCost is the bytes image/jpeg allocates for data: each component's plane at its
// own sampling, and for a progressive JPEG 64 int32 coefficients per 8×8 block of each
// component. ok is false when no frame header is found.
func jpegCost(data []byte) (cost int64, ok bool) {
	sof, progressive, ok := jpegFrame(data)
	if !ok || len(sof) < 6 {
		return 0, false
	}
	height, width := int64(binary.BigEndian.Uint16(sof[1:])), int64(binary.BigEndian.Uint16(sof[3:]))
	n := int(sof[5])
	if len(sof) < 6+3*n || n == 0 {
		return 0, false
	}
	hMax, vMax := int64(1), int64(1)
	for i := range n {
		hv := sof[6+3*i+1]
		hMax, vMax = max(hMax, int64(hv>>4)), max(vMax, int64(hv&15))
	}
	mcusX, mcusY := (width+8*hMax-1)/(8*hMax), (height+8*vMax-1)/(8*vMax)
	for i := range n {
		hv := sof[6+3*i+1]
		blocks := mcusX * int64(hv>>4) * mcusY * int64(hv&15)
		cost += blocks * 64 // the component's plane, a byte a sample
		if progressive {
			cost += blocks * 64 * 4
		}
	}
	return cost, true
}

// jpegFrame finds the frame header (SOF0 to SOF2) of a JPEG: its segment's bytes after
// the length, and whether it is progressive.
func jpegFrame(data []byte) (sof []byte, progressive, ok bool) {
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return nil, false, false
		}
		marker := data[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		length := int(binary.BigEndian.Uint16(data[i+2:]))
		if length < 2 || i+2+length > len(data) {
			return nil, false, false
		}
		if marker >= jpegSOF0 && marker <= jpegSOF2 {
			return data[i+4 : i+2+length], marker == jpegSOF2, true
		}
		i += 2 + length
	}
	return nil, false, false
}
