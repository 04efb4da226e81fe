package library

import (
	"context"
	"encoding/json"
	"image/color"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"
)

// leaveUnderWay records one run in each under-way situation and returns
// their IDs by name.
func leaveUnderWay(t *testing.T, s *Store, clk *clock) map[string]ID {
	t.Helper()
	ctx := context.Background()
	ids := map[string]ID{}
	add := func(name string) ID {
		id, err := s.Added(ctx, NewRun{Source: Source{Path: "/shots/" + name + ".png", Hash: name}, Prompt: name, Variants: 2, Backend: "api.example.com"})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = id
		return id
	}
	id := add("old task")
	s.Sending(ctx, id)
	s.Created(ctx, id, "T-old")
	clk.advance(30 * time.Minute)

	id = add("young task")
	s.Sending(ctx, id)
	s.Created(ctx, id, "T-young")
	if err := s.VariantSaved(ctx, id, SavedVariant{N: 1, Data: tinyPNG(color.White)}); err != nil {
		t.Fatal(err)
	}
	id = add("no answer")
	s.Sending(ctx, id)
	add("never sent")
	id = add("refused") // sent, answered 429: nothing made
	s.Sending(ctx, id)
	if err := s.NotSent(ctx, id); err != nil {
		t.Fatal(err)
	}
	id = add("finished")
	s.Sending(ctx, id)
	s.Ended(ctx, id, StateFailed, "HTTP 400")
	return ids
}

func actions(picks []Pickup) map[string]Action {
	m := map[string]Action{}
	for _, p := range picks {
		m[p.Run.Prompt] = p.Action
	}
	return m
}

