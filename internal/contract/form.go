package contract

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	bodySlack     = 1 << 20  // room for the text fields and multipart framing
	maxFieldBytes = 64 << 10 // any text field; a 1024-rune prompt is at most 4 KiB
	maxPromptRune = 1024
	defaultBatch  = 2
	maxBatch      = 4
)

// createForm is what a create request sent, raw and then validated.
type createForm struct {
	fields map[string]string // text fields as sent, the first of each name

	hasFile      bool
	file         []byte // at most maxFile bytes
	fileName     string
	fileType     string
	fileSize     int64 // as sent, even past maxFile
	fileTooLarge bool

	// Valid after validate():
	imageURL string
	batch    int
	prompt   string
	sync     bool
	callback string
}

// formError is a request the service refuses outright, with its HTTP status.
type formError struct {
	status int
	msg    string
}

func (e *formError) Error() string { return e.msg }

func badRequest(format string, args ...any) *formError {
	return &formError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// readForm streams the multipart body: the file is kept only up to maxFile
// bytes (the rest is counted and dropped), so memory stays bounded. The
// form is returned even on error, for the request record.
func readForm(r *http.Request, maxFile int64) (*createForm, error) {
	f := &createForm{fields: map[string]string{}}
	mr, err := r.MultipartReader()
	if err != nil {
		return f, badRequest("the body must be multipart/form-data")
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return f, bodyError(err)
		}
		err = f.readPart(p, maxFile)
		p.Close()
		if err != nil {
			return f, err
		}
	}
}

func (f *createForm) readPart(p *multipart.Part, maxFile int64) error {
	name := p.FormName()
	if name == "image_file" {
		return f.readFile(p, maxFile)
	}
	if name == "" {
		return nil // not form-data: ignore, as servers do
	}
	b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
	if err != nil {
		return bodyError(err)
	}
	if len(b) > maxFieldBytes {
		return badRequest("field %s is too long", name)
	}
	if _, seen := f.fields[name]; !seen {
		f.fields[name] = string(b)
	}
	return nil
}

func (f *createForm) readFile(p *multipart.Part, maxFile int64) error {
	if f.hasFile {
		return badRequest("only one image_file may be sent")
	}
	b, err := io.ReadAll(io.LimitReader(p, maxFile+1))
	if err != nil {
		return bodyError(err)
	}
	size := int64(len(b))
	if size > maxFile {
		rest, err := io.Copy(io.Discard, p)
		size += rest
		if err != nil {
			return bodyError(err)
		}
		b, f.fileTooLarge = nil, true
	}
	if size == 0 && p.FileName() == "" {
		return nil // a browser's "no file chosen"
	}
	f.hasFile, f.file, f.fileSize = true, b, size
	f.fileName, f.fileType = p.FileName(), p.Header.Get("Content-Type")
	return nil
}

// bodyError maps a failure to read the body: too big is 413, else 400.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &formError{http.StatusRequestEntityTooLarge, "request body too large"}
	}
	return badRequest("malformed multipart body: %v", err)
}

// validate checks the fields against the contract and fills the typed ones.
func (f *createForm) validate() error {
	f.imageURL = strings.TrimSpace(f.fields["image_url"])
	switch {
	case f.hasFile && f.imageURL != "":
		return badRequest("image_file and image_url are mutually exclusive: send one")
	case !f.hasFile && f.imageURL == "":
		return badRequest("image_file or image_url is required")
	case f.imageURL != "" && !isHTTPURL(f.imageURL):
		return badRequest("image_url must be an http(s) URL")
	}

	f.batch = defaultBatch
	if v := strings.TrimSpace(f.fields["batch_size"]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxBatch {
			return badRequest("batch_size must be an integer from 1 to %d", maxBatch)
		}
		f.batch = n
	}

	f.prompt = strings.TrimSpace(f.fields["prompt"])
	switch n := utf8.RuneCountInString(f.prompt); {
	case !utf8.ValidString(f.prompt):
		return badRequest("prompt must be UTF-8 text")
	case n == 0:
		return badRequest("prompt is required")
	case n > maxPromptRune:
		return badRequest("prompt is %d characters long, %d at most", n, maxPromptRune)
	}

	switch strings.TrimSpace(f.fields["sync"]) {
	case "", "0":
	case "1":
		f.sync = true
	default:
		return badRequest("sync must be 0 or 1")
	}

	f.callback = strings.TrimSpace(f.fields["callback_url"])
	if f.callback != "" && !isHTTPURL(f.callback) {
		return badRequest("callback_url must be an http(s) URL")
	}
	return nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
