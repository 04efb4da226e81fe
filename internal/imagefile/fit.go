package imagefile

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"

	"backdrop/api"
)

// Fitted is a resized copy of a shot made to fit the service's size limit.
type Fitted struct {
	Path          string
	Width, Height int
	Format        string // "JPEG" or "PNG"
	Quality       int    // JPEG quality, 0 for PNG
	Bytes         int64
}

func (f *Fitted) String() string {
	q := ""
	if f.Quality > 0 {
		q = fmt.Sprintf(" quality %d", f.Quality)
	}
	return fmt.Sprintf("%d × %d px, %s%s, %s", f.Width, f.Height, f.Format, q, HumanSize(f.Bytes))
}

// TooLarge reports whether the file at path is over the service's limit.
func TooLarge(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular() && info.Size() > api.MaxImageBytes
}

// Fit writes into dir a copy of the image at src that is at most
// api.MaxImageBytes, leaving src untouched. An opaque image becomes a JPEG:
// first at full size with the quality lowered (down to 80), then with the
// longest side shrunk until it fits. An image with transparency stays a
// PNG (a JPEG would lose the cut-out) and is only shrunk.
func Fit(src, dir string) (*Fitted, error) { return fitFile(src, dir, api.MaxImageBytes) }

func fitFile(src, dir string, limit int) (*Fitted, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", filepath.Base(src), err)
	}
	img, err := DecodeImage(data)
	if err != nil {
		return nil, err
	}
	data = nil
	enc, format, quality, err := fitBytes(img, limit)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ext := ".jpg"
	if format == "PNG" {
		ext = ".png"
	}
	stem := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
	f, err := os.CreateTemp(dir, stem+"-resized-*"+ext)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(enc); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	cfg, _, _ := image.DecodeConfig(bytes.NewReader(enc))
	return &Fitted{Path: f.Name(), Width: cfg.Width, Height: cfg.Height, Format: format, Quality: quality, Bytes: int64(len(enc))}, nil
}

// fitBytes encodes img in at most limit bytes, keeping as much of it as it
// can: quality before pixels.
func fitBytes(img image.Image, limit int) ([]byte, string, int, error) {
	opaque := isOpaque(img)
	b := img.Bounds()
	side := max(b.Dx(), b.Dy())
	for try := 0; try < 12 && side >= 64; try++ {
		scaled := Shrink(img, side)
		var enc []byte
		var err error
		if opaque {
			for _, q := range []int{92, 88, 84, 80} {
				if enc, err = encodeJPEG(scaled, q); err != nil {
					return nil, "", 0, err
				}
				if len(enc) <= limit {
					return enc, "JPEG", q, nil
				}
				if len(enc) > 2*limit {
					break // far off: quality alone will not do it
				}
			}
		} else {
			if enc, err = encodePNG(scaled); err != nil {
				return nil, "", 0, err
			}
			if len(enc) <= limit {
				return enc, "PNG", 0, nil
			}
		}
		// Bytes go roughly with the pixel count: aim a little under.
		ratio := math.Sqrt(float64(limit)/float64(len(enc))) * 0.95
		side = int(float64(max(scaled.Bounds().Dx(), scaled.Bounds().Dy())) * min(ratio, 0.9))
	}
	return nil, "", 0, fmt.Errorf("the image cannot be made small enough")
}

func encodeJPEG(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q})
	return buf.Bytes(), err
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	return buf.Bytes(), err
}

// isOpaque reports whether img has no transparent pixel.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// ReadConfig reads only an image file's header: its format and size.
func ReadConfig(path string) (image.Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return image.Config{}, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return cfg, fmt.Errorf("not a JPEG, PNG, WebP or BMP image (%v)", err)
	}
	return cfg, nil
}
