package run

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"backdrop/api"
	"backdrop/internal/output"
)

// Format is the file format variants are saved in.
type Format string

const (
	PNG  Format = "png"
	JPEG Format = "jpeg"
)

// DefaultQuality is the JPEG quality used when none is set.
const DefaultQuality = 92

// Options are the settings of an item beyond its source and prompt.
type Options struct {
	Sync        bool   // ask the service to answer the create only when done
	CallbackURL string // optional URL the service notifies when the task ends
	Format      Format // format of saved files; "" means PNG
	// Quality is the JPEG quality, 1..100; 0 means DefaultQuality, and a
	// JPEG result saved as JPEG is then kept exactly as the service sent it.
	Quality  int
	Template string // file name template (see output.ExpandTemplate); "" = output.DefaultTemplate
	OutDir   string // folder variants are saved into; "" keeps them in the cache folder only
}

// Spec is what an item does: a shot (file or URL), a prompt, a variant
// count and options; or, with TaskID, a task already created whose
// results are still to be fetched (resume after a crash, `backdrop fetch`).
type Spec struct {
	ImageFile string
	ImageURL  string
	Prompt    string
	Variants  int // 1..4; 0 means api.DefaultBatch
	Options   Options
	// TaskID is a task created earlier: nothing is created, the item only
	// waits for it and downloads its results.
	TaskID string
	// ID is the durable id of an item recorded earlier (resuming from the
	// library); "" gives the item a new one.
	ID string
	// Force runs the item even when the same work is already done.
	Force bool
	// Original is the user's shot when ImageFile is a copy made to send it
	// (resized to the service's size limit): results are named after it.
	Original string
	// Existing are variants of TaskID already saved (a resumed run): the
	// item starts with them and downloads only the others.
	Existing []Variant
}

// Source is the shot's path (the user's, not a copy made to send it) or URL.
func (s Spec) Source() string {
	if s.Original != "" {
		return s.Original
	}
	if s.ImageFile != "" {
		return s.ImageFile
	}
	return s.ImageURL
}

// Name is how the item is shown: the shot's file name, the URL's last
// part, or the task id.
func (s Spec) Name() string {
	switch {
	case s.Original != "":
		return filepath.Base(s.Original)
	case s.ImageFile != "":
		return filepath.Base(s.ImageFile)
	case s.ImageURL != "":
		if u, err := url.Parse(s.ImageURL); err == nil && path.Base(u.Path) != "/" && path.Base(u.Path) != "." {
			return path.Base(u.Path)
		}
		return s.ImageURL
	}
	return "task " + s.TaskID
}

func (s Spec) variants() int {
	if s.Variants == 0 {
		return api.DefaultBatch
	}
	return s.Variants
}

func (o Options) template() string {
	if o.Template == "" {
		return output.DefaultTemplate
	}
	return o.Template
}

func (o Options) format() Format {
	if o.Format == "" {
		return PNG
	}
	return o.Format
}

// Request is the create request the item sends.
func (s Spec) Request() api.CreateRequest {
	return api.CreateRequest{
		ImageFile:   s.ImageFile,
		ImageURL:    s.ImageURL,
		Prompt:      s.Prompt,
		BatchSize:   s.variants(),
		Sync:        s.Options.Sync,
		CallbackURL: s.Options.CallbackURL,
	}
}

// Validate checks the spec without touching the disk or the network: what
// a usage error is made of.
func (s Spec) Validate() error {
	o := s.Options
	switch o.Format {
	case "", PNG, JPEG:
	default:
		return fmt.Errorf("format: %q is not png or jpeg", o.Format)
	}
	if o.Quality < 0 || o.Quality > 100 {
		return fmt.Errorf("quality: must be 1 to 100 (got %d)", o.Quality)
	}
	if o.Template != "" {
		if err := output.CheckTemplate(o.Template); err != nil {
			return err
		}
	}
	if s.Variants < 0 || s.Variants > api.MaxBatchSize {
		return &api.ValidationError{Field: "batch_size", Reason: fmt.Sprintf("must be 1 to %d (got %d)", api.MaxBatchSize, s.Variants)}
	}
	if strings.TrimSpace(s.TaskID) != "" {
		return nil
	}
	switch {
	case s.ImageFile == "" && s.ImageURL == "":
		return &api.ValidationError{Field: "image_file", Reason: "give an image file or an image URL"}
	case s.ImageFile != "" && s.ImageURL != "":
		return &api.ValidationError{Field: "image_url", Reason: "give an image file or an image URL, not both"}
	}
	p := strings.TrimSpace(s.Prompt)
	if p == "" {
		return &api.ValidationError{Field: "prompt", Reason: "must not be empty"}
	}
	if n := utf8.RuneCountInString(p); n > api.MaxPromptChars {
		return &api.ValidationError{Field: "prompt", Reason: fmt.Sprintf("must be at most %d characters (got %d)", api.MaxPromptChars, n)}
	}
	return nil
}

// errNotSent marks a failure before anything reached the service.
var errNotSent = errors.New("not sent")
