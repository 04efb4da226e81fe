package api

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"unicode/utf8"

	_ "golang.org/x/image/bmp" // for InspectImage
	_ "golang.org/x/image/webp"
)

// Limits the service sets on a request.
const (
	MaxPromptChars = 1024
	MaxBatchSize   = 4
	MaxImageBytes  = 15 << 20
	DefaultBatch   = 2
)

// CreateRequest is one add-background task: a product image (a local file
// or a public URL, never both) and a prompt for the new background.
type CreateRequest struct {
	ImageFile   string // path of a JPEG, PNG, WebP or BMP file
	ImageURL    string // or an http(s) URL the service downloads
	Prompt      string // 1..1024 characters
	BatchSize   int    // 1..4 images, each billed; 0 means DefaultBatch
	Sync        bool   // ask the service to answer only when done
	CallbackURL string // optional http(s) URL the service notifies
}

// batch is the number of images the request asks for.
func (r CreateRequest) batch() int {
	if r.BatchSize == 0 {
		return DefaultBatch
	}
	return r.BatchSize
}

// preparedRequest is a validated request, ready to be encoded.
type preparedRequest struct {
	CreateRequest
	fileSize        int64
	fileContentType string
}

// Validate checks the request as the service would, without sending it.
// The error is a *ValidationError naming the field at fault.
func (r CreateRequest) Validate() error {
	_, err := r.prepare()
	return err
}

func (r CreateRequest) prepare() (*preparedRequest, error) {
	p := &preparedRequest{CreateRequest: r}
	p.Prompt = strings.TrimSpace(r.Prompt)
	p.ImageURL = strings.TrimSpace(r.ImageURL)
	p.CallbackURL = strings.TrimSpace(r.CallbackURL)
	if p.BatchSize == 0 {
		p.BatchSize = DefaultBatch
	}
	switch {
	case p.ImageFile == "" && p.ImageURL == "":
		return nil, &ValidationError{"image_file", "give an image file or an image URL"}
	case p.ImageFile != "" && p.ImageURL != "":
		return nil, &ValidationError{"image_url", "give an image file or an image URL, not both"}
	}
	if p.ImageURL != "" {
		if err := checkHTTPURL(p.ImageURL); err != nil {
			return nil, &ValidationError{"image_url", err.Error()}
		}
	}
	if p.BatchSize < 1 || p.BatchSize > MaxBatchSize {
		return nil, &ValidationError{"batch_size", fmt.Sprintf("must be 1 to %d (got %d)", MaxBatchSize, r.BatchSize)}
	}
	if p.Prompt == "" {
		return nil, &ValidationError{"prompt", "must not be empty"}
	}
	if n := utf8.RuneCountInString(p.Prompt); n > MaxPromptChars {
		return nil, &ValidationError{"prompt", fmt.Sprintf("must be at most %d characters (got %d)", MaxPromptChars, n)}
	}
	if p.CallbackURL != "" {
		if err := checkHTTPURL(p.CallbackURL); err != nil {
			return nil, &ValidationError{"callback_url", err.Error()}
		}
	}
	if p.ImageFile != "" {
		size, ctype, err := inspectImageFile(p.ImageFile)
		if err != nil {
			return nil, &ValidationError{"image_file", err.Error()}
		}
		p.fileSize, p.fileContentType = size, ctype
	}
	return p, nil
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return nil
}

// Image formats the service accepts, by sniffed content type.
var acceptedTypes = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/webp": true, "image/bmp": true,
}

// SniffImage returns the content type of data's first bytes if it is a
// format the service accepts, or "" if not.
func SniffImage(head []byte) string {
	ct := http.DetectContentType(head)
	if acceptedTypes[ct] {
		return ct
	}
	return ""
}

// MaxImagePixels bounds the pixels of an image the client sends or lets
// be decoded: a small file can claim a huge size and take all memory when
// opened (a decompression bomb). It is the bound of imagefile.MaxPixels.
const MaxImagePixels = 100 << 20

// ImageInfo is what an image's header says.
type ImageInfo struct {
	Format        string // content type, e.g. "image/png"
	Width, Height int
}

// InspectImage reads the header of image data and checks it: a format
// the service accepts, a header that is not damaged, at most
// MaxImagePixels. The pixels are not decoded. Give it the whole file, or
// at least all of its header: a header cut short counts as damaged.
func InspectImage(data []byte) (ImageInfo, error) {
	return inspect(data, bytes.NewReader(data))
}

// inspect checks the image whose first bytes are head and whose whole
// content r reads (from the start).
func inspect(head []byte, r io.Reader) (ImageInfo, error) {
	info := ImageInfo{Format: SniffImage(head)}
	if info.Format == "" {
		return info, errors.New("not a JPEG, PNG, WebP or BMP image")
	}
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		if damagedHeader(err) {
			return info, errors.New("the image is damaged")
		}
		return info, nil // a variant Go cannot read; the service judges
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return info, errors.New("the image is damaged (no size)")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return info, fmt.Errorf("the image claims %d × %d pixels, more than the %d megapixels allowed", cfg.Width, cfg.Height, MaxImagePixels>>20)
	}
	return info, nil
}

// damagedHeader tells a broken header from a format variant Go lacks.
func damagedHeader(err error) bool {
	var pngErr png.FormatError
	var jpegErr jpeg.FormatError
	return errors.As(err, &pngErr) || errors.As(err, &jpegErr) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// inspectImageFile checks that path is a regular, readable image file the
// service accepts, judged by its content, and returns its size and content
// type. A FIFO or a device is refused before it is opened (opening a FIFO
// blocks).
func inspectImageFile(path string) (int64, string, error) {
	st, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return 0, "", fmt.Errorf("%s does not exist", path)
		}
		return 0, "", fmt.Errorf("cannot read %s: %v", path, unwrapPathError(err))
	}
	if st.IsDir() {
		return 0, "", fmt.Errorf("%s is a folder, not an image", path)
	}
	if !st.Mode().IsRegular() {
		return 0, "", fmt.Errorf("%s is not a regular file", path)
	}
	if st.Size() > MaxImageBytes {
		return 0, "", fmt.Errorf("%s is %.1f MB; the service takes at most 15 MB", path, float64(st.Size())/(1<<20))
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, "", fmt.Errorf("cannot read %s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, "", fmt.Errorf("cannot read %s: %v", path, err)
	}
	// The header is read from the file as far as it goes (a JPEG's size
	// may come after large metadata blocks); the pixels are not.
	info, err := inspect(head[:n], bufio.NewReader(f))
	switch {
	case info.Format == "":
		return 0, "", fmt.Errorf("%s is not a JPEG, PNG, WebP or BMP image", path)
	case err != nil:
		return 0, "", fmt.Errorf("%s: %v", path, err)
	}
	return st.Size(), info.Format, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
