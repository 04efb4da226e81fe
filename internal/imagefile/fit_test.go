package imagefile

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"backdrop/api"
)

// noisyPNG writes a w×h PNG of noise (which PNG cannot compress), opaque
// or with a transparent border.
func noisyPNG(t *testing.T, dir string, w, h int, alpha bool) string {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255
	}
	if alpha {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, 0, color.NRGBA{})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "big.png")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.png")
	f, _ := os.Create(p)
	f.Truncate(api.MaxImageBytes + 1) // sparse: quick to make
	f.Close()
	if !TooLarge(p) {
		t.Fatal("15 MB + 1 byte is not too large")
	}
	os.Truncate(p, api.MaxImageBytes)
	if TooLarge(p) {
		t.Fatal("exactly 15 MB is too large")
	}
}

// The fitting is the same at any limit: a small one keeps the test quick
// (noise at 15 MB takes minutes under -race).
func TestFitMakesACopyUnderTheLimit(t *testing.T) {
	const limit = 300 << 10
	for _, alpha := range []bool{false, true} {
		dir := t.TempDir()
		src := noisyPNG(t, dir, 560, 420, alpha) // ~700 KB of noise
		before, _ := os.ReadFile(src)
		if len(before) <= limit {
			t.Fatalf("%d bytes is not over the limit", len(before))
		}
		f, err := fitFile(src, filepath.Join(dir, "fitted"), limit)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(f.Path)
		if err != nil || int64(len(data)) != f.Bytes || f.Bytes > limit {
			t.Fatalf("copy %+v: %d bytes (%v)", f, len(data), err)
		}
		s, err := Decode(data)
		if err != nil || s.Width != f.Width || s.Height != f.Height {
			t.Fatalf("copy decodes to %v (%v), want %dx%d", s, err, f.Width, f.Height)
		}
		if abs(f.Width*420-f.Height*560) > 560 {
			t.Fatalf("aspect changed: %dx%d", f.Width, f.Height)
		}
		wantFormat := map[bool]string{false: "JPEG", true: "PNG"}[alpha]
		if f.Format != wantFormat || (alpha && s.Format != "image/png") || (!alpha && s.Format != "image/jpeg") {
			t.Fatalf("alpha %v: format %s / %s", alpha, f.Format, s.Format)
		}
		after, _ := os.ReadFile(src)
		if !bytes.Equal(before, after) {
			t.Fatal("the original was changed")
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
