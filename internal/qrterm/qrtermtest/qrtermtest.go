// Package qrtermtest reads a QR code drawn in a terminal back from the screen's text,
// as a phone's camera would see it, for tests.
package qrtermtest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/otpdoctor/otpdoctor/checks/secret"
)

const scale = 4 // pixels per module

// Decode reads the QR code in screen (the terminal's lines of text) and returns its
// content. light says the terminal's background is light (ink is dark) or dark (ink
// is light). Cells other than half blocks and spaces count as background.
func Decode(screen []string, light bool) (string, error) {
	width := 0
	for _, line := range screen {
		width = max(width, len([]rune(line)))
	}
	ink, background := color.Gray{Y: 0}, color.Gray{Y: 255}
	if !light {
		ink, background = background, ink
	}
	margin := 8 * scale // the terminal's background around the screen
	img := image.NewGray(image.Rect(0, 0, width*scale+2*margin, 2*len(screen)*scale+2*margin))
	for i := range img.Pix {
		img.Pix[i] = background.Y
	}
	paint := func(cx, cy, half int) {
		for dy := range scale {
			for dx := range scale {
				img.SetGray(margin+cx*scale+dx, margin+(2*cy+half)*scale+dy, ink)
			}
		}
	}
	for y, line := range screen {
		for x, r := range []rune(line) {
			if strings.ContainsRune("█▀", r) {
				paint(x, y, 0)
			}
			if strings.ContainsRune("█▄", r) {
				paint(x, y, 1)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return secret.DecodeQRImage(buf.Bytes())
}
