// Package imagefile reads product shots the way the service will judge
// them (format by content, 15 MB at most) and makes display copies, off the
// UI thread.
package imagefile

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

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
	if _, err := CheckFile(path); err != nil {
		return nil, err
	}
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
// and take all memory (a decompression bomb). The window, the CLI and the
// results all use this one limit.
const MaxPixels = 100 << 20

// CheckPixels refuses a size over MaxPixels (or not a size at all).
func CheckPixels(width, height int) error {
	if width <= 0 || height <= 0 {
		return fmt.Errorf("the image claims %d × %d pixels", width, height)
	}
	if int64(width)*int64(height) > MaxPixels {
		return fmt.Errorf("the image is %d × %d pixels, too many to open", width, height)
	}
	return nil
}

// DecodeImage decodes image data after checking its claimed size. The
// whole image is decoded, so a truncated file is refused.
func DecodeImage(data []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the image is damaged (%v)", err)
	}
	if err := CheckPixels(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the image is damaged (%v)", err)
	}
	return img, nil
}

// Header is what a file's first bytes say about the image in it.
type Header struct {
	Format        string // content type, e.g. "image/png"
	Bytes         int64
	Width, Height int
}

// CheckFile checks a shot before anything is sent: a regular file (a FIFO
// or a device would block or never end, so it is refused before it is
// opened, and opened without blocking), at most the service's 15 MB, in a
// format the service takes, whose header is within MaxPixels. It reads
// only the header.
func CheckFile(path string) (Header, error) {
	name := filepath.Base(path)
	info, err := os.Stat(path)
	if err != nil {
		return Header{}, statError(path, err)
	}
	if err := checkRegular(name, info); err != nil {
		return Header{}, err
	}
	// O_NONBLOCK: should the path become a FIFO after the Stat, open
	// returns at once instead of waiting for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return Header{}, fmt.Errorf("cannot read %s: %v", name, plainError(err))
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return Header{}, fmt.Errorf("cannot read %s: %v", name, plainError(err))
	}
	if err := checkRegular(name, info); err != nil {
		return Header{}, err
	}
	if info.Size() > api.MaxImageBytes {
		return Header{}, fmt.Errorf("%s is %s; the service takes at most 15 MB", name, HumanSize(info.Size()))
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	format := api.SniffImage(head[:n])
	if format == "" {
		return Header{}, fmt.Errorf("%s is not a JPEG, PNG, WebP or BMP image", name)
	}
	cfg, _, err := image.DecodeConfig(io.MultiReader(bytes.NewReader(head[:n]), f))
	if err != nil {
		return Header{}, fmt.Errorf("%s cannot be opened: the image is damaged (%v)", name, err)
	}
	if err := CheckPixels(cfg.Width, cfg.Height); err != nil {
		return Header{}, fmt.Errorf("%s cannot be opened: %v", name, err)
	}
	return Header{Format: format, Bytes: info.Size(), Width: cfg.Width, Height: cfg.Height}, nil
}

func checkRegular(name string, info os.FileInfo) error {
	switch {
	case info.IsDir():
		return fmt.Errorf("%s is a folder, not an image", name)
	case !info.Mode().IsRegular():
		return fmt.Errorf("%s is %s, not an image file", name, fileKind(info.Mode()))
	}
	return nil
}

func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

func statError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s does not exist", path)
	}
	return fmt.Errorf("cannot read %s: %v", path, plainError(err))
}

// plainError drops the path an *fs.PathError repeats.
func plainError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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
