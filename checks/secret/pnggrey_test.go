package secret

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestDecodePNGGrey: the row-at-a-time decoder gives the grey the standard decoder
// gives, for every colour type and bit depth PNG encoders write (opaque pixels; with
// alpha, ours composites over white as a screenshot shows it).
func TestDecodePNGGrey(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rect := image.Rect(0, 0, 37, 23) // odd sizes: rows not a multiple of a byte or a filter's step
	palette := color.Palette{color.Black, color.White, color.RGBA{200, 30, 90, 255}, color.RGBA{10, 220, 140, 255}}
	for _, tc := range []struct {
		name string
		img  draw.Image
	}{
		{"grey 8", image.NewGray(rect)}, {"grey 16", image.NewGray16(rect)}, {"RGB 8", image.NewRGBA(rect)},
		{"RGBA 16", image.NewNRGBA64(rect)}, {"palette 2 bits", image.NewPaletted(rect, palette)},
		{"palette 1 bit", image.NewPaletted(rect, palette[:2])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for y := range rect.Dy() {
				for x := range rect.Dx() {
					tc.img.Set(x, y, color.RGBA64{uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32()), 0xffff})
				}
			}
			var buf bytes.Buffer
			if err := png.Encode(&buf, tc.img); err != nil {
				t.Fatal(err)
			}
			got, ok, err := decodePNGGrey(buf.Bytes())
			if !ok || err != nil {
				t.Fatalf("ok %v, %v", ok, err)
			}
			std, _ := png.Decode(bytes.NewReader(buf.Bytes()))
			want := image.NewGray(rect)
			draw.Draw(want, rect, std, image.Point{}, draw.Src)
			for i := range want.Pix {
				if d := int(got.Pix[i]) - int(want.Pix[i]); d < -1 || d > 1 {
					t.Fatalf("pixel %d: %d, want %d", i, got.Pix[i], want.Pix[i])
				}
			}
		})
	}
}
