package contract

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/webp"
)

// maxPixels refuses decompression bombs: a small file can claim a huge size.
const maxPixels = 64 << 20

// format is one accepted upload type, recognised by its content, never by
// its name or declared Content-Type.
type format struct {
	name   string
	match  func([]byte) bool
	decode func(io.Reader) (image.Image, error)
	config func(io.Reader) (image.Config, error)
}

var formats = []format{
	{"jpeg", prefix("\xff\xd8\xff"), jpeg.Decode, jpeg.DecodeConfig},
	{"png", prefix("\x89PNG\r\n\x1a\n"), png.Decode, png.DecodeConfig},
	{"webp", func(b []byte) bool {
		return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
	}, webp.Decode, webp.DecodeConfig},
	{"bmp", prefix("BM"), bmp.Decode, bmp.DecodeConfig},
}

func prefix(p string) func([]byte) bool {
	return func(b []byte) bool { return bytes.HasPrefix(b, []byte(p)) }
}

// decodeImage turns an upload into an image, or says why it cannot (-7 for
// anything that is not a whole JPEG/PNG/WebP/BMP, -5 for too many pixels).
func decodeImage(data []byte) (image.Image, *failure) {
	for _, f := range formats {
		if !f.match(data) {
			continue
		}
		cfg, err := f.config(bytes.NewReader(data))
		if err != nil {
			return nil, fail(StateInvalidImage, fmt.Sprintf("invalid %s image: %v", f.name, err))
		}
		if cfg.Width <= 0 || cfg.Height <= 0 {
			return nil, fail(StateInvalidImage, fmt.Sprintf("invalid %s image: empty", f.name))
		}
		if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
			return nil, fail(StateTooLarge, fmt.Sprintf("image too large: %dx%d pixels", cfg.Width, cfg.Height))
		}
		img, err := f.decode(bytes.NewReader(data))
		if err != nil {
			return nil, fail(StateInvalidImage, fmt.Sprintf("invalid %s image: %v", f.name, err))
		}
		return img, nil
	}
	return nil, fail(StateInvalidImage, "invalid image file: not a JPEG, PNG, WebP or BMP image")
}
