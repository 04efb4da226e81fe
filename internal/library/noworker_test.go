package library

import (
	"context"
	"image/color"
	"testing"
	"time"
)

// Without the worker (the CLI), thumbnails wait for the window's worker,
// and Thumbnail still makes one on demand.
func TestWithoutThumbnailWorker(t *testing.T) {
	dir := t.TempDir()
	shot := writePNG(t, t.TempDir(), "mug.png", 40, 30, color.White)
	img := writePNG(t, t.TempDir(), "v1.png", 64, 48, color.Black)
	s := openStore(t, dir, WithoutThumbnailWorker())
	id := record(t, s, shotRun(t, shot, "oak", 1), img)
	ctx := context.Background()
	time.Sleep(50 * time.Millisecond) // what a worker would have used; none may run
	if n, _ := s.ThumbnailsPending(ctx); n != 1 {
		t.Fatalf("%d thumbnails pending, want 1: a worker made it", n)
	}
	if p, err := s.Thumbnail(ctx, id, 1); err != nil || p == "" {
		t.Fatalf("on demand: %q %v", p, err)
	}
	record(t, s, shotRun(t, shot, "slate", 1), img)
	if n, _ := s.ThumbnailsPending(ctx); n != 1 {
		t.Fatalf("%d thumbnails pending, want 1", n)
	}
	s.Close()
	w := openStore(t, dir)
	waitFor(t, func() bool { n, _ := w.ThumbnailsPending(ctx); return n == 0 })
}
