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

// FuzzDecodePNGGrey: our row-at-a-time PNG decoder against the standard one. Any bytes
// give a grey image or an error, never a panic; a PNG the standard decoder reads as
// opaque, ours reads too (or leaves to it, when interlaced), to the same grey within
// one level. Inputs claiming more than fuzzImagePixels are not decoded (both decoders
// allocate what the header claims).
func FuzzDecodePNGGrey(f *testing.F) {
	rect := image.Rect(0, 0, 5, 3)
	palette := color.Palette{color.Black, color.White, color.RGBA{200, 30, 90, 255}}
	for _, img := range []draw.Image{image.NewGray(rect), image.NewGray16(rect), image.NewRGBA(rect),
		image.NewNRGBA64(rect), image.NewPaletted(rect, palette), image.NewNRGBA(rect)} {
		for x := range rect.Dx() {
			img.Set(x, x%rect.Dy(), color.RGBA{uint8(50 * x), 90, 200, uint8(255 - 40*x)})
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if cfg, err := png.DecodeConfig(bytes.NewReader(data)); len(data) > fuzzImageBytes || err == nil && cfg.Width*cfg.Height > fuzzImagePixels {
			return
		}
		got, ok, err := decodePNGGrey(data)
		std, stdErr := png.Decode(bytes.NewReader(data))
		if stdErr != nil || !std.(interface{ Opaque() bool }).Opaque() || !ok {
			return
		}
		if err != nil {
			t.Fatalf("the standard decoder reads it, ours says: %v", err)
		}
		want := image.NewGray(std.Bounds())
		draw.Draw(want, want.Bounds(), std, std.Bounds().Min, draw.Src)
		for i := range want.Pix {
			if d := int(got.Pix[i]) - int(want.Pix[i]); d < -1 || d > 1 {
				t.Fatalf("pixel %d: %d, want %d", i, got.Pix[i], want.Pix[i])
			}
		}
	})
}
