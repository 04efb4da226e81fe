package run

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"sync"
	"time"

	"backdrop/api"
)

// fakeBackend is a service in memory: tasks finish at once unless told
// otherwise; results are small PNGs. Hooks decide failures.
type fakeBackend struct {
	mu        sync.Mutex
	created   []fakeCreate
	nDownload int
	images    int // results per task; 0 = the batch size

	// onCreate may answer a create instead of the service (nil, nil: go on).
	onCreate func(n int, req api.CreateRequest) (*api.Task, error)
	// onWait may block or fail a wait.
	onWait func(ctx context.Context, id string) error
	// onDownload may fail a download (try counts from 1 per ref).
	onDownload func(ref string, try int, w io.Writer) error
	tries      map[string]int
	image      func() []byte
}

type fakeCreate struct {
	at   time.Time
	req  api.CreateRequest
	task string
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{tries: map[string]int{}, image: func() []byte { return pngBytes(8, 6, false) }}
}

func (f *fakeBackend) CreateTask(ctx context.Context, req api.CreateRequest) (*api.Task, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	n := len(f.created) + 1
	hook := f.onCreate
	f.mu.Unlock()
	if hook != nil {
		if t, err := hook(n, req); t != nil || err != nil {
			f.mu.Lock()
			f.created = append(f.created, fakeCreate{at: time.Now(), req: req})
			f.mu.Unlock()
			return t, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := fmt.Sprintf("task-%d", n)
	f.created = append(f.created, fakeCreate{at: time.Now(), req: req, task: id})
	return &api.Task{ID: id, State: api.StateQueued}, nil
}

func (f *fakeBackend) GetTask(ctx context.Context, id string) (*api.Task, error) {
	return &api.Task{ID: id, State: api.StateProcessing}, nil
}

func (f *fakeBackend) WaitTask(ctx context.Context, id string, on func(*api.Task)) (*api.Task, error) {
	if f.onWait != nil {
		if err := f.onWait(ctx, id); err != nil {
			return nil, err
		}
	}
	on(&api.Task{ID: id, State: api.StateProcessing, Progress: 50})
	f.mu.Lock()
	defer f.mu.Unlock()
	batch := 0
	for _, c := range f.created {
		if c.task == id {
			batch = c.req.BatchSize
		}
	}
	if batch == 0 {
		batch = 2
	}
	if f.images > 0 {
		batch = f.images
	}
	t := &api.Task{ID: id, State: api.StateDone}
	for i := range batch {
		t.Images = append(t.Images, fmt.Sprintf("https://results.test/%s/%d.png", id, i+1))
	}
	return t, nil
}

func (f *fakeBackend) Download(ctx context.Context, ref string, w io.Writer) (int64, error) {
	f.mu.Lock()
	f.nDownload++
	f.tries[ref]++
	try := f.tries[ref]
	data := f.image()
	f.mu.Unlock()
	if f.onDownload != nil {
		if err := f.onDownload(ref, try, w); err != nil {
			return 0, err
		}
	}
	n, err := w.Write(data)
	return int64(n), err
}

func (f *fakeBackend) creates() []fakeCreate {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeCreate(nil), f.created...)
}

// tasks counts creates that made a task.
func (f *fakeBackend) tasks() int {
	n := 0
	for _, c := range f.creates() {
		if c.task != "" {
			n++
		}
	}
	return n
}

func (f *fakeBackend) downloads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nDownload
}

// pngBytes is a w×h PNG: blue, or transparent at the corners.
func pngBytes(w, h int, transparent bool) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{30, 80, 200, 255}
			if transparent && (x == 0 || y == 0) {
				c = color.NRGBA{0, 0, 0, 0}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// promptOf finds the prompt of a fake task.
func (f *fakeBackend) promptOf(id string) string {
	for _, c := range f.creates() {
		if c.task == id {
			return c.req.Prompt
		}
	}
	return ""
}

var _ = strings.Contains
