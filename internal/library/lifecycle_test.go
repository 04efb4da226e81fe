package library

import (
	"context"
	"encoding/json"
	"errors"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLifecycleRecordsEveryEvent(t *testing.T) {
	ctx := context.Background()
	dir, work := t.TempDir(), t.TempDir()
	clk := newClock(time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC))
	s := openStore(t, dir, WithClock(clk.now))

	shot := writePNG(t, work, "red shoe.png", 40, 30, color.RGBA{200, 0, 0, 255})
	run := shotRun(t, shot, "white marble, soft light", 2)
	id, err := s.Added(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != StateWaiting || !got.Added.Equal(clk.now()) || got.Prompt != run.Prompt || got.Variants != 2 ||
		got.Source != run.Source || got.Backend != "api.example.com" || string(got.Options) != `{"format":"png"}` {
		t.Fatalf("after Added: %+v", got)
	}

	clk.advance(time.Second)
	if err := s.Sending(ctx, id); err != nil {
		t.Fatal(err)
	}
	clk.advance(2 * time.Second)
	if err := s.Created(ctx, id, "T-42"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(ctx, id)
	if got.State != StateCreated || got.TaskID != "T-42" || got.Sent.Sub(got.Added) != time.Second || got.Created.Sub(got.Sent) != 2*time.Second {
		t.Fatalf("after Created: %+v", got)
	}

	cache := t.TempDir()
	v1 := writePNG(t, cache, "T-42-1.png", 64, 48, color.RGBA{0, 0, 200, 255})
	v2 := writePNG(t, cache, "T-42-2.png", 48, 64, color.RGBA{0, 200, 0, 255})
	saved := filepath.Join(t.TempDir(), "red shoe-bg-1.png")
	if err := os.WriteFile(saved, fileBytes(t, v1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 1, CachedPath: v1, SavedPath: saved, Width: 64, Height: 48, Format: "image/png"}); err != nil {
		t.Fatal(err)
	}
	// Size and format unknown: read from the file.
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 2, CachedPath: v2}); err != nil {
		t.Fatal(err)
	}
	clk.advance(5 * time.Second)
	if err := s.Ended(ctx, id, StateDone, ""); err != nil {
		t.Fatal(err)
	}
	// The cache is cleaned: the library keeps its copies.
	want1, want2 := fileBytes(t, v1), fileBytes(t, v2)
	os.RemoveAll(cache)

	got, _ = s.Get(ctx, id)
	if got.State != StateDone || got.Finished.Sub(got.Created) != 5*time.Second || len(got.Images) != 2 {
		t.Fatalf("after Ended: %+v", got)
	}
	a, b := got.Images[0], got.Images[1]
	if a.N != 1 || a.Width != 64 || a.Height != 48 || a.Format != "image/png" || a.SavedPath != saved || a.CachedPath != v1 || a.Starred {
		t.Fatalf("variant 1: %+v", a)
	}
	if b.N != 2 || b.Width != 48 || b.Height != 64 || b.Format != "image/png" || b.SavedPath != "" {
		t.Fatalf("variant 2: %+v", b)
	}
	if !filepath.IsAbs(a.Path) || filepath.Dir(a.Path) != filepath.Join(dir, "images", "1") {
		t.Fatalf("kept copy at %s", a.Path)
	}
	if string(fileBytes(t, a.Path)) != string(want1) || string(fileBytes(t, b.Path)) != string(want2) {
		t.Fatal("kept copies differ from the downloaded files")
	}

	// A failed run keeps its error text.
	id2, _ := s.Added(ctx, run)
	s.Sending(ctx, id2)
	if err := s.Ended(ctx, id2, StateFailed, "HTTP 403: no balance"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(ctx, id2)
	if got.State != StateFailed || got.Error != "HTTP 403: no balance" || got.TaskID != "" {
		t.Fatalf("failed run: %+v", got)
	}
}

func TestEventsOutOfOrderAreRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	shot := writePNG(t, t.TempDir(), "a.png", 8, 8, color.Black)
	id, _ := s.Added(ctx, shotRun(t, shot, "p", 1))
	if err := s.Ended(ctx, id, StateCancelled, ""); err != nil {
		t.Fatal(err)
	}
	var se *StateError
	if err := s.Created(ctx, id, "T"); !errors.As(err, &se) || se.State != StateCancelled {
		t.Fatalf("Created after Ended: %v", err)
	}
	// A retry of a run that ended without images starts it afresh...
	s.Sending(ctx, id)
	s.Created(ctx, id, "T1")
	s.Ended(ctx, id, StateFailed, "the service could not download the image")
	if err := s.Sending(ctx, id); err != nil {
		t.Fatalf("retry of a failed run: %v", err)
	}
	if run := mustGet(t, s, id); run.State != StateSending || run.TaskID != "" || run.Error != "" || !run.Finished.IsZero() {
		t.Fatalf("after a retry: %+v", run)
	}
	// ...but one that ended with images keeps them: retrying it is a new run.
	s.Created(ctx, id, "T2")
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 1, Data: tinyPNG(color.White)}); err != nil {
		t.Fatal(err)
	}
	s.Ended(ctx, id, StateFailed, "variant 2 could not be downloaded")
	if err := s.Sending(ctx, id); !errors.As(err, &se) || se.State != StateFailed {
		t.Fatalf("Sending for a run that ended with images: %v", err)
	}
	if err := s.Ended(ctx, id, StateWaiting, ""); err == nil {
		t.Fatal("Ended accepted a state that is not final")
	}
	if err := s.Sending(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown run: %v", err)
	}
	if err := s.VariantSaved(ctx, 999, SavedVariant{N: 1, Data: tinyPNG(color.White)}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("variant of unknown run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "images", "999")); !os.IsNotExist(err) {
		t.Fatal("a folder was made for a run that does not exist")
	}
	if _, err := s.Added(ctx, NewRun{Prompt: "p", Variants: 0}); err == nil {
		t.Fatal("a run of 0 variants was accepted")
	}
}

