package run

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backdrop/api"
	"backdrop/internal/contract"
)

// watchedBackend fails the test if a result is downloaded before its task
// id was recorded.
type watchedBackend struct {
	Backend
	t   *testing.T
	rec *logRecorder
}

func (b watchedBackend) Download(ctx context.Context, ref string, w io.Writer) (int64, error) {
	// Result URLs of the contract server are /results/{task}/{n}.png.
	parts := strings.Split(ref, "/")
	if task := parts[len(parts)-2]; api.IsURL(ref) && !b.rec.hasCreated(task) {
		b.t.Errorf("downloading %s before task %s was recorded", ref, task)
	}
	return b.Backend.Download(ctx, ref, w)
}

func TestQueueSavesEveryVariantAndRecordsFirst(t *testing.T) {
	for _, shape := range []contract.Shape{contract.ShapeSlots, contract.ShapeList, contract.ShapeBase64} {
		for _, sync := range []bool{false, true} {
			svc := newService(t, 0, contract.WithShape(shape))
			rec := newLogRecorder()
			out := t.TempDir()
			cache := t.TempDir()
			q := newQueue(t, Config{Backend: watchedBackend{client(t, svc.url), t, rec}, Rate: 50, Recorder: rec, CacheDir: cache})
			files := shots(t, 4)
			var ids []string
			for i, f := range files {
				ids = append(ids, mustAdd(t, q, Spec{ImageFile: f, Prompt: "white marble", Variants: i + 1, Options: Options{OutDir: out, Sync: sync}}))
			}
			waitIdle(t, q)
			if got := svc.accepted(); got != 4 {
				t.Fatalf("shape %d sync %v: %d creates, want 4", shape, sync, got)
			}
			for i, id := range ids {
				s, _ := q.Item(id)
				if s.State != Done || len(s.Variants) != i+1 || s.Creates != 1 || s.TaskID == "" {
					t.Fatalf("item %d: %s, %d variants, %d creates", i, s.Label(), len(s.Variants), s.Creates)
				}
				for n, v := range s.Variants {
					want := filepath.Join(out, strings.TrimSuffix(filepath.Base(files[i]), ".png")+"-bg-"+string(rune('1'+n))+".png")
					if v.N != n+1 || v.SavedPath != want || v.Width != 40+i || v.Height != 30 || v.Format != "image/png" {
						t.Fatalf("variant %+v, want %s", v, want)
					}
					if _, format := decodeFile(t, v.SavedPath); format != "png" {
						t.Fatalf("%s is %s", v.SavedPath, format)
					}
					if filepath.Dir(v.CachedPath) != cache {
						t.Fatalf("not kept in the cache: %q", v.CachedPath)
					}
					decodeFile(t, v.CachedPath)
					if info, _ := os.Stat(v.SavedPath); info.Size() != v.Bytes {
						t.Fatalf("size %d, recorded %d", info.Size(), v.Bytes)
					}
				}
				checkOrder(t, rec, id, i+1, Done)
			}
			if n := len(names(out)); n != 1+2+3+4 {
				t.Fatalf("%d files in the output folder: %v", n, names(out))
			}
		}
	}
}

func TestQueueCapsResultsAtTheVariantCount(t *testing.T) {
	b := newFakeBackend()
	b.images = 6 // the service sends more than asked for
	out := t.TempDir()
	q := newQueue(t, Config{Backend: b, Rate: 100})
	id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p", Variants: 2, Options: Options{OutDir: out}})
	waitIdle(t, q)
	s, _ := q.Item(id)
	if s.State != Done || len(s.Variants) != 2 || len(names(out)) != 2 || b.downloads() != 2 {
		t.Fatalf("%s: %d variants, files %v, %d downloads", s.Label(), len(s.Variants), names(out), b.downloads())
	}
}

func TestQueueFromURLAndFromTaskID(t *testing.T) {
	svc := newService(t, 0)
	c := client(t, svc.url)
	// A task created earlier (before a crash): only waited for and fetched.
	shot := shots(t, 1)[0]
	task, err := c.CreateTask(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p", BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	rec := newLogRecorder()
	q := newQueue(t, Config{Backend: c, Recorder: rec})
	id := mustAdd(t, q, Spec{TaskID: task.ID, Variants: 3, Options: Options{OutDir: out, Template: "{task}-{n}"}})
	waitIdle(t, q)
	s, _ := q.Item(id)
	if s.State != Done || len(s.Variants) != 3 || svc.accepted() != 1 || s.Creates != 0 {
		t.Fatalf("%s, %d variants, %d creates", s.Label(), len(s.Variants), svc.accepted())
	}
	if base := filepath.Base(s.Variants[2].SavedPath); base != task.ID+"-3.png" {
		t.Fatalf("named %s", base)
	}
	for _, e := range rec.of(id) {
		if strings.HasPrefix(e, "sending") || strings.HasPrefix(e, "created") {
			t.Fatalf("a resumed task was created again: %v", rec.of(id))
		}
	}
}
