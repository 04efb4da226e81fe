package library

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStarAndDelete(t *testing.T) {
	ctx := context.Background()
	dir, work := t.TempDir(), t.TempDir()
	s := openStore(t, dir)
	shot := writePNG(t, work, "vase.png", 16, 16, color.White)
	img1 := writePNG(t, work, "c1.png", 30, 20, color.RGBA{255, 0, 0, 255})
	img2 := writePNG(t, work, "c2.png", 30, 20, color.RGBA{0, 255, 0, 255})
	keep := record(t, s, shotRun(t, shot, "terracotta", 2), img1, img2)
	saved := writePNG(t, work, "vase-bg-1.png", 30, 20, color.RGBA{255, 0, 0, 255})
	gone := record(t, s, shotRun(t, shot, "glass shelf", 2), img1, img2)
	s.VariantSaved(ctx, gone, SavedVariant{N: 1, CachedPath: img1, SavedPath: saved})

	if err := s.SetStar(ctx, keep, 2, true); err != nil {
		t.Fatal(err)
	}
	run, _ := s.Get(ctx, keep)
	if run.Images[0].Starred || !run.Images[1].Starred {
		t.Fatalf("stars: %+v", run.Images)
	}
	s.SetStar(ctx, keep, 2, false)
	if run, _ = s.Get(ctx, keep); run.Images[1].Starred {
		t.Fatal("unstar did not stick")
	}
	if err := s.SetStar(ctx, keep, 3, true); !errors.Is(err, ErrNotFound) {
		t.Fatalf("star of a missing variant: %v", err)
	}

	if _, err := s.Thumbnail(ctx, gone, 1); err != nil {
		t.Fatal(err)
	}
	goneRun, _ := s.Get(ctx, gone)
	if err := s.Delete(ctx, gone, DeleteOptions{SavedFiles: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, gone); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted run still there: %v", err)
	}
	for _, p := range []string{goneRun.Images[0].Path, goneRun.Images[1].Path, saved, s.imagesDir(gone)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s still there after Delete", p)
		}
	}
	if page, _ := s.List(ctx, Query{Search: "glass"}); len(page.Runs) != 0 {
		t.Fatal("a deleted run is still found by search")
	}
	if _, err := os.Stat(img1); err != nil {
		t.Fatal("Delete removed a downloaded file the library had only linked")
	}
	// The other run is untouched; its saved files stay unless asked.
	if run, err := s.Get(ctx, keep); err != nil || len(run.Images) != 2 {
		t.Fatalf("the other run: %v", err)
	}
	if err := s.Delete(ctx, gone, DeleteOptions{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
	// A run under way is refused.
	busy, _ := s.Added(ctx, shotRun(t, shot, "busy", 1))
	var se *StateError
	if err := s.Delete(ctx, busy, DeleteOptions{}); !errors.As(err, &se) {
		t.Fatalf("deleting a run under way: %v", err)
	}
	// IDs are never reused, so a deleted run's folder never meets a new run.
	next, _ := s.Added(ctx, shotRun(t, shot, "after", 1))
	if next <= busy {
		t.Fatalf("ID %d reused", next)
	}
}

func TestThumbnailsAreMadeOnceAndSmall(t *testing.T) {
	ctx := context.Background()
	dir, work := t.TempDir(), t.TempDir()
	s := openStore(t, dir, WithThumbnailSize(64))
	shot := writePNG(t, work, "chair.png", 8, 8, color.White)
	wide := writePNG(t, work, "wide.png", 400, 100, color.RGBA{0, 0, 255, 255})
	broken := filepath.Join(work, "broken.png")
	os.WriteFile(broken, append(fileBytes(t, wide)[:200], make([]byte, 100)...), 0o644)
	id, _ := s.Added(ctx, shotRun(t, shot, "p", 2))
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 1, CachedPath: wide}); err != nil {
		t.Fatal(err)
	}
	// Width, height and format given: the file is kept as it is, unread.
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 2, CachedPath: broken, Width: 400, Height: 100, Format: "image/png"}); err != nil {
		t.Fatal(err)
	}
	path, err := s.Thumbnail(ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	thumb, err := jpeg.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if b := thumb.Bounds(); b.Dx() != 64 || b.Dy() != 16 {
		t.Fatalf("thumbnail %v, want 64×16", b)
	}
	if r, g, b, _ := thumb.At(32, 8).RGBA(); r>>8 > 30 || g>>8 > 30 || b>>8 < 220 {
		t.Fatalf("thumbnail colour %d %d %d, want blue", r>>8, g>>8, b>>8)
	}
	info, _ := os.Stat(path)
	again, _ := s.Thumbnail(ctx, id, 1)
	info2, _ := os.Stat(again)
	if again != path || !info2.ModTime().Equal(info.ModTime()) {
		t.Fatal("the thumbnail was made twice")
	}
	if _, err := s.Thumbnail(ctx, id, 2); !errors.Is(err, ErrNoThumbnail) {
		t.Fatalf("thumbnail of a broken image: %v", err)
	}
	// The list shows the thumbnail; the broken one is not tried again.
	run, _ := s.Get(ctx, id)
	if run.Images[0].Thumbnail != path || run.Images[1].Thumbnail != "" {
		t.Fatalf("thumbnails in the run: %+v", run.Images)
	}
	if n, _ := s.ThumbnailsPending(ctx); n != 0 {
		t.Fatalf("%d thumbnails pending", n)
	}
	if _, err := s.Thumbnail(ctx, id, 9); !errors.Is(err, ErrNotFound) {
		t.Fatalf("thumbnail of a missing variant: %v", err)
	}
}