func TestResumeClassifiesAndMarksRunsOfEndedSessions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clk := newClock(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	a := openStore(t, dir, WithClock(clk.now))
	ids := leaveUnderWay(t, a, clk)
	clk.advance(31 * time.Minute) // "old task" is now 61 minutes old, "young task" 31

	// While a is open its runs are busy, not lost: no one else takes them.
	b := openStore(t, dir, WithClock(clk.now))
	if picks, err := b.Unfinished(ctx); err != nil || len(picks) != 0 {
		t.Fatalf("runs of a live session picked up: %v %v", picks, err)
	}
	if picks, err := b.Resume(ctx); err != nil || len(picks) != 0 {
		t.Fatalf("runs of a live session resumed: %v %v", picks, err)
	}
	if picks, _ := a.Unfinished(ctx); len(picks) != 0 {
		t.Fatalf("a store picked up its own runs: %v", picks)
	}

	a.Close()
	want := map[string]Action{
		"old task":   ActionExpired,
		"young task": ActionPoll,
		"no answer":  ActionMaybeBilled,
		"never sent": ActionRequeuePaused,
		"refused":    ActionRequeuePaused,
	}
	picks, err := b.Unfinished(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(picks); !equalActions(got, want) {
		t.Fatalf("Unfinished: %v, want %v", got, want)
	}
	if run, _ := b.Get(ctx, ids["no answer"]); run.State != StateSending {
		t.Fatal("Unfinished changed a run")
	}

	picks, err = b.Resume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(picks); !equalActions(got, want) {
		t.Fatalf("Resume: %v, want %v", got, want)
	}
	for _, p := range picks {
		stored, _ := b.Get(ctx, p.Run.ID)
		if stored.State != p.Run.State || stored.Error != p.Run.Error {
			t.Fatalf("returned %+v, stored %+v", p.Run, stored)
		}
		switch p.Action {
		case ActionExpired:
			if stored.State != StateExpired || stored.Error == "" || stored.Finished.IsZero() {
				t.Fatalf("expired run: %+v", stored)
			}
		case ActionMaybeBilled:
			if stored.State != StateMaybeBilled || stored.Error == "" || stored.Finished.IsZero() || stored.Sent.IsZero() {
				t.Fatalf("maybe-billed run: %+v", stored)
			}
		case ActionPoll:
			if stored.State != StateCreated || stored.TaskID != "T-young" || len(p.Run.Images) != 1 || p.Run.Images[0].N != 1 {
				t.Fatalf("run to poll: %+v (it must say which images are already here)", p.Run)
			}
		case ActionRequeuePaused:
			if stored.State != StateWaiting {
				t.Fatalf("run to re-queue: %+v", stored)
			}
		}
	}
	// Claimed: b is alive, so a third store sees nothing; b itself neither.
	c := openStore(t, dir, WithClock(clk.now))
	if picks, _ := c.Resume(ctx); len(picks) != 0 {
		t.Fatalf("claimed runs picked up again: %v", actions(picks))
	}
	if picks, _ := b.Resume(ctx); len(picks) != 0 {
		t.Fatalf("a store resumed its own runs: %v", actions(picks))
	}
	// b ends without finishing them: the runs still under way come back,
	// the marked ones do not; the task has aged meanwhile.
	b.Close()
	clk.advance(30 * time.Minute)
	picks, _ = c.Resume(ctx)
	want = map[string]Action{"young task": ActionExpired, "never sent": ActionRequeuePaused, "refused": ActionRequeuePaused}
	if got := actions(picks); !equalActions(got, want) {
		t.Fatalf("second resume: %v, want %v", got, want)
	}
}

func equalActions(a, b map[string]Action) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A process killed mid-run leaves its lock file behind, unlocked: its
// runs are picked up at once, without waiting for any timeout.
func TestResumeAfterAProcessIsKilled(t *testing.T) {
	dir := t.TempDir()
	if err := helperCmd(t, dir, "crash").Run(); err != nil {
		t.Fatal(err)
	}
	if locks, _ := filepath.Glob(filepath.Join(dir, "sessions", "*.lock")); len(locks) != 1 {
		t.Fatalf("lock files after the crash: %v", locks)
	}
	s := openStore(t, dir)
	picks, err := s.Resume(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Action{"never sent": ActionRequeuePaused, "sent, no answer": ActionMaybeBilled, "task known": ActionPoll}
	if got := actions(picks); !equalActions(got, want) {
		t.Fatalf("after a kill: %v, want %v", got, want)
	}
	if locks, _ := filepath.Glob(filepath.Join(dir, "sessions", "*.lock")); len(locks) != 1 {
		t.Fatalf("the dead session's lock file was not cleared: %v", locks)
	}
}

// Two stores starting at once split the runs left behind: each is claimed
// by exactly one, so no task is polled (and downloaded) twice.
func TestResumeClaimsEachRunOnce(t *testing.T) {
	dir := t.TempDir()
	a := openStore(t, dir)
	for range 30 {
		id, _ := a.Added(context.Background(), NewRun{Prompt: "p", Variants: 1, Backend: "h"})
		a.Sending(context.Background(), id)
		a.Created(context.Background(), id, "T")
	}
	a.Close()
	stores := []*Store{openStore(t, dir), openStore(t, dir), openStore(t, dir)}
	var mu sync.Mutex
	var claimed []int
	var wg sync.WaitGroup
	for _, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			picks, err := s.Resume(context.Background())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			for _, p := range picks {
				claimed = append(claimed, int(p.Run.ID))
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Ints(claimed)
	if len(claimed) != 30 {
		t.Fatalf("%d runs claimed, want 30: %v", len(claimed), claimed)
	}
	for i := 1; i < len(claimed); i++ {
		if claimed[i] == claimed[i-1] {
			t.Fatalf("run %d claimed twice", claimed[i])
		}
	}
}

func TestFindDoneNeedsSameKeyAndFilesPresent(t *testing.T) {
	ctx := context.Background()
	work := t.TempDir()
	s := openStore(t, t.TempDir())
	shot := writePNG(t, work, "lamp.png", 16, 16, color.RGBA{9, 9, 9, 255})
	type opts struct {
		Format  string `json:"format"`
		Quality int    `json:"quality"`
	}
	run := shotRun(t, shot, "oak table", 1)
	run.Options = opts{Format: "jpeg", Quality: 90}
	key := run.Key()
	if _, ok, err := s.FindDone(ctx, key); ok || err != nil {
		t.Fatalf("found before any run: %v", err)
	}
	saved := writePNG(t, work, "lamp-bg-1.png", 16, 16, color.White)
	id, _ := s.Added(ctx, run)
	s.Sending(ctx, id)
	s.Created(ctx, id, "T")
	s.VariantSaved(ctx, id, SavedVariant{N: 1, SavedPath: saved})
	if _, ok, _ := s.FindDone(ctx, key); ok {
		t.Fatal("a run under way counts as done")
	}
	s.Ended(ctx, id, StateDone, "")

	got, ok, err := s.FindDone(ctx, key)
	if err != nil || !ok || got.ID != id {
		t.Fatalf("FindDone = %v %v %v", got.ID, ok, err)
	}
	// Same options as a map, keys in another order: the same work.
	same := key
	same.Options = map[string]any{"quality": 90, "format": "jpeg"}
	if _, ok, _ := s.FindDone(ctx, same); !ok {
		t.Fatal("equal options given as a map were not recognised")
	}
	// The file's content, not its name, identifies the shot.
	renamed := filepath.Join(work, "renamed.png")
	os.Rename(shot, renamed)
	moved := shotRun(t, renamed, "oak table", 1)
	moved.Options = opts{Format: "jpeg", Quality: 90}
	if _, ok, _ := s.FindDone(ctx, moved.Key()); !ok {
		t.Fatal("a renamed shot was not recognised")
	}
	for name, k := range map[string]SkipKey{
		"prompt":   {Source: key.Source, Prompt: "oak table ", Variants: 1, Options: key.Options},
		"variants": {Source: key.Source, Prompt: "oak table", Variants: 2, Options: key.Options},
		"options":  {Source: key.Source, Prompt: "oak table", Variants: 1, Options: opts{Format: "png", Quality: 90}},
		"content":  {Source: Source{Hash: "0000"}, Prompt: "oak table", Variants: 1, Options: key.Options},
	} {
		if _, ok, _ := s.FindDone(ctx, k); ok {
			t.Errorf("a different %s counts as done", name)
		}
	}
	// The saved file deleted: not done any more (run it again).
	os.Remove(saved)
	if _, ok, _ := s.FindDone(ctx, key); ok {
		t.Fatal("done although its saved file is gone")
	}
	// Run again: the same key, so the queue can tell it is the same work.
	again := got.Again()
	if k, _ := again.Key().Digest(); k != mustDigest(t, key) {
		t.Fatal("Again does not give the run's key")
	}
	raw, _ := json.Marshal(key.Options)
	if string(got.Options) != `{"format":"jpeg","quality":90}` {
		t.Fatalf("options stored as %s (given %s)", got.Options, raw)
	}
}

func mustDigest(t *testing.T, k SkipKey) string {
	d, err := k.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