func TestVariantKeptFromSavedFileOrData(t *testing.T) {
	ctx := context.Background()
	dir, work := t.TempDir(), t.TempDir()
	s := openStore(t, dir)
	shot := writePNG(t, work, "mug.png", 8, 8, color.White)
	id, _ := s.Added(ctx, shotRun(t, shot, "p", 3))
	saved := writePNG(t, work, "mug-bg-1.png", 20, 10, color.RGBA{1, 2, 3, 255})
	data := fileBytes(t, writePNG(t, work, "data.png", 10, 20, color.RGBA{4, 5, 6, 255}))
	// Cached file gone: the saved one is copied, never linked (it may be edited).
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 1, CachedPath: filepath.Join(work, "gone.png"), SavedPath: saved}); err != nil {
		t.Fatal(err)
	}
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 2, Data: data}); err != nil {
		t.Fatal(err)
	}
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 5}); err == nil {
		t.Fatal("a variant with no file and no data was accepted")
	}
	run, _ := s.Get(ctx, id)
	if len(run.Images) != 2 || run.Images[0].Width != 20 || run.Images[1].Height != 20 {
		t.Fatalf("images: %+v", run.Images)
	}
	keptInfo, _ := os.Stat(run.Images[0].Path)
	savedInfo, _ := os.Stat(saved)
	if os.SameFile(keptInfo, savedInfo) {
		t.Fatal("the saved file was hard-linked; editing it would change the library's copy")
	}
	if string(fileBytes(t, run.Images[1].Path)) != string(data) {
		t.Fatal("data copy differs")
	}
	// A cached file that is a symlink is copied: a link to the link would
	// break when the cache is cleaned.
	target := writePNG(t, work, "target.png", 12, 12, color.RGBA{7, 8, 9, 255})
	link := filepath.Join(work, "link.png")
	if err := os.Symlink(target, link); err == nil {
		if err := s.VariantSaved(ctx, id, SavedVariant{N: 3, CachedPath: link}); err != nil {
			t.Fatal(err)
		}
		os.Remove(target)
		v, _ := mustGet(t, s, id).Image(3)
		if fi, err := os.Lstat(v.Path); err != nil || !fi.Mode().IsRegular() || v.Width != 12 {
			t.Fatalf("kept copy of a symlinked file: %v %v", fi, err)
		}
	}
	// A non-image is refused and leaves nothing behind.
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 4, Data: []byte("not an image")}); err == nil {
		t.Fatal("a non-image was accepted")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "images", "1"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".4-") || strings.HasPrefix(e.Name(), "4.") {
			t.Fatalf("left behind: %s", e.Name())
		}
	}

}

func TestRunJSONForTheCLI(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), WithClock(newClock(time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)).now))
	id, _ := s.Added(ctx, NewRun{Source: Source{URL: "https://cdn.example.com/mug.webp"}, Prompt: "desk", Variants: 1,
		Options: map[string]any{"sync": false}, Backend: "api.gpt.ge"})
	run, _ := s.Get(ctx, id)
	b, err := json.Marshal(run)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":1,"source":{"url":"https://cdn.example.com/mug.webp"},"prompt":"desk","variants":1,"options":{"sync":false},` +
		`"backend":"api.gpt.ge","state":"waiting","added":"2026-02-03T04:05:06Z","images":[]}`
	if string(b) != want {
		t.Fatalf("JSON\n%s\nwant\n%s", b, want)
	}
}

func mustGet(t *testing.T, s *Store, id ID) Run {
	t.Helper()
	r, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
