package contract

import (
	"context"
	"image"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// task is one create request's work and outcome.
type task struct {
	// Set at creation, then read-only.
	id       string
	origin   string // scheme://host of the create request, for callback URLs
	prompt   string
	batch    int
	callback string
	created  time.Time
	cancel   context.CancelCauseFunc
	done     chan struct{} // closed once the task has its final state

	// Owned by the task's goroutine until it starts work.
	in input

	// One per variant: the painter's fraction done, as float64 bits.
	frac []atomic.Uint64

	mu         sync.Mutex
	state      int
	detail     string
	processed  time.Time
	completed  time.Time
	downloadMS int64
	results    []result // nil until done, and again once expired
	expired    bool
	sent       []bool // which images went out whole (WithDropServed)
	step       int    // position in the script
}

// input is the image a task starts from: the upload or the URL to fetch.
type input struct {
	file     []byte
	tooLarge bool
	url      string
}

// result is one finished image, PNG-encoded once.
type result struct {
	png  []byte
	size image.Point
	fg   image.Rectangle
}

func newTask(id, origin string, f *createForm, cancel context.CancelCauseFunc) *task {
	return &task{
		id:       id,
		origin:   origin,
		prompt:   f.prompt,
		batch:    f.batch,
		callback: f.callback,
		created:  time.Now(),
		cancel:   cancel,
		done:     make(chan struct{}),
		in:       input{file: f.file, tooLarge: f.fileTooLarge, url: f.imageURL},
		frac:     make([]atomic.Uint64, f.batch),
		state:    StateQueued,
		detail:   StateDetail(StateQueued),
	}
}

func (t *task) setState(state int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.state, t.detail = state, StateDetail(state)
	if state == StatePreparing {
		t.processed = time.Now()
	}
}

// progressFunc is what variant i's painter reports to; it keeps the highest
// value seen so the task's progress never goes back.
func (t *task) progressFunc(i int) func(float64) {
	return func(f float64) {
		if math.IsNaN(f) {
			return
		}
		f = min(max(f, 0), 1)
		for {
			old := t.frac[i].Load()
			if f <= math.Float64frombits(old) || t.frac[i].CompareAndSwap(old, math.Float64bits(f)) {
				return
			}
		}
	}
}

// progress is the average fraction done across variants, in percent; only
// a finished task shows 100.
func (t *task) progress(state int) int {
	if state == StateDone {
		return 100
	}
	var sum float64
	for i := range t.frac {
		sum += math.Float64frombits(t.frac[i].Load())
	}
	return min(int(sum/float64(len(t.frac))*100), 99)
}

// finish records the outcome and wakes whoever waits for it.
func (t *task) finish(results []result, f *failure) {
	t.mu.Lock()
	t.completed = time.Now()
	if f != nil {
		t.state, t.detail = f.state, f.detail
	} else {
		t.state, t.detail, t.results = StateDone, StateDetail(StateDone), results
	}
	t.mu.Unlock()
	close(t.done)
}

// nextStep returns the scripted answer for this GET, if one is left.
func (t *task) nextStep(script []Step) (Step, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.step >= len(script) {
		return Step{}, false
	}
	t.step++
	return script[t.step-1], true
}

// snapshot is a consistent copy of a task's state for one answer.
type snapshot struct {
	id, detail                    string
	state, progress, batch        int
	created, processed, completed time.Time
	downloadMS                    int64
	results                       []result
	expired                       bool
}

func (t *task) snapshot() snapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	return snapshot{
		id: t.id, detail: t.detail, state: t.state, progress: t.progress(t.state),
		batch: t.batch, created: t.created, processed: t.processed, completed: t.completed,
		downloadMS: t.downloadMS, results: t.results, expired: t.expired,
	}
}
