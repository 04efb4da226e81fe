package run

import (
	"context"
	"strings"
	"testing"
	"time"

	"backdrop/api"
)

// A record that cannot be written before the create stops the create,
// saying why; later record failures become warnings, the work goes on.
func TestQueueRecorderFailures(t *testing.T) {
	for _, event := range []string{"added", "sending", "created", "variant", "ended"} {
		t.Run(event, func(t *testing.T) {
			b := newFakeBackend()
			rec := newLogRecorder()
			rec.failOn = event
			q := newQueue(t, Config{Backend: b, Rate: 100, Recorder: rec})
			id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p", Variants: 1, Options: Options{OutDir: t.TempDir()}})
			waitIdle(t, q)
			s, _ := q.Item(id)
			before := event == "added" || event == "sending"
			switch {
			case before && (s.State != Failed || len(b.creates()) != 0 || !strings.Contains(s.Err.Error(), "disk full") || !strings.HasPrefix(s.Err.Error(), "not sent")):
				t.Fatalf("%s, %d creates", s.Label(), len(b.creates()))
			case !before && (s.State != Done || !strings.Contains(s.Warning, "disk full") || len(b.creates()) != 1):
				t.Fatalf("%s, warning %q", s.Label(), s.Warning)
			}
			if event == "added" {
				// Retry records it again, then sends.
				rec.mu.Lock()
				rec.failOn = ""
				rec.mu.Unlock()
				if err := q.Retry(id); err != nil {
					t.Fatal(err)
				}
				waitIdle(t, q)
				if s, _ := q.Item(id); s.State != Done || len(b.creates()) != 1 {
					t.Fatalf("after retry: %s", s.Label())
				}
			}
		})
	}
}

// Observers get coalesced updates with every item's end, and the numbers
// of the whole queue.
func TestQueueSubscription(t *testing.T) {
	b := newFakeBackend()
	b.onCreate = func(n int, req api.CreateRequest) (*api.Task, error) {
		if req.Prompt == "bad" {
			return nil, &api.Error{HTTPStatus: 400, Message: "no"}
		}
		return nil, nil
	}
	q := newQueue(t, Config{Backend: b, Rate: 50, Paused: true})
	sub := q.Subscribe()
	defer sub.Close()
	f := shots(t, 5)
	var ids []string
	for i, p := range []string{"a", "b", "bad", "c", "d"} {
		ids = append(ids, mustAdd(t, q, Spec{ImageFile: f[i], Prompt: p, Variants: 2}))
	}
	u := sub.Changes()
	if len(u.Items) != 5 || u.Stats.Waiting != 5 || !u.Stats.Paused || u.Stats.Elapsed != 0 {
		t.Fatalf("first update: %d items, %+v", len(u.Items), u.Stats)
	}
	q.Resume()
	final := map[string]State{}
	seen := map[State]bool{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for len(final) < 5 {
		select {
		case <-sub.C():
		case <-ctx.Done():
			t.Fatalf("updates stopped: %v", final)
		}
		u := sub.Changes()
		for _, s := range u.Items {
			seen[s.State] = true
			if s.State.Finished() {
				final[s.ID] = s.State
			}
		}
	}
	if final[ids[2]] != Failed || final[ids[0]] != Done || !seen[Downloading] && !seen[Processing] {
		t.Fatalf("final %v, seen %v", final, seen)
	}
	waitIdle(t, q)
	st := q.Stats()
	if st.Total != 5 || st.Done != 4 || st.Failed != 1 || st.Running != 0 || st.Elapsed <= 0 || st.LeftKnown {
		t.Fatalf("stats %+v", st)
	}
	// Elapsed stops when the queue is idle.
	time.Sleep(20 * time.Millisecond)
	if again := q.Stats(); again.Elapsed != st.Elapsed {
		t.Fatalf("elapsed grows while idle: %v then %v", st.Elapsed, again.Elapsed)
	}
	if err := q.Remove(ids[0]); err != nil {
		t.Fatal(err)
	}
	if u := sub.Changes(); len(u.Removed) != 1 || u.Removed[0] != ids[0] || u.Stats.Total != 4 {
		t.Fatalf("after remove: %+v", u)
	}
}

// The estimate of time left follows the pace and the observed run time.
func TestStatsEstimateLeft(t *testing.T) {
	now := time.Now()
	q := &Queue{paused: false}
	for i := range 10 {
		it := &item{state: Waiting}
		if i < 2 {
			it.state, it.started, it.ended = Done, now.Add(-3*time.Second), now.Add(-time.Second)
		}
		q.items = append(q.items, it)
	}
	st := q.statsLocked(now, 2)
	// 8 waiting at 2/s: 4 s to send, then a 2 s run.
	if !st.LeftKnown || st.Left != 6*time.Second {
		t.Fatalf("left %v (%v)", st.Left, st.LeftKnown)
	}
}
