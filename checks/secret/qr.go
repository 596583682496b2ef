package secret

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // QR images arrive as PNG, JPEG or GIF
	_ "image/jpeg"
	_ "image/png"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// MaxImagePixels is the largest image otpdoctor decodes (40 megapixels): a bigger one
// is not a screenshot, and decoding it could exhaust memory.
const MaxImagePixels = 40_000_000

// MaxImageBytes caps how much of an image file is read.
const MaxImageBytes = 64 << 20

// isImage recognises PNG, JPEG and GIF by their first bytes.
func isImage(data []byte) bool {
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
	if pixels := int64(cfg.Width) * int64(cfg.Height); pixels > MaxImagePixels {
		return "", fmt.Errorf("the %s image is %d×%d pixels (%.0f megapixels); otpdoctor reads images up to %d megapixels: crop it to the QR code",
			format, cfg.Width, cfg.Height, float64(pixels)/1e6, MaxImagePixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("the %s image is damaged: %v", format, err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("the %s image cannot be read: %v", format, err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	result, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		var notFound gozxing.NotFoundException
		if errors.As(err, &notFound) {
			return "", fmt.Errorf("no QR code found in the %s image: crop it to the code, with a white border, and try again", format)
		}
		return "", fmt.Errorf("the QR code in the %s image cannot be read (damaged or blurred): take a sharper screenshot", format)
	}
	return result.GetText(), nil
}
