package run

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// paceMargin keeps creates a little below the service's limit, so that
// timing jitter on the way (a busy machine, a slow disk) does not push
// three of them into one second: at 2 a second it leaves about 90 ms.
const paceMargin = 0.92

// minRateLimitPause is how long every create waits after a 429 that gave
// no Retry-After.
const minRateLimitPause = time.Second

// pacer hands out permits to send a create: in item order, never faster
// than its rate, none while paused or while the service asked to wait.
// A 429 halves the rate; each create that passes brings it back a step.
type pacer struct {
	mu        sync.Mutex
	limiter   *rate.Limiter
	target    rate.Limit // the pace asked for (below the service's limit)
	paused    bool
	notBefore time.Time // no permit before this (Retry-After)
	// lastSend is when the latest create went out (or, until it does, was
	// allowed to): the next permit waits a full interval after it, so that
	// a send held up after its permit (recording it, on a slow disk) never
	// leaves the next one too close behind it.
	lastSend time.Time
	lastCut  time.Time // when a 429 last halved the rate
	waiters  waiterHeap
	wake     chan struct{}
}

type waiter struct {
	seq     int
	ch      chan struct{}
	ready   bool // asking now; a ticket not ready holds its place in line
	granted bool
	gone    bool
	index   int
}

func newPacer(perSecond float64, paused bool) *pacer {
	target := rate.Limit(perSecond * paceMargin)
	return &pacer{
		limiter: rate.NewLimiter(target, 1),
		target:  target,
		paused:  paused,
		wake:    make(chan struct{}, 1),
	}
}

func (p *pacer) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// ticket takes a place in line for the item numbered seq before it is
// ready to send, so that items are sent in queue order even when a later
// one is ready first. Give it to acquire, or to withdraw.
func (p *pacer) ticket(seq int) *waiter {
	w := &waiter{seq: seq, ch: make(chan struct{})}
	p.mu.Lock()
	heap.Push(&p.waiters, w)
	p.mu.Unlock()
	return w
}

// acquire waits for the permit of ticket w (nil: a new place, by seq).
func (p *pacer) acquire(ctx context.Context, w *waiter, seq int) error {
	p.mu.Lock()
	if w == nil || w.gone || w.granted {
		w = &waiter{seq: seq, ch: make(chan struct{})}
		heap.Push(&p.waiters, w)
	}
	w.ready = true
	p.mu.Unlock()
	p.poke()
	select {
	case <-w.ch:
		return nil
	case <-ctx.Done():
		p.withdraw(w)
		return ctx.Err()
	}
}

// withdraw gives up a ticket that was not granted.
func (p *pacer) withdraw(w *waiter) {
	if w == nil {
		return
	}
	p.mu.Lock()
	if !w.granted && !w.gone {
		w.gone = true
		heap.Remove(&p.waiters, w.index)
	}
	p.mu.Unlock()
	p.poke()
}

// setPaused stops or restarts the permits.
func (p *pacer) setPaused(paused bool) {
	p.mu.Lock()
	p.paused = paused
	p.mu.Unlock()
	p.poke()
}

// setRate sets the service's limit in creates per second.
func (p *pacer) setRate(perSecond float64) {
	p.mu.Lock()
	p.target = rate.Limit(perSecond * paceMargin)
	p.limiter.SetLimit(p.target)
	p.mu.Unlock()
	p.poke()
}

// cutSpell is how close together 429s count as one: several answers to
// one burst (or one 429 heard both from the client's hook and from the
// create that returns it) halve the rate once.
const cutSpell = time.Second

// rateLimited slows every create down after a 429: none for wait (the
// Retry-After), then at three quarters of the pace (each create that
// passes brings it back up a step).
func (p *pacer) rateLimited(wait time.Duration) {
	wait = max(wait, minRateLimitPause)
	now := time.Now()
	p.mu.Lock()
	if until := now.Add(wait); until.After(p.notBefore) {
		p.notBefore = until
	}
	if now.Sub(p.lastCut) >= cutSpell {
		p.lastCut = now
		p.limiter.SetLimit(max(p.limiter.Limit()*3/4, p.target/16))
	}
	p.mu.Unlock()
	p.poke()
}

// passed is told of a create the service accepted: the rate climbs back
// towards its target by an eighth of it.
func (p *pacer) passed() {
	p.mu.Lock()
	if l := p.limiter.Limit(); l < p.target {
		p.limiter.SetLimit(min(p.target, l+p.target/8))
	}
	p.mu.Unlock()
}

// currentRate is the pace now, in creates per second.
func (p *pacer) currentRate() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return float64(p.limiter.Limit())
}

// sending is told right before a create goes out.
func (p *pacer) sending() {
	p.mu.Lock()
	if now := time.Now(); now.After(p.lastSend) {
		p.lastSend = now
	}
	p.mu.Unlock()
}

// spacingLocked is how long after the latest send the next may go.
func (p *pacer) spacingLocked() time.Duration {
	if p.lastSend.IsZero() {
		return 0
	}
	interval := time.Duration(float64(time.Second) / float64(p.limiter.Limit()))
	return time.Until(p.lastSend.Add(interval))
}

// run hands out permits until ctx ends.
func (p *pacer) run(ctx context.Context) {
	for {
		p.mu.Lock()
		ready := !p.paused && p.waiters.Len() > 0 && p.waiters[0].ready
		hold := max(time.Until(p.notBefore), p.spacingLocked())
		p.mu.Unlock()
		switch {
		case !ready:
			hold = -1
		case hold <= 0:
			r := p.limiter.Reserve()
			hold = r.Delay()
			if hold <= 0 {
				if !p.grant() {
					r.Cancel()
				}
				continue
			}
			r.Cancel() // wait without holding the token, then ask again
		}
		if !p.sleep(ctx, hold) {
			return
		}
	}
}

// grant gives the permit to the first waiter, if things still allow it.
func (p *pacer) grant() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused || p.waiters.Len() == 0 || !p.waiters[0].ready || time.Now().Before(p.notBefore) || p.spacingLocked() > 0 {
		return false
	}
	p.lastSend = time.Now()
	w := heap.Pop(&p.waiters).(*waiter)
	w.granted = true
	close(w.ch)
	return true
}

// sleep waits d (forever when d < 0) or until poked; false when ctx ended.
func (p *pacer) sleep(ctx context.Context, d time.Duration) bool {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return false
	case <-p.wake:
	case <-timer:
	}
	return true
}

// waiterHeap orders waiters by item number.
type waiterHeap []*waiter

func (h waiterHeap) Len() int           { return len(h) }
func (h waiterHeap) Less(i, j int) bool { return h[i].seq < h[j].seq }
func (h waiterHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *waiterHeap) Push(x any) {
	w := x.(*waiter)
	w.index = len(*h)
	*h = append(*h, w)
}
func (h *waiterHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	*h = old[:len(old)-1]
	return w
}
