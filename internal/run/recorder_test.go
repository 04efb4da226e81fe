package run

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// logRecorder keeps every event, in order, as "id event detail".
type logRecorder struct {
	mu      sync.Mutex
	events  []string
	created map[string]bool // task ids recorded
	failOn  string          // an event name that answers an error
}

func newLogRecorder() *logRecorder { return &logRecorder{created: map[string]bool{}} }

func (r *logRecorder) log(id, event, detail string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if event == r.failOn {
		return errors.New("disk full")
	}
	r.events = append(r.events, id+" "+event+" "+detail)
	return nil
}

func (r *logRecorder) Added(a AddedRecord) error      { return r.log(a.ID, "added", a.Spec.Name()) }
func (r *logRecorder) Edited(id string, s Spec) error { return r.log(id, "edited", s.Prompt) }
func (r *logRecorder) Sending(id string, s SendingRecord) error {
	return r.log(id, "sending", fmt.Sprint(s.Attempt))
}
func (r *logRecorder) Created(id, taskID string) error {
	if err := r.log(id, "created", taskID); err != nil {
		return err
	}
	r.mu.Lock()
	r.created[taskID] = true
	r.mu.Unlock()
	return nil
}
func (r *logRecorder) Progress(id string, s State) error { return r.log(id, "progress", s.String()) }
func (r *logRecorder) VariantSaved(id string, v Variant) error {
	return r.log(id, "variant", fmt.Sprint(v.N))
}
func (r *logRecorder) Ended(id string, e EndRecord) error {
	s := e.State
	return r.log(id, "ended", s.String())
}

func (r *logRecorder) hasCreated(taskID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.created[taskID]
}

// of returns the events of one item, without the id, progress left out.
func (r *logRecorder) of(id string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		rest, ok := strings.CutPrefix(e, id+" ")
		if ok && !strings.HasPrefix(rest, "progress") {
			out = append(out, rest)
		}
	}
	return out
}

// checkOrder asserts added, sending…, created, variants, ended in order.
func checkOrder(t *testing.T, r *logRecorder, id string, variants int, end State) {
	t.Helper()
	ev := r.of(id)
	kinds := make([]string, len(ev))
	for i, e := range ev {
		kinds[i], _, _ = strings.Cut(e, " ")
	}
	want := []string{"added", "sending", "created"}
	for range variants {
		want = append(want, "variant")
	}
	want = append(want, "ended")
	// Sends after a 429 repeat "sending" before "created".
	compact := slices.Compact(slices.Clone(kinds))
	if !slices.Equal(compact[:min(3, len(compact))], want[:3]) || !slices.Equal(kinds[len(kinds)-variants-1:], want[3:]) {
		t.Fatalf("events of %s: %v", id, ev)
	}
	if last := ev[len(ev)-1]; last != "ended "+end.String() {
		t.Fatalf("ended as %q, want %s", last, end)
	}
}
