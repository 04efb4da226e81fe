package run

import (
	"fmt"
	"time"

	"backdrop/api"
)

// Snapshot is an item as it is at one moment: a copy, safe to keep.
type Snapshot struct {
	ID       string
	Spec     Spec
	State    State
	Percent  int    // of the service's work, while Processing
	Received int    // variants saved so far
	Total    int    // variants expected
	TaskID   string // "" until the service answered the create
	// ForegroundRect is where the product is in the results, when the
	// service said.
	ForegroundRect *api.Rect
	Variants       []Variant
	Err            error  // why it failed or was cancelled
	Warning        string // a recording problem that did not stop it
	MayBeBilled    bool   // a create may have reached the service without its answer
	Creates        int    // creates sent for it (429s included)
	RateLimited    int    // times the service answered 429
	Added          time.Time
	Started        time.Time // of the latest attempt
	Ended          time.Time
}

// Name is how the item is shown: the shot's file name, or the URL's.
func (s Snapshot) Name() string { return s.Spec.Name() }

// Label says where the item is, for a status line.
func (s Snapshot) Label() string {
	switch s.State {
	case Waiting:
		if s.RateLimited > 0 {
			return "Waiting (the service asked to slow down)"
		}
		return "Waiting"
	case Sending:
		return "Sending…"
	case Queued:
		return "Queued"
	case Processing:
		return fmt.Sprintf("Processing %d %%", s.Percent)
	case Downloading:
		return fmt.Sprintf("Downloading %d/%d", s.Received, s.Total)
	case Done:
		return "Done"
	case Skipped:
		return "Skipped (already done)"
	case Cancelled:
		return "Cancelled"
	case Failed:
		if s.Err != nil {
			return "Failed: " + s.Err.Error()
		}
		return "Failed"
	}
	return s.State.String()
}

// Fraction is the item's progress, 0..1: the service's work is the first
// 90 %, downloads the rest.
func (s Snapshot) Fraction() float64 {
	switch s.State {
	case Waiting, Sending:
		return 0
	case Queued:
		return 0.02
	case Processing:
		return 0.05 + 0.85*float64(s.Percent)/100
	case Downloading:
		if s.Total == 0 {
			return 0.9
		}
		return 0.9 + 0.1*float64(s.Received)/float64(s.Total)
	}
	return 1
}

func (it *item) snapshot() Snapshot {
	return Snapshot{
		ID: it.id, Spec: it.spec, State: it.state, Percent: it.percent,
		Received: it.received, Total: it.total, TaskID: it.taskID, ForegroundRect: it.rect,
		Variants: append([]Variant(nil), it.variants...),
		Err:      it.err, Warning: it.warning, MayBeBilled: it.billed,
		Creates: it.attempts, RateLimited: it.limited,
		Added: it.added, Started: it.started, Ended: it.ended,
	}
}

// Item returns a snapshot of one item.
func (q *Queue) Item(id string) (Snapshot, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	it := q.byID[id]
	if it == nil {
		return Snapshot{}, false
	}
	return it.snapshot(), true
}

// Items returns a snapshot of every item, in queue order.
func (q *Queue) Items() []Snapshot {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Snapshot, len(q.items))
	for i, it := range q.items {
		out[i] = it.snapshot()
	}
	return out
}

// Stats are the whole queue's numbers.
type Stats struct {
	Total       int
	Waiting     int
	Running     int // sending, at the service or downloading
	Done        int
	Failed      int
	Cancelled   int
	Skipped     int
	Paused      bool
	Elapsed     time.Duration // since the queue last started from idle
	Left        time.Duration // estimated time left; see LeftKnown
	LeftKnown   bool
	CreatesRate float64 // the pace of creates now, per second (lower after a 429)
}

// Finished counts the items that are over, whatever the outcome.
func (s Stats) Finished() int { return s.Done + s.Failed + s.Cancelled + s.Skipped }

// Stats returns the whole queue's numbers.
func (q *Queue) Stats() Stats {
	rate := q.pacer.currentRate()
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.statsLocked(time.Now(), rate)
}

func (q *Queue) statsLocked(now time.Time, rate float64) Stats {
	st := Stats{Total: len(q.items), Paused: q.paused, CreatesRate: rate}
	var took time.Duration
	var finished int
	var oldest time.Duration // the longest a running item has been at it
	for _, it := range q.items {
		switch {
		case it.state == Done:
			st.Done++
		case it.state == Failed:
			st.Failed++
		case it.state == Cancelled:
			st.Cancelled++
		case it.state == Skipped:
			st.Skipped++
		case it.state == Waiting && !it.running:
			st.Waiting++
		case it.state == Waiting:
			st.Waiting++ // holds a worker, but not sent yet
		default:
			st.Running++
			oldest = max(oldest, now.Sub(it.started))
		}
		if it.state == Done && !it.started.IsZero() {
			took += it.ended.Sub(it.started)
			finished++
		}
	}
	if !q.busySince.IsZero() {
		end := now
		if !q.idleAt.IsZero() {
			end = q.idleAt
		}
		st.Elapsed = end.Sub(q.busySince)
	}
	// Time left: the waiting items still have to be sent at the pace,
	// and the last one sent then takes as long as a run takes.
	if st.Waiting+st.Running > 0 && !st.Paused && rate > 0 && finished > 0 {
		avg := took / time.Duration(finished)
		send := time.Duration(float64(st.Waiting) / rate * float64(time.Second))
		st.Left = max(send+avg, avg-oldest, 0)
		st.LeftKnown = true
	}
	return st
}

// Subscription follows a queue's changes. C receives a value whenever
// something changed since the last Changes (several changes may come as
// one); sending on it never blocks the queue.
type Subscription struct {
	q       *Queue
	c       chan struct{}
	seen    map[string]uint64
	removed []string
}

// Update is what changed since the previous Changes.
type Update struct {
	Items   []Snapshot // items added or changed, in queue order
	Removed []string   // ids of items taken out of the queue
	Stats   Stats
}

// Subscribe starts following the queue; the first Changes returns every
// item. Close the subscription when done.
func (q *Queue) Subscribe() *Subscription {
	s := &Subscription{q: q, c: make(chan struct{}, 1), seen: map[string]uint64{}}
	q.mu.Lock()
	q.subs[s] = struct{}{}
	q.mu.Unlock()
	s.c <- struct{}{}
	return s
}

// C is signalled when there are changes to collect.
func (s *Subscription) C() <-chan struct{} { return s.c }

// Changes returns what changed since the previous call.
func (s *Subscription) Changes() Update {
	rate := s.q.pacer.currentRate()
	q := s.q
	q.mu.Lock()
	defer q.mu.Unlock()
	var u Update
	for _, it := range q.items {
		if s.seen[it.id] != it.version {
			s.seen[it.id] = it.version
			u.Items = append(u.Items, it.snapshot())
		}
	}
	for _, id := range s.removed {
		delete(s.seen, id)
	}
	u.Removed, s.removed = s.removed, nil
	u.Stats = q.statsLocked(time.Now(), rate)
	return u
}

// Close stops the subscription.
func (s *Subscription) Close() {
	s.q.mu.Lock()
	delete(s.q.subs, s)
	s.q.mu.Unlock()
}
