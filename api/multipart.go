package api

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// uploadBody is the multipart form of a create call. The image file is
// streamed from disk between a small prefix and suffix, so memory use does
// not grow with the image and the exact Content-Length is known up front.
type uploadBody struct {
	contentType    string
	prefix, suffix []byte
	path           string
	fileSize       int64
}

func newUploadBody(p *preparedRequest) (*uploadBody, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	sync := "0"
	if p.Sync {
		sync = "1"
	}
	fields := [][2]string{
		{"batch_size", strconv.Itoa(p.BatchSize)},
		{"prompt", p.Prompt},
		{"sync", sync},
	}
	if p.CallbackURL != "" {
		fields = append(fields, [2]string{"callback_url", p.CallbackURL})
	}
	if p.ImageURL != "" {
		fields = append(fields, [2]string{"image_url", p.ImageURL})
	}
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	b := &uploadBody{contentType: w.FormDataContentType(), path: p.ImageFile, fileSize: p.fileSize}
	if p.ImageFile != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="image_file"; filename="%s"`,
			quoteEscaper.Replace(formFileName(p.ImageFile, p.fileContentType))))
		h.Set("Content-Type", p.fileContentType)
		if _, err := w.CreatePart(h); err != nil {
			return nil, err
		}
	}
	cut := buf.Len()
	if err := w.Close(); err != nil {
		return nil, err
	}
	all := buf.Bytes()
	b.prefix, b.suffix = all[:cut:cut], all[cut:]
	return b, nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// formFileName is the file name sent for path: its base name as valid
// UTF-8 without control or invisible characters (a name may hold any byte
// but '/' and NUL on Linux), or "image" with the format's extension when
// nothing is left.
func formFileName(path, contentType string) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(filepath.Base(path), ""))
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." || name == string(filepath.Separator) {
		ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/bmp": ".bmp"}[contentType]
		return "image" + ext
	}
	return name
}

// Len is the exact size of the body in bytes.
func (b *uploadBody) Len() int64 {
	return int64(len(b.prefix)) + b.fileSize + int64(len(b.suffix))
}

// Open returns a fresh reader of the whole body; each try of a request
// opens its own.
func (b *uploadBody) Open() (io.ReadCloser, error) {
	if b.path == "" {
		return io.NopCloser(io.MultiReader(bytes.NewReader(b.prefix), bytes.NewReader(b.suffix))), nil
	}
	f, err := os.Open(b.path)
	if err != nil {
		return nil, fmt.Errorf("api: cannot read %s: %w", b.path, err)
	}
	r := io.MultiReader(bytes.NewReader(b.prefix), io.LimitReader(f, b.fileSize), bytes.NewReader(b.suffix))
	return readCloser{r, f}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}
