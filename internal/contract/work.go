package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"sync"
	"time"
)

// run does a task from start to end in its own goroutine, then sends the
// callback; s.wg tracks it so Close can wait.
func (s *Server) run(ctx context.Context, t *task) {
	defer s.wg.Done()
	defer t.cancel(nil)
	if d := s.cfg.taskTimeout; d > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, d, errTimedOut)
		defer stop()
	}
	results, f := s.work(ctx, t)
	t.finish(results, f)
	if f == nil {
		s.expireLater()
	}
	s.logTask(t)
	s.sendCallback(t)
}

func (s *Server) work(ctx context.Context, t *task) ([]result, *failure) {
	t.setState(StatePreparing)
	if s.cfg.forced != nil {
		return nil, s.cfg.forced
	}
	src, f := s.load(ctx, t)
	if f != nil {
		return nil, f
	}
	return s.paintAll(ctx, t, src)
}

// load gets the task's image: the upload, or image_url downloaded now.
func (s *Server) load(ctx context.Context, t *task) (image.Image, *failure) {
	in := t.in
	t.in = input{} // the bytes are not needed past decoding
	if in.url != "" {
		start := time.Now()
		data, f := s.fetch(ctx, in.url)
		t.mu.Lock()
		t.downloadMS = time.Since(start).Milliseconds()
		t.mu.Unlock()
		if ctx.Err() != nil {
			return nil, ctxFailure(ctx)
		}
		if f != nil {
			return nil, f
		}
		in.file = data
	}
	if in.tooLarge {
		return nil, s.tooLarge()
	}
	return decodeImage(in.file)
}

// paintAll runs the painter for every variant in parallel, at most
// GOMAXPROCS at a time across the server; the first failure stops the rest.
func (s *Server) paintAll(ctx context.Context, t *task, src image.Image) ([]result, *failure) {
	t.setState(StateWaiting)
	vctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	results := make([]result, t.batch)
	var started sync.Once
	var wg sync.WaitGroup
	for i := range t.batch {
		wg.Go(func() {
			select {
			case s.slot <- struct{}{}:
			case <-vctx.Done():
				return
			}
			defer func() { <-s.slot }()
			started.Do(func() { t.setState(StateProcessing) })
			r, err := s.paintOne(vctx, t, src, i)
			if err != nil {
				cancel(err)
				return
			}
			results[i] = r
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctxFailure(ctx)
	}
	if err := context.Cause(vctx); err != nil {
		var f *failure
		if errors.As(err, &f) {
			return nil, f
		}
		return nil, fail(StateFailed, err.Error())
	}
	return results, nil
}

// paintOne makes and encodes variant i; a panicking painter fails the task
// instead of the process.
func (s *Server) paintOne(ctx context.Context, t *task, src image.Image, i int) (r result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fail(StateFailed, fmt.Sprintf("painter panicked: %v", p))
		}
	}()
	img, fg, err := s.cfg.painter.Paint(ctx, src, t.prompt, i+1, t.progressFunc(i))
	if err != nil {
		return r, fail(StateFailed, "painting failed: "+err.Error())
	}
	if img == nil || img.Bounds().Empty() {
		return r, fail(StateFailed, "painting failed: no image")
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return r, fail(StateStoreFailed, "storing the result failed: "+err.Error())
	}
	b := img.Bounds()
	return result{png: buf.Bytes(), size: b.Size(), fg: fg.Intersect(b).Sub(b.Min)}, nil
}

// ctxFailure says why a task's context ended, as a task failure.
func ctxFailure(ctx context.Context) *failure {
	cause := context.Cause(ctx)
	if errors.Is(cause, errTimedOut) {
		return fail(StateTimedOut, "")
	}
	return fail(StateFailed, "cancelled: "+cause.Error())
}

func (s *Server) logTask(t *task) {
	if s.cfg.logger == nil {
		return
	}
	snap := t.snapshot()
	s.cfg.logger.LogAttrs(context.Background(), slog.LevelInfo, "task ended",
		slog.String("task", snap.id),
		slog.Int("state", snap.state),
		slog.String("detail", snap.detail),
		slog.Int("batch", snap.batch),
		slog.Duration("took", snap.completed.Sub(snap.created)))
}
