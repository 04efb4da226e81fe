package ui

import (
	"reflect"
	"runtime"
	"sync"
	"time"

	"backdrop/internal/run"
)

// bridge carries the queues' changes to the widgets. One goroutine per
// session collects the queue's changes off the UI thread and merges them
// here; the UI thread is handed at most one batch at a time, so forty
// items changing at once cost it one short callback, not forty.
type bridge struct {
	ui    func(func()) // the window's way onto the UI thread
	apply func(batch)  // runs on the UI thread
	// frame is the least time between two collections of one queue's
	// changes: what arrives meanwhile comes as one batch.
	frame time.Duration

	mu      sync.Mutex
	pending batch
	queued  bool // a flush is on its way to the UI thread

	updates callbackStats // the batches applied: the UI thread's cost of the queues
}

// batch is what changed since the last flush.
type batch struct {
	items   map[string]run.Snapshot // the latest of each changed item, by id
	removed []string
	stats   map[*session]run.Stats
}

func newBridge(ui func(func()), apply func(batch)) *bridge {
	return &bridge{ui: ui, apply: apply, frame: time.Second / 30}
}

// follow collects s's changes until quit is closed.
func (b *bridge) follow(s *session, quit <-chan struct{}) {
	defer close(s.stopped)
	for {
		select {
		case <-quit:
			return
		case <-s.sub.C():
		}
		b.merge(s, s.sub.Changes())
		select {
		case <-quit:
			return
		case <-time.After(b.frame):
		}
	}
}

func (b *bridge) merge(s *session, u run.Update) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending.items == nil {
		b.pending.items = map[string]run.Snapshot{}
		b.pending.stats = map[*session]run.Stats{}
	}
	for _, it := range u.Items {
		b.pending.items[it.ID] = it
	}
	for _, id := range u.Removed {
		delete(b.pending.items, id)
		b.pending.removed = append(b.pending.removed, id)
	}
	b.pending.stats[s] = u.Stats
	if !b.queued {
		b.queued = true
		b.ui(b.flush)
	}
}

// flush hands the pending batch to the window, on the UI thread.
func (b *bridge) flush() {
	b.mu.Lock()
	got := b.pending
	b.pending, b.queued = batch{}, false
	b.mu.Unlock()
	if got.items != nil || got.removed != nil {
		start := time.Now()
		b.apply(got)
		b.updates.note(time.Since(start), nil)
	}
}

// callbackStats measures the UI thread's callbacks: the longest one says
// whether a frame ever had to wait on the window's own work.
type callbackStats struct {
	mu      sync.Mutex
	longest time.Duration
	count   int
	total   time.Duration
	which   string // the function of the longest, for benchmarks
}

func (c *callbackStats) note(d time.Duration, f func()) {
	c.mu.Lock()
	c.count++
	c.total += d
	if d > c.longest {
		c.longest = d
		if f != nil {
			c.which = runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name()
		}
	}
	c.mu.Unlock()
}

// Which names the function of the longest callback.
func (c *callbackStats) Which() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.which
}

// Longest returns the longest callback so far and how many ran.
func (c *callbackStats) Longest() (time.Duration, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.longest, c.count
}

// Sum returns how many callbacks ran, their total time and the longest.
func (c *callbackStats) Sum() (count int, total, longest time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count, c.total, c.longest
}

// timed wraps ui so that every callback it runs is measured.
func timed(ui func(func()), stats *callbackStats) func(func()) {
	return func(f func()) {
		ui(func() {
			start := time.Now()
			f()
			stats.note(time.Since(start), f)
		})
	}
}
