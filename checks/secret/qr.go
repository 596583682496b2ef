package secret

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // QR images arrive as PNG, JPEG or GIF
	_ "image/jpeg"
	_ "image/png"
	"slices"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// MaxImagePixels is the largest image otpdoctor decodes (40 megapixels): a bigger one
// is not a screenshot, and decoding it could exhaust memory.
const MaxImagePixels = 40_000_000

// maxFilteredPixels bounds the images the noise filter runs on: it costs a second or
// more on a full 40-megapixel photo, and a code that small in so big a picture is
// better cropped anyway.
const maxFilteredPixels = 8_000_000

// MaxImageBytes caps how much of an image file is read.
const MaxImageBytes = 64 << 20

// IsImage recognises PNG, JPEG and GIF by their first bytes.
func IsImage(data []byte) bool {
	return bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) ||
		bytes.HasPrefix(data, []byte("\xff\xd8\xff")) ||
		bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a"))
}

// DecodeQRImage finds a QR code in a PNG, JPEG or GIF image and returns its text. The
// image size is checked from its header before any pixel is decoded.
func DecodeQRImage(data []byte) (string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("not a readable PNG, JPEG or GIF image")
	}
	format = strings.ToUpper(format) // "png" names the decoder; people write PNG
	if pixels := int64(cfg.Width) * int64(cfg.Height); pixels > MaxImagePixels {
		return "", fmt.Errorf("the %s image is %d×%d pixels (%.0f megapixels); otpdoctor reads images up to %d megapixels: crop it to the QR code",
			format, cfg.Width, cfg.Height, float64(pixels)/1e6, MaxImagePixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("the %s image is damaged: %v", format, err)
	}
	// A clean screenshot reads at once; a photo of a screen or a noisy scan often reads
	// once speckles are smoothed away by a median filter.
	text, err := readQR(img)
	if pixels := int64(cfg.Width) * int64(cfg.Height); err != nil && pixels <= maxFilteredPixels {
		text, err = readQR(median3(img))
	}
	if err != nil {
		var notFound gozxing.NotFoundException
		if errors.As(err, &notFound) {
			return "", fmt.Errorf("no QR code found in the %s image: crop it to the code, with a white border, and try again", format)
		}
		return "", fmt.Errorf("the QR code in the %s image cannot be read (damaged or blurred): take a sharper screenshot", format)
	}
	return text, nil
}

func readQR(img image.Image) (text string, err error) {
	// gozxing is a port of Java code, full of index arithmetic; should a hostile image
	// make it panic, that must end in an error, not take the whole run down.
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("the QR decoder failed on this image")
		}
	}()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	result, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return result.GetText(), nil
}

// median3 is img in grey, each pixel replaced by the median of its 3×3 neighbourhood:
// it removes isolated noisy pixels and keeps the edges of the code's modules.
func median3(img image.Image) *image.Gray {
	b := img.Bounds()
	grey := image.NewGray(b)
	draw.Draw(grey, b, img, b.Min, draw.Src)
	out := image.NewGray(b)
	var window [9]uint8
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			n := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					p := image.Pt(min(max(x+dx, b.Min.X), b.Max.X-1), min(max(y+dy, b.Min.Y), b.Max.Y-1))
					window[n] = grey.GrayAt(p.X, p.Y).Y
					n++
				}
			}
			slices.Sort(window[:])
			out.SetGray(x, y, color.Gray{Y: window[4]})
		}
	}
	return out
}
