// Package job runs one generation from request to images in memory: it
// creates the task, follows it, and downloads every result at once (result
// links expire within the hour), keeping a copy of each on disk so that a
// paid result is never lost, even if the app is closed before saving.
package job

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"sync"

	_ "image/jpeg" // formats a result may come in
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"backdrop/api"
	"backdrop/internal/imagefile"
	"backdrop/internal/run"
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

// Image is one result, downloaded, fully decoded and kept in the cache.
type Image struct {
	Index   int    // 1-based variant number
	Data    []byte // the file as the service sent it
	Format  string // content type, e.g. "image/png"
	Image   image.Image
	Preview image.Image // Image scaled for display, made off the UI thread
	Cached  string      // path of the copy kept on disk, "" if it could not be kept
	URL     string      // where it came from, if a URL
}

// Result is a finished job: the images that arrived and the ones that did
// not, each with its link.
type Result struct {
	Task   *api.Task
	Images []Image
	Failed []Failure
}

// Run performs the job, bounded by ctx's deadline: give it one with
// WithTimeout, so that the whole run, create, wait and downloads, has one
// bound (without a deadline only the client's own limits hold). onProgress
// (may be nil) is called from the job's goroutines. Results that arrive are returned even when another fails.
// A failure after the task was created is an *IncompleteError naming it
// (res then holds what arrived); one before it is the client's error.
func Run(ctx context.Context, c Client, req api.CreateRequest, cacheDir string, onProgress func(Progress)) (*Result, error) {
	report := reporter(onProgress)
	report(Progress{Stage: Sending})
	var mu sync.Mutex
	var taskID string
	task, err := c.Generate(ctx, req, func(t *api.Task) {
		if t.ID != "" {
			mu.Lock()
			taskID = t.ID
			mu.Unlock()
		}
		reportTask(report, t)
	})
	mu.Lock()
	id := taskID
	mu.Unlock()
	if err != nil {
		var te *api.TaskError
		if id == "" || errors.As(err, &te) {
			// Nothing was made that could be fetched later.
			return nil, why(ctx, err)
		}
		return &Result{Task: &api.Task{ID: id}}, &IncompleteError{TaskID: id, Err: why(ctx, err)}
	}
	if task.ID == "" {
		task.ID = id
	}
	// No more results than the batch asked for (each is billed by it). A
	// request without a batch size may stand for no create at all (the
	// window's "fetch results" passes an empty one): take what a task can
	// hold then, never fewer.
	batch := req.BatchSize
	if batch <= 0 {
		batch = api.MaxBatchSize
	}
	return collect(ctx, c, task, batch, cacheDir, report)
}

// TaskClient is the part of *api.Client that Fetch needs.
type TaskClient interface {
	GetTask(ctx context.Context, id string) (*api.Task, error)
	WaitTask(ctx context.Context, id string, onProgress func(*api.Task)) (*api.Task, error)
	Download(ctx context.Context, ref string, w io.Writer) (int64, error)
}

// Fetch gets the results of a task created earlier (a run that gave up, a
// window closed too soon): it waits for the task if it is still working,
// then downloads, decodes and keeps every result as Run does. Bounded by
// ctx's deadline, like Run. Any failure is an *IncompleteError, so the fetch can be tried again.
func Fetch(ctx context.Context, c TaskClient, taskID string, cacheDir string, onProgress func(Progress)) (*Result, error) {
	report := reporter(onProgress)
	report(Progress{Stage: Queued})
	task, err := c.GetTask(ctx, taskID)
	if err == nil && task.State != api.StateDone {
		reportTask(report, task)
		task, err = c.WaitTask(ctx, taskID, func(t *api.Task) { reportTask(report, t) })
	}
	if err != nil {
		var te *api.TaskError
		if errors.As(err, &te) || api.IsNotFound(err) || api.IsAuth(err) || api.IsValidation(err) {
			return nil, why(ctx, err)
		}
		return &Result{Task: &api.Task{ID: taskID}}, &IncompleteError{TaskID: taskID, Err: why(ctx, err)}
	}
	if task.ID == "" {
		task.ID = taskID
	}
	if len(task.Images) == 0 {
		return &Result{Task: task}, fmt.Errorf("task %s finished but the service returned no image", task.ID)
	}
	return collect(ctx, c, task, api.MaxBatchSize, cacheDir, report)
}

// Downloader is what collect needs of a client.
type Downloader interface {
	Download(ctx context.Context, ref string, w io.Writer) (int64, error)
}

// collect downloads at most limit results of a done task at once (result
// links expire, so nothing waits its turn), decodes and caches each.
func collect(ctx context.Context, c Downloader, task *api.Task, limit int, cacheDir string, report func(Progress)) (*Result, error) {
	refs := task.Images[:min(len(task.Images), limit)]
	total := len(refs)
	report(Progress{Stage: Downloading, Total: total})
	failed := make([]*Failure, total)
	images, _ := All(total, "variant", func(i int) (Image, error) {
		img, err := fetch(ctx, c, refs[i], i+1, task.ID, cacheDir)
		if err != nil {
			f := &Failure{Variant: i + 1, Err: why(ctx, linkError(task.ID, err))}
			if api.IsURL(refs[i]) {
				f.URL = refs[i]
			}
			failed[i] = f
		}
		return img, err
	}, func(done int) { report(Progress{Stage: Downloading, Received: done, Total: total}) })
	res := &Result{Task: task, Images: images}
	var errs []error
	for _, f := range failed {
		if f != nil {
			res.Failed = append(res.Failed, *f)
			errs = append(errs, *f)
		}
	}
	report(Progress{Stage: Done, Received: len(images), Total: total})
	if len(errs) > 0 {
		return res, &IncompleteError{TaskID: task.ID, Err: errors.Join(errs...)}
	}
	return res, nil
}

func reporter(onProgress func(Progress)) func(Progress) {
	return func(p Progress) {
		if onProgress != nil {
			onProgress(p)
		}
	}
}

// reportTask turns the service's view of a task into a job step.
func reportTask(report func(Progress), t *api.Task) {
	switch {
	case t.State == api.StateDone || t.State.Failed():
	case t.State == api.StateProcessing || t.Progress > 0:
		report(Progress{Stage: Processing, Percent: t.Progress})
	default:
		report(Progress{Stage: Queued})
	}
}

// fetch gets one result through the app's one result path (downloaded
// into the cache folder, retried when broken, decoded whole: a truncated
// file or a decompression bomb is refused) and makes its preview.
func fetch(ctx context.Context, c Downloader, ref string, index int, taskID, cacheDir string) (Image, error) {
	got, err := run.FetchResult(ctx, c, cacheDir, taskID, index, ref)
	if err != nil {
		return Image{}, err
	}
	return Image{Index: index, Data: got.Data, Format: got.Format, Image: got.Image,
		Preview: imagefile.Shrink(got.Image, imagefile.PreviewSide), Cached: got.Cached, URL: got.URL}, nil
}

// DefaultCacheDir is where results are kept until saved.
func DefaultCacheDir() string { return run.DefaultCacheDir() }
