package library

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		os.Exit(helperProcess(dir))
	}
	goleak.VerifyTestMain(m)
}

// clock is a settable clock for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openStore(t testing.TB, dir string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// writePNG writes a w×h image of one colour and returns its path.
func writePNG(t testing.TB, dir, name string, w, h int, c color.Color) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// shotRun is a NewRun for a shot file.
func shotRun(t testing.TB, path, prompt string, variants int) NewRun {
	t.Helper()
	hash, err := HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return NewRun{Source: Source{Path: path, Hash: hash}, Prompt: prompt, Variants: variants,
		Options: map[string]any{"format": "png"}, Backend: "api.example.com"}
}

// record runs a whole run through the recorder with the given images.
func record(t testing.TB, s *Store, run NewRun, images ...string) ID {
	t.Helper()
	ctx := context.Background()
	id, err := s.Added(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sending(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := s.Created(ctx, id, "task-"+filepath.Base(run.Source.Path)); err != nil {
		t.Fatal(err)
	}
	for i, img := range images {
		if err := s.VariantSaved(ctx, id, SavedVariant{N: i + 1, CachedPath: img}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Ended(ctx, id, StateDone, ""); err != nil {
		t.Fatal(err)
	}
	return id
}

func fileBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sleepBriefly() { time.Sleep(5 * time.Millisecond) }
