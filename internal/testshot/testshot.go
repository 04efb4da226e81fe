// Package testshot writes plain product shots for tests: a blue box on a
// near-white background, as a PNG file.
package testshot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Write makes dir/name, a w×h PNG, and returns its path.
func Write(t testing.TB, dir, name string, w, h int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, Image(w, h)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Image is the shot itself.
func Image(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{245, 245, 245, 255}
			if x > w/4 && x < 3*w/4 && y > h/4 && y < 3*h/4 {
				c = color.NRGBA{30, 80, 200, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}