// The worker makes thumbnails by itself, including those a crash left.
func TestThumbnailWorkerCatchesUp(t *testing.T) {
	ctx := context.Background()
	dir, work := t.TempDir(), t.TempDir()
	shot := writePNG(t, work, "chair.png", 8, 8, color.White)
	img := writePNG(t, work, "v.png", 300, 300, color.RGBA{0, 128, 0, 255})
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		record(t, s, shotRun(t, shot, "p", 2), img, img)
	}
	s.Close()
	// As after a crash: the rows say no thumbnail.
	s = openStore(t, dir)
	if _, err := s.w.Exec("UPDATE variants SET thumb_path = ''"); err != nil {
		t.Fatal(err)
	}
	s.wakeThumbnails()
	waitFor(t, func() bool { n, _ := s.ThumbnailsPending(ctx); return n == 0 })
	page, _ := s.List(ctx, Query{})
	for _, r := range page.Runs {
		for _, v := range r.Images {
			if v.Thumbnail == "" {
				t.Fatalf("run %d variant %d has no thumbnail", r.ID, v.N)
			}
			if _, err := os.Stat(v.Thumbnail); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// waitFor polls cond: the worker has no event for tests to wait on, and
// this is a bound on a background job, not a timing assertion.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 12000 { // at most a minute, for a loaded machine
		if cond() {
			return
		}
		sleepBriefly()
	}
	t.Fatal("condition not met")
}

func TestExportRunWritesAgainWithoutOverwriting(t *testing.T) {
	ctx := context.Background()
	work, out := t.TempDir(), t.TempDir()
	s := openStore(t, t.TempDir())
	shot := writePNG(t, work, "desk lamp.png", 8, 8, color.White)
	img1 := writePNG(t, work, "c1.png", 30, 20, color.RGBA{255, 0, 0, 255})
	img2 := writePNG(t, work, "c2.png", 20, 30, color.RGBA{0, 255, 0, 255})
	id := record(t, s, shotRun(t, shot, "p", 2), img1, img2)
	os.Remove(img1) // the cache was cleaned
	first, err := s.ExportRun(ctx, id, out)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.ExportRun(ctx, id, out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"desk lamp-bg-1.png", "desk lamp-bg-2.png", "desk lamp-bg-1_2.png", "desk lamp-bg-2_2.png"}
	got := append(first, second...)
	for i, p := range got {
		if filepath.Base(p) != want[i] {
			t.Fatalf("exported %v, want %v", got, want)
		}
	}
	f, _ := os.Open(got[0])
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() != 30 {
		t.Fatalf("exported image: %v", err)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".part") {
			t.Fatalf("left behind: %s", e.Name())
		}
	}
	if len(entries) != 4 {
		t.Fatalf("%d files in the folder, want 4", len(entries))
	}
}
