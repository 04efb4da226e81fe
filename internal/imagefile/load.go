// Package imagefile reads product shots the way the service will judge
// them (format by content, 15 MB at most) and makes display copies, off the
// UI thread.
package imagefile

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"

	_ "image/jpeg" // formats the service accepts
	_ "image/png"

	_ "golang.org/x/image/bmp"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"backdrop/api"
)

// Shot is a loaded product image.
type Shot struct {
	Path    string
	Name    string
	Format  string // content type
	Bytes   int64
	Width   int
	Height  int
	Image   image.Image // full size
	Preview image.Image // at most PreviewSide on the long side
}

// PreviewSide bounds display copies: enough for a large tile on a 4K
// screen, small enough to scale quickly.
const PreviewSide = 1600

// Load reads and checks a file. The error says why a file is refused.
func Load(path string) (*Shot, error) {
	if err := (api.CreateRequest{ImageFile: path, Prompt: "check"}).Validate(); err != nil {
		var ve *api.ValidationError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("%s", ve.Reason)
		}
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", filepath.Base(path), err)
	}
	s, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be opened: %v", filepath.Base(path), err)
	}
	s.Path, s.Name = path, filepath.Base(path)
	return s, nil
}

// Decode makes a Shot of image data held in memory.
func Decode(data []byte) (*Shot, error) {
	format := api.SniffImage(data)
	if format == "" {
		return nil, fmt.Errorf("not a JPEG, PNG, WebP or BMP image")
	}
	img, err := DecodeImage(data)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	return &Shot{Format: format, Bytes: int64(len(data)), Width: b.Dx(), Height: b.Dy(), Image: img, Preview: Shrink(img, PreviewSide)}, nil
}

// MaxPixels bounds what is decoded: a small file can claim a huge size
// and take all memory (a decompression bomb).
const MaxPixels = 100 << 20

// DecodeImage decodes image data after checking its claimed size.
func DecodeImage(data []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the image is damaged (%v)", err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, fmt.Errorf("the image is %d × %d pixels, too many to open", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the image is damaged (%v)", err)
	}
	return img, nil
}

// Shrink returns img scaled down to fit side×side, or img itself if it does.
func Shrink(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		h, w = max(1, h*side/w), side
	} else {
		w, h = max(1, w*side/h), side
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// HumanSize writes a byte count the way a file manager does.
func HumanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
