package run

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"backdrop/api"
)

// BeforeCreate is asked right before each create; its refusal fails the
// item with that error, not billed, and nothing reaches the service.
func TestBeforeCreateStopsTheCreate(t *testing.T) {
	svc := newService(t, 0)
	refuse := errors.New("daily cap reached")
	var asked atomic.Int32
	q := newQueue(t, Config{Backend: client(t, svc.url), Rate: 50, BeforeCreate: func(ctx context.Context, s Spec) error {
		if asked.Add(1) == 2 {
			return refuse
		}
		return nil
	}})
	shot := shots(t, 1)[0]
	a := mustAdd(t, q, Spec{ImageFile: shot, Prompt: "oak", Variants: 1})
	waitIdle(t, q)
	b := mustAdd(t, q, Spec{ImageFile: shot, Prompt: "slate", Variants: 1})
	waitIdle(t, q)
	if s, _ := q.Item(a); s.State != Done {
		t.Fatalf("first: %s", s.Label())
	}
	s, _ := q.Item(b)
	if s.State != Failed || !errors.Is(s.Err, refuse) || s.MayBeBilled || s.Creates != 0 || svc.accepted() != 1 {
		t.Fatalf("refused: %s billed=%v creates=%d accepted=%d", s.Label(), s.MayBeBilled, s.Creates, svc.accepted())
	}
	if q.RetryFailed() != 1 {
		t.Fatal("a refused item is not retried with the others")
	}
	waitIdle(t, q)
	if s, _ := q.Item(b); s.State != Done || svc.accepted() != 2 {
		t.Fatalf("retried: %s", s.Label())
	}
}

// A paused queue sends nothing new but still fetches a task that exists
// (a run resumed after a crash), keeping the variants already saved.
func TestPausedQueueStillFetchesExistingTasks(t *testing.T) {
	svc := newService(t, 0)
	c := client(t, svc.url)
	shot := shots(t, 1)[0]
	task, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "oak", BatchSize: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := svc.accepted()
	q := newQueue(t, Config{Backend: c, Rate: 50, Paused: true})
	out := t.TempDir()
	kept := Variant{N: 2, SavedPath: "/already/saved.png"}
	fetch := mustAdd(t, q, Spec{TaskID: task.ID, ImageFile: shot, Prompt: "oak", Variants: 3, Options: Options{OutDir: out}, Existing: []Variant{kept}})
	waiting := mustAdd(t, q, Spec{ImageFile: shot, Prompt: "slate", Variants: 1, Options: Options{OutDir: out}})
	waitFor(t, q, "the task fetched", func(s []Snapshot) bool { return s[0].State.Finished() })
	s, _ := q.Item(fetch)
	if s.State != Done || len(s.Variants) != 3 || s.Variants[1] != kept || len(names(out)) != 2 {
		t.Fatalf("fetched while paused: %s, variants %+v, files %v", s.Label(), s.Variants, names(out))
	}
	if w, _ := q.Item(waiting); w.State != Waiting || svc.accepted() != before {
		t.Fatalf("paused: %s, %d creates", w.Label(), svc.accepted()-before)
	}
}
