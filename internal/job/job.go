// Package job runs one generation from request to images in memory: it
// creates the task, follows it, and downloads every result at once (result
// links expire within the hour), keeping a copy of each on disk so that a
// paid result is never lost, even if the app is closed before saving.
package job

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"

	_ "image/jpeg" // formats a result may come in
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"backdrop/api"
	"backdrop/internal/imagefile"
	"backdrop/internal/output"
)

// Client is the part of *api.Client a job needs.
type Client interface {
	Generate(ctx context.Context, req api.CreateRequest, onProgress func(*api.Task)) (*api.Task, error)
	Download(ctx context.Context, ref string, w io.Writer) (int64, error)
}

// Stage is where a job is.
type Stage int

const (
	Sending Stage = iota
	Queued
	Processing
	Downloading
	Done
)

// Progress is one step of a job, for a progress bar and a status line.
type Progress struct {
	Stage    Stage
	Percent  int // of the service's work, 0..100
	Received int // results downloaded so far
	Total    int // results to download
}

// Fraction is the whole job's progress, 0..1: the service's work is the
// first 90 %, downloads the rest.
func (p Progress) Fraction() float64 {
	switch p.Stage {
	case Sending:
		return 0
	case Queued:
		return 0.02
	case Processing:
		return 0.05 + 0.85*float64(p.Percent)/100
	case Downloading:
		if p.Total == 0 {
			return 0.9
		}
		return 0.9 + 0.1*float64(p.Received)/float64(p.Total)
	}
	return 1
}

// String is the status line for this step.
func (p Progress) String() string {
	switch p.Stage {
	case Sending:
		return "Sending…"
	case Queued:
		return "Queued"
	case Processing:
		return fmt.Sprintf("Processing %d %%", p.Percent)
	case Downloading:
		return fmt.Sprintf("Downloading %d/%d", p.Received, p.Total)
	}
	return "Done"
}

// Image is one result, downloaded.
type Image struct {
	Index   int    // 1-based variant number
	Data    []byte // the file as the service sent it
	Format  string // content type, e.g. "image/png"
	Image   image.Image
	Preview image.Image // Image scaled for display, made off the UI thread
	Cached  string      // path of the copy kept on disk, "" if it could not be kept
	URL     string      // where it came from, if a URL
}

// Result is a finished job.
type Result struct {
	Task   *api.Task
	Images []Image
}

// Run performs the job. onProgress (may be nil) is called from the job's
// goroutines. Results that arrive are returned even when another fails.
func Run(ctx context.Context, c Client, req api.CreateRequest, cacheDir string, onProgress func(Progress)) (*Result, error) {
	report := func(p Progress) {
		if onProgress != nil {
			onProgress(p)
		}
	}
	report(Progress{Stage: Sending})
	task, err := c.Generate(ctx, req, func(t *api.Task) {
		switch {
		case t.State == api.StateDone:
		case t.State == api.StateProcessing || t.Progress > 0:
			report(Progress{Stage: Processing, Percent: t.Progress})
		default:
			report(Progress{Stage: Queued})
		}
	})
	if err != nil {
		return nil, err
	}
	total := len(task.Images)
	report(Progress{Stage: Downloading, Total: total})
	images, err := All(total, "variant", func(i int) (Image, error) {
		return fetch(ctx, c, task.Images[i], i+1, task.ID, cacheDir)
	}, func(done int) { report(Progress{Stage: Downloading, Received: done, Total: total}) })
	res := &Result{Task: task, Images: images}
	if err != nil && ctx.Err() != nil {
		return res, ctx.Err()
	}
	report(Progress{Stage: Done, Received: len(images), Total: total})
	return res, err
}

// fetch downloads one result, decodes it and keeps a copy in cacheDir.
func fetch(ctx context.Context, c Client, ref string, index int, taskID, cacheDir string) (Image, error) {
	var buf bytes.Buffer
	if _, err := c.Download(ctx, ref, &buf); err != nil {
		return Image{}, err
	}
	img := Image{Index: index, Data: buf.Bytes(), Format: api.SniffImage(buf.Bytes())}
	if api.IsURL(ref) {
		img.URL = ref
	}
	if img.Format == "" {
		return Image{}, errors.New("the service sent something that is not an image")
	}
	decoded, err := imagefile.DecodeImage(img.Data)
	if err != nil {
		return Image{}, fmt.Errorf("the service sent an unusable image: %v", err)
	}
	img.Image = decoded
	img.Preview = imagefile.Shrink(decoded, imagefile.PreviewSide)
	if cacheDir != "" {
		name := fmt.Sprintf("%s-%d%s", safeName(taskID), index, output.ExtFor(img.Format))
		if path, err := output.WriteFile(cacheDir, name, bytes.NewReader(img.Data)); err == nil {
			img.Cached = path
		}
	}
	return img, nil
}

func safeName(s string) string {
	if s == "" {
		return "task"
	}
	return output.Stem(filepath.Base(s) + ".x")
}

// DefaultCacheDir is where results are kept until saved.
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "backdrop", "results")
}
