package secret

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // QR images arrive as PNG, JPEG, GIF, WebP or BMP
	_ "image/jpeg"
	_ "image/png"
	"slices"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"
)

// MaxImagePixels is the largest image otpdoctor decodes (40 megapixels): a bigger one
// is not a screenshot, and decoding it could exhaust memory.
const MaxImagePixels = 40_000_000

// maxDecodeBytes bounds what the image decoder may allocate, estimated from the
// image's header before any pixel is decoded. With the 8-bit grey copy made from the
// decoded image (at most 40 MB) and the QR search on that copy, a run stays under
// 256 MB for any image accepted.
const maxDecodeBytes = 200 << 20

// maxSearchPixels is the size a large image is first scaled down to for the QR search:
// a screenshot's code is big enough to read at that size, and the search is much
// faster. The full size is tried when that fails.
const maxSearchPixels = 4_000_000

// maxFilteredPixels bounds the images the noise filter runs on: it costs a second or
// more on a full 40-megapixel photo, and a code that small in so big a picture is
// better cropped anyway.
const maxFilteredPixels = 8_000_000

// MaxImageBytes caps how much of an image file is read.
const MaxImageBytes = 64 << 20

// IsImage recognises PNG, JPEG, GIF, WebP and BMP by their first bytes.
func IsImage(data []byte) bool {
	return isPNG(data) ||
		bytes.HasPrefix(data, []byte("\xff\xd8\xff")) ||
		bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a")) ||
		len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP" ||
		len(data) >= 14 && string(data[:2]) == "BM"
}

// isPNG recognises a PNG by its signature.
func isPNG(data []byte) bool { return bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) }

// DecodeQRImage finds a QR code in a PNG, JPEG, GIF, WebP or BMP image and returns its
// text. The image's size, and what decoding it would cost, are checked from its header
// before any pixel is decoded; it is decoded once, kept as 8-bit grey only, and searched
// scaled down first when large, then dark-on-light and light-on-dark (a dark-mode
// screenshot), then smoothed.
func DecodeQRImage(data []byte) (string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("not a readable PNG, JPEG, GIF, WebP or BMP image")
	}
	format = strings.ToUpper(format) // "png" names the decoder; people write PNG
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if pixels > MaxImagePixels {
		return "", fmt.Errorf("the %s image is %d×%d pixels (%.0f megapixels); otpdoctor reads images up to %d megapixels: crop it to the QR code",
			format, cfg.Width, cfg.Height, float64(pixels)/1e6, MaxImagePixels/1_000_000)
	}
	if cost := decodeCost(format, cfg, data); cost > maxDecodeBytes {
		return "", fmt.Errorf("the %s image (%d×%d) would take about %d MB to decode, more than otpdoctor allows (%d MB): save it as PNG, or crop it to the QR code",
			format, cfg.Width, cfg.Height, cost>>20, maxDecodeBytes>>20)
	}
	grey, err := decodeGrey(data)
	if err != nil {
		return "", fmt.Errorf("the %s image is damaged: %v", format, err)
	}
	text, err := searchQR(grey)
	if err != nil {
		var notFound gozxing.NotFoundException
		if errors.As(err, &notFound) {
			return "", fmt.Errorf("no QR code found in the %s image: crop it to the code, with a border around it, and try again", format)
		}
		return "", fmt.Errorf("the QR code in the %s image cannot be read (damaged or blurred): take a sharper screenshot", format)
	}
	return text, nil
}

// decodeGrey decodes an image and keeps it as 8-bit grey only: a PNG is decoded to grey
// a row at a time; another format's decoded image (up to 8 bytes a pixel) is garbage as
// soon as this returns.
func decodeGrey(data []byte) (*image.Gray, error) {
	if isPNG(data) {
		if grey, ok, err := decodePNGGrey(data); ok {
			return grey, err
		}
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if g, ok := img.(*image.Gray); ok {
		return g, nil
	}
	grey := image.NewGray(img.Bounds())
	draw.Draw(grey, grey.Bounds(), img, img.Bounds().Min, draw.Src)
	return grey, nil
}

// searchQR looks for a QR code in grey: scaled down first when large, then at full
// size, each as it is and inverted (light on dark); then, for images small enough,
// smoothed by a median filter (a photo of a screen, a noisy scan).
func searchQR(grey *image.Gray) (string, error) {
	tries := []*image.Gray{grey}
	if small := downscale(grey, maxSearchPixels); small != grey {
		tries = []*image.Gray{small, grey}
	}
	if b := grey.Bounds(); b.Dx()*b.Dy() <= maxFilteredPixels {
		tries = append(tries, nil) // the median filter, made only if needed
	}
	var firstErr error
	for _, img := range tries {
		if img == nil {
			img = median3(grey)
		}
		for _, invert := range []bool{false, true} {
			text, err := readQR(img, invert)
			if err == nil {
				return text, nil
			}
			firstErr = cmpErr(firstErr, err)
		}
	}
	return "", firstErr
}

// cmpErr keeps the first error, unless a later one says more than "not found": a code
// that was found but could not be decoded is worth reporting.
func cmpErr(first, next error) error {
	var notFound gozxing.NotFoundException
	if first == nil || errors.As(first, &notFound) && !errors.As(next, &notFound) {
		return next
	}
	return first
}

// readQR decodes a QR code in img, read light-for-dark when invert is set. The search
// reads img's pixels where they are (no copy: a 40-megapixel image is 40 MB); inverting
// is done in place and undone before returning.
func readQR(img *image.Gray, invert bool) (text string, err error) {
	if invert {
		invertInPlace(img)
		defer invertInPlace(img)
	}
	// gozxing is a port of Java code, full of index arithmetic; should a hostile image
	// make it panic, that must end in an error, not take the whole run down.
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("the QR decoder failed on this image")
		}
	}()
	b := img.Bounds()
	src, err := gozxing.NewPlanarYUVLuminanceSource(img.Pix, img.Stride, b.Dy(), 0, 0, b.Dx(), b.Dy(), false)
	if err != nil {
		return "", err
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
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

// invertInPlace turns img light-for-dark.
func invertInPlace(img *image.Gray) {
	for i, v := range img.Pix {
		img.Pix[i] = 255 - v
	}
}

// downscale shrinks img by the smallest whole factor that brings it to at most
// maxPixels, each pixel the mean of the block it replaces; img itself when it is small
// enough.
func downscale(img *image.Gray, maxPixels int) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	f := 1
	for (w/f)*(h/f) > maxPixels {
		f++
	}
	if f == 1 {
		return img
	}
	out := image.NewGray(image.Rect(0, 0, w/f, h/f))
	for y := range h / f {
		for x := range w / f {
			sum := 0
			for dy := range f {
				row := img.Pix[(y*f+dy)*img.Stride+x*f:]
				for dx := range f {
					sum += int(row[dx])
				}
			}
			out.Pix[y*out.Stride+x] = uint8(sum / (f * f))
		}
	}
	return out
}

// median3 is img with each pixel replaced by the median of its 3×3 neighbourhood: it
// removes isolated noisy pixels and keeps the edges of the code's modules.
func median3(img *image.Gray) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	var window [9]uint8
	for y := range h {
		for x := range w {
			n := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					px, py := min(max(x+dx, 0), w-1), min(max(y+dy, 0), h-1)
					window[n] = img.Pix[py*img.Stride+px]
					n++
				}
			}
			slices.Sort(window[:])
			out.Pix[y*out.Stride+x] = window[4]
		}
	}
	return out
}
