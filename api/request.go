package api

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"unicode/utf8"
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

// inspectImageFile checks that path is a readable image the service accepts,
// judged by its content, and returns its size and content type.
func inspectImageFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return 0, "", fmt.Errorf("%s does not exist", path)
		}
		return 0, "", fmt.Errorf("cannot read %s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, "", fmt.Errorf("cannot read %s: %v", path, err)
	}
	if info.IsDir() {
		return 0, "", fmt.Errorf("%s is a folder, not an image", path)
	}
	if info.Size() > MaxImageBytes {
		return 0, "", fmt.Errorf("%s is %.1f MB; the service takes at most 15 MB", path, float64(info.Size())/(1<<20))
	}
	head := make([]byte, 512)
	n, _ := f.Read(head)
	ct := SniffImage(head[:n])
	if ct == "" {
		return 0, "", fmt.Errorf("%s is not a JPEG, PNG, WebP or BMP image", path)
	}
	return info.Size(), ct, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
