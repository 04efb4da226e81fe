package contract_test

import (
	"context"
	"encoding/json"
	"errors"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"backdrop/internal/contract"
)

// blockPainter reports half done, then waits for its context to end.
type blockPainter struct {
	started chan int
	stopped atomic.Int32
}

func newBlockPainter() *blockPainter { return &blockPainter{started: make(chan int, 8)} }

func (b *blockPainter) Paint(ctx context.Context, src image.Image, prompt string, variant int, progress func(float64)) (image.Image, image.Rectangle, error) {
	progress(0.5)
	b.started <- variant
	<-ctx.Done()
	b.stopped.Add(1)
	return nil, image.Rectangle{}, ctx.Err()
}

func (b *blockPainter) wait(t *testing.T) {
	t.Helper()
	select {
	case <-b.started:
	case <-time.After(5 * time.Second):
		t.Fatal("the painter did not start")
	}
}

// painterFunc adapts a function to contract.Painter.
type painterFunc func(ctx context.Context, src image.Image, prompt string, variant int, progress func(float64)) (image.Image, image.Rectangle, error)

func (f painterFunc) Paint(ctx context.Context, src image.Image, prompt string, variant int, progress func(float64)) (image.Image, image.Rectangle, error) {
	return f(ctx, src, prompt, variant, progress)
}

func TestProgressThenCloseCancels(t *testing.T) {
	p := newBlockPainter()
	s, ts := start(t, contract.WithPainter(p))
	id := create(t, ts, pngForm(8, 8, "prompt", "p", "batch_size", "1")).task(t).TaskID
	p.wait(t)
	d := get(t, ts, "Bearer x", id).task(t)
	if d.State != contract.StateProcessing || d.Progress != 50 || d.StateDetail != "Processing" || d.ProcessedAt == 0 {
		t.Errorf("while painting: %+v", d)
	}

	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	if p.stopped.Load() != 1 {
		t.Error("the painter was not cancelled")
	}
	d = get(t, ts, "Bearer x", id).task(t)
	if d.State != contract.StateFailed || !strings.Contains(d.ErrInfo, "shutting down") {
		t.Errorf("after Close: %+v", d)
	}
	if a := create(t, ts, pngForm(8, 8, "prompt", "p")); a.HTTP != 503 {
		t.Errorf("create after Close: HTTP %d", a.HTTP)
	}
	s.Close() // idempotent
}

func TestCloseEndsSyncRequest(t *testing.T) {
	p := newBlockPainter()
	s, ts := start(t, contract.WithPainter(p))
	req := createReq(t, ts, "Bearer x", pngForm(8, 8, "prompt", "p", "batch_size", "1", "sync", "1"))
	got := make(chan []byte, 1)
	go func() { // no t.Fatal here: not the test's goroutine
		var b []byte
		if resp, err := ts.Client().Do(req); err == nil {
			b, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		got <- b
	}()
	p.wait(t)
	s.Close()
	var a answer
	a.Raw = <-got
	a.HTTP = 200
	if err := json.Unmarshal(a.Raw, &a); err != nil {
		t.Fatalf("%v: %q", err, a.Raw)
	}
	if d := a.task(t); d.State != contract.StateFailed {
		t.Errorf("sync answer after Close: %+v", d)
	}
}

func TestSyncClientGoneCancelsWork(t *testing.T) {
	p := newBlockPainter()
	s, ts := start(t, contract.WithPainter(p))
	ctx, cancel := context.WithCancel(context.Background())
	req := createReq(t, ts, "Bearer x", pngForm(8, 8, "prompt", "p", "batch_size", "2", "sync", "1")).WithContext(ctx)
	errc := make(chan error, 1)
	go func() {
		resp, err := ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	p.wait(t)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("client error %v", err)
	}
	waitFor(t, "the task to end", func() bool { return s.Tasks()[0].State < 0 })
	if info := s.Tasks()[0]; info.State != contract.StateFailed || !strings.Contains(info.Detail, "went away") {
		t.Errorf("task %+v", info)
	}
}

func TestTaskTimeout(t *testing.T) {
	_, ts := start(t, contract.WithPainter(newBlockPainter()), contract.WithTaskTimeout(50*time.Millisecond))
	d := create(t, ts, pngForm(8, 8, "prompt", "p", "sync", "1")).task(t)
	if d.State != contract.StateTimedOut || d.ErrInfo != "Processing timed out" {
		t.Errorf("%+v", d)
	}
}

func TestPainterErrors(t *testing.T) {
	cases := map[string]painterFunc{
		"error": func(ctx context.Context, src image.Image, _ string, _ int, _ func(float64)) (image.Image, image.Rectangle, error) {
			return nil, image.Rectangle{}, errors.New("no GPU")
		},
		"panic": func(ctx context.Context, src image.Image, _ string, _ int, _ func(float64)) (image.Image, image.Rectangle, error) {
			panic("boom")
		},
		"no image": func(ctx context.Context, src image.Image, _ string, _ int, _ func(float64)) (image.Image, image.Rectangle, error) {
			return nil, image.Rectangle{}, nil
		},
		"one variant fails": func(ctx context.Context, src image.Image, _ string, v int, _ func(float64)) (image.Image, image.Rectangle, error) {
			if v == 2 {
				return nil, image.Rectangle{}, errors.New("variant 2 broke")
			}
			select {
			case <-ctx.Done(): // the sibling's failure stops this one
				return nil, image.Rectangle{}, ctx.Err()
			case <-time.After(100 * time.Millisecond): // with one slot, it cannot
				return src, src.Bounds(), nil
			}
		},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			_, ts := start(t, contract.WithPainter(p))
			d := create(t, ts, pngForm(8, 8, "prompt", "p", "batch_size", "3", "sync", "1")).task(t)
			if d.State != contract.StateFailed || d.ErrInfo == "" {
				t.Errorf("%+v", d)
			}
		})
	}
}

func TestCallback(t *testing.T) {
	bodies := make(chan []byte, 1)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost && r.Header.Get("Content-Type") == "application/json" {
			bodies <- b
		}
	}))
	defer cb.Close()
	_, ts := start(t)
	id := create(t, ts, pngForm(8, 8, "prompt", "p", "batch_size", "1", "callback_url", cb.URL+"/done?x=1&y=2")).task(t).TaskID
	var b []byte
	select {
	case b = <-bodies:
	case <-time.After(5 * time.Second):
		t.Fatal("no callback")
	}
	var a answer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	a.HTTP, a.Raw = 200, b
	d := a.task(t)
	var u string
	json.Unmarshal(d.Image, &u)
	if d.TaskID != id || d.State != 1 || !strings.HasPrefix(u, ts.URL+"/results/") {
		t.Errorf("callback %s", b)
	}
}

func TestNoGoroutineLeakAfterClose(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		host := imageHost(t)
		cb := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		defer cb.Close()
		p := newBlockPainter()
		s := contract.New(contract.WithPainter(p))
		ts := httptest.NewServer(s)
		defer ts.Close()
		// Finished work with a callback and a download, and work in flight.
		quick := contract.New()
		qs := httptest.NewServer(quick)
		create(t, qs, form{}.with("image_url", host.URL+"/fg.png", "prompt", "p", "sync", "1", "callback_url", cb.URL))
		qs.Close()
		quick.Close()
		for range 3 {
			create(t, ts, pngForm(8, 8, "prompt", "p", "batch_size", "2"))
		}
		p.wait(t)
		s.Close()
		host.Close()
	}()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
