package cli

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backdrop/api"
	"backdrop/internal/job"
)

// A result that cannot be written to the output folder keeps its cache
// copy, and the failure says where it is.
func TestSaveKeepsTheCacheCopyWhenTheOutputFails(t *testing.T) {
	cache := t.TempDir()
	cached := filepath.Join(cache, "t1-1.png")
	data := pngOf(8, 6)
	os.WriteFile(cached, data, 0o644)
	res := &job.Result{Task: &api.Task{ID: "t1"}, Images: []job.Image{{
		Index: 1, Data: data, Format: "image/png", Image: image.NewNRGBA(image.Rect(0, 0, 8, 6)), Cached: cached, URL: "https://cdn.test/1.png",
	}}}
	blocked := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocked, nil, 0o644)

	saved, failed := saveResults(res, filepath.Join(blocked, "out"), "shot")
	if len(saved) != 0 || len(failed) != 1 || failed[0].Variant != 1 || failed[0].URL != "https://cdn.test/1.png" ||
		!strings.Contains(failed[0].Err.Error(), "a copy is kept at "+cached) {
		t.Fatalf("saved %v, failed %+v", saved, failed)
	}
	if _, err := os.Stat(cached); err != nil {
		t.Fatalf("the cache copy went: %v", err)
	}

	out := t.TempDir()
	saved, failed = saveResults(res, out, "shot")
	if len(saved) != 1 || len(failed) != 0 || saved[0].path != filepath.Join(out, "shot-bg-1.png") || saved[0].width != 8 {
		t.Fatalf("saved %+v, failed %+v", saved, failed)
	}
	if _, err := os.Stat(cached); !os.IsNotExist(err) {
		t.Fatalf("the cache copy stays once saved: %v", err)
	}
}
