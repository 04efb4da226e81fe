package run

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"backdrop/api"
)

// Defaults of a Queue.
const (
	DefaultRate        = 2.0              // creates per second the service allows
	DefaultMaxInFlight = 32               // items at the service at once
	DefaultRunTimeout  = 10 * time.Minute // create + wait + downloads of one item
)

// Config sets up a Queue. Only Backend is required.
type Config struct {
	Backend Backend
	// Rate is the service's limit in creates per second (default 2); the
	// queue stays a little below it, and slows down further after a 429.
	Rate float64
	// MaxInFlight bounds the items being worked on at once (default 32):
	// the rate, not this, bounds throughput.
	MaxInFlight int
	// RunTimeout bounds one item from its first create to its last
	// download (default 10 min); a resumed task is bounded from its start.
	RunTimeout time.Duration
	// CacheDir keeps every downloaded result before anything else is done
	// with it (default DefaultCacheDir()).
	CacheDir string
	Recorder Recorder  // nil records nothing
	Done     DoneIndex // nil means Manifest{}
	// BeforeCreate, when set, is asked right before each create is sent
	// (after the pacer allowed it, before Recorder.Sending): an error
	// fails the item with that error and nothing is sent (the library's
	// daily cap). It may be called from several goroutines at once.
	BeforeCreate func(ctx context.Context, s Spec) error
	// Decoders bounds the results decoded at once (each takes memory in
	// proportion to its pixels); 0 means one per CPU.
	Decoders int
	// Paused starts the queue paused: items wait until Resume (the window
	// fills the queue, then Generate resumes it).
	Paused bool
}

// ErrClosed is returned by a Queue that was closed.
var ErrClosed = errors.New("run: the queue is closed")

// Queue runs items, several at once, paced below the service's rate limit.
// All its methods are safe for concurrent use. Add, Cancel, Retry and
// Remove may call the Recorder: call them off the UI thread.
type Queue struct {
	cfg    Config
	pacer  *pacer
	decode chan struct{} // bounds images decoded at once (memory)
	ctx    context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	items     []*item
	byID      map[string]*item
	seq       int
	paused    bool
	closed    bool
	inFlight  int
	subs      map[*Subscription]struct{}
	changed   chan struct{} // closed and replaced on every change, for Wait
	busySince time.Time     // when the queue last went from idle to busy
	idleAt    time.Time     // when it last went idle

	swept sync.Map // folders swept of dead processes' temporary files
}

// item is the queue's own record of one item; snapshots copy it.
type item struct {
	id       string
	seq      int
	spec     Spec
	state    State
	percent  int
	received int
	total    int
	taskID   string
	rect     *api.Rect // the product's place in the results, when the service says
	variants []Variant
	err      error
	warning  string
	billed   bool // a create may have reached the service without its answer
	resume   bool // the task exists: a retry waits for it instead of creating
	recorded bool // Recorder.Added succeeded
	attempts int  // creates sent
	limited  int  // 429 answers
	added    time.Time
	started  time.Time
	ended    time.Time
	running  bool // a worker holds it
	cancel   context.CancelFunc
	stopped  bool // Cancel was asked
	version  uint64
}

// New makes a queue. Close it when done.
func New(cfg Config) (*Queue, error) {
	if cfg.Backend == nil {
		return nil, errors.New("run: no backend")
	}
	if cfg.Rate < 0 || cfg.MaxInFlight < 0 || cfg.RunTimeout < 0 || cfg.Decoders < 0 {
		return nil, fmt.Errorf("run: negative rate, in-flight cap or time bound")
	}
	if cfg.Rate == 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.RunTimeout == 0 {
		cfg.RunTimeout = DefaultRunTimeout
	}
	if cfg.CacheDir == "" {
		cfg.CacheDir = DefaultCacheDir()
	}
	if cfg.Done == nil {
		cfg.Done = Manifest{}
	}
	q := &Queue{
		cfg:     cfg,
		pacer:   newPacer(cfg.Rate, cfg.Paused),
		decode:  make(chan struct{}, cmp.Or(cfg.Decoders, max(1, runtime.GOMAXPROCS(0)))),
		byID:    make(map[string]*item),
		paused:  cfg.Paused,
		subs:    make(map[*Subscription]struct{}),
		changed: make(chan struct{}),
	}
	q.ctx, q.stop = context.WithCancel(context.Background())
	q.sweep(cfg.CacheDir)
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		q.pacer.run(q.ctx)
	}()
	return q, nil
}

// Add puts an item at the end of the queue and returns its id. The spec is
// validated first (nothing is added when it is invalid: a usage error).
// The item gets a durable id and is recorded (Recorder.Added); if that
// fails, the item is in the queue as failed, with the reason, and nothing
// is sent.
func (q *Queue) Add(s Spec) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return "", ErrClosed
	}
	id := s.ID
	if id == "" {
		id = newID()
	} else if q.byID[id] != nil {
		q.mu.Unlock()
		return "", fmt.Errorf("run: an item with id %s is already queued", id)
	}
	q.seq++
	it := &item{id: id, seq: q.seq, spec: s, state: Waiting, added: time.Now(), total: s.variants(), taskID: s.TaskID, resume: s.TaskID != ""}
	if it.resume {
		it.variants = append([]Variant(nil), s.Existing...)
		it.received = len(it.variants)
	}
	// Held until recorded: not dispatched while running is set.
	it.running = true
	q.items = append(q.items, it)
	q.byID[id] = it
	q.changedLocked(it)
	q.mu.Unlock()

	err := q.record(func(r Recorder) error { return r.Added(AddedRecord{ID: id, Spec: s, At: it.added}) })

	q.mu.Lock()
	it.running = false
	cancelled := false
	switch {
	case err != nil:
		q.endLocked(it, Failed, fmt.Errorf("%w: could not record it: %v", errNotSent, err))
	case it.stopped: // cancelled while being recorded
		it.recorded, cancelled = true, true
		q.endLocked(it, Cancelled, errCancelled)
	default:
		it.recorded = true
	}
	q.changedLocked(it)
	q.dispatchLocked()
	q.mu.Unlock()
	if err != nil {
		q.recordEnded(id, EndRecord{State: Failed, Err: it.snapshotErr()})
	}
	if cancelled {
		q.recordEnded(id, EndRecord{State: Cancelled, Err: errCancelled.Error()})
	}
	return id, nil
}

func (it *item) snapshotErr() string {
	if it.err == nil {
		return ""
	}
	return it.err.Error()
}

func newID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// sweep removes, once per queue, the temporary files that processes which
// ended (a crash, a kill) left in dir.
func (q *Queue) sweep(dir string) {
	if dir == "" {
		return
	}
	if _, done := q.swept.LoadOrStore(dir, true); !done {
		SweepTemp(dir)
	}
}

// record calls fn with the Recorder, if there is one.
func (q *Queue) record(fn func(Recorder) error) error {
	if q.cfg.Recorder == nil {
		return nil
	}
	return fn(q.cfg.Recorder)
}

// Pause stops sending: nothing new is created or started; what is at the
// service finishes and is saved.
func (q *Queue) Pause() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.paused = true
	q.pacer.setPaused(true)
	q.notifyLocked()
}

// Resume lets waiting items go again.
func (q *Queue) Resume() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.paused = false
	q.pacer.setPaused(false)
	q.dispatchLocked()
	q.notifyLocked()
}

// Closed reports whether Close was called.
func (q *Queue) Closed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// Paused reports whether the queue is paused.
func (q *Queue) Paused() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.paused
}

// SetRate changes the service's limit, in creates per second.
func (q *Queue) SetRate(perSecond float64) error {
	if perSecond <= 0 {
		return fmt.Errorf("run: the rate must be positive (got %v)", perSecond)
	}
	q.pacer.setRate(perSecond)
	return nil
}

// SetMaxInFlight changes how many items may be worked on at once.
func (q *Queue) SetMaxInFlight(n int) error {
	if n < 1 {
		return fmt.Errorf("run: the in-flight cap must be at least 1 (got %d)", n)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.cfg.MaxInFlight = n
	q.dispatchLocked()
	return nil
}

// Throttle slows every create down as a 429 does: none for d, then at a
// lower rate. For a client that sees a 429 the queue does not.
func (q *Queue) Throttle(d time.Duration) { q.pacer.rateLimited(d) }

// Cancel stops one item: a waiting one ends at once; a running one stops
// waiting and downloading (a task already created keeps its id, so its
// results can still be fetched for about an hour).
func (q *Queue) Cancel(id string) error {
	q.mu.Lock()
	it := q.byID[id]
	if it == nil {
		q.mu.Unlock()
		return fmt.Errorf("run: no item %s", id)
	}
	ended := q.cancelLocked(it)
	q.mu.Unlock()
	if ended {
		q.recordEnded(it.id, EndRecord{State: Cancelled, Err: "cancelled"})
	}
	return nil
}

// CancelAll stops every item that is not finished.
func (q *Queue) CancelAll() {
	q.mu.Lock()
	var ended []string
	for _, it := range q.items {
		if q.cancelLocked(it) {
			ended = append(ended, it.id)
		}
	}
	q.mu.Unlock()
	for _, id := range ended {
		q.recordEnded(id, EndRecord{State: Cancelled, Err: "cancelled"})
	}
}

// cancelLocked cancels it; true when it ended here (it was not running).
func (q *Queue) cancelLocked(it *item) bool {
	if it.state.Finished() {
		return false
	}
	it.stopped = true
	if it.running {
		if it.cancel != nil {
			it.cancel()
		}
		return false
	}
	q.endLocked(it, Cancelled, errCancelled)
	return it.recorded
}

var errCancelled = errors.New("cancelled")

// Retry sends a failed or cancelled item again. A task that was created
// and did not fail at the service is waited for and downloaded, never
// created again; variants already saved are kept.
func (q *Queue) Retry(id string) error {
	q.mu.Lock()
	it := q.byID[id]
	if it == nil {
		q.mu.Unlock()
		return fmt.Errorf("run: no item %s", id)
	}
	if it.running || (it.state != Failed && it.state != Cancelled) {
		q.mu.Unlock()
		return fmt.Errorf("run: %s is %s; only failed or cancelled items can be retried", it.spec.Name(), it.state)
	}
	needRecord := !it.recorded
	spec := it.spec
	if needRecord {
		it.running = true // held while recording
	}
	q.mu.Unlock()

	var err error
	if needRecord {
		err = q.record(func(r Recorder) error { return r.Added(AddedRecord{ID: id, Spec: spec, At: time.Now()}) })
	}

	q.mu.Lock()
	defer q.mu.Unlock()
	if needRecord {
		it.running = false
		if err != nil {
			it.err = fmt.Errorf("%w: could not record it: %v", errNotSent, err)
			q.changedLocked(it)
			return it.err
		}
		it.recorded = true
	}
	q.resetLocked(it)
	q.dispatchLocked()
	return nil
}

// RetryFailed retries every failed item except those whose create may have
// reached the service without an answer (Snapshot.MayBeBilled): those are
// retried only one by one, on purpose. It returns how many it retried.
func (q *Queue) RetryFailed() int {
	q.mu.Lock()
	var ids []string
	for _, it := range q.items {
		if it.state == Failed && !it.running && !(it.billed && !it.resume) {
			ids = append(ids, it.id)
		}
	}
	q.mu.Unlock()
	n := 0
	for _, id := range ids {
		if q.Retry(id) == nil {
			n++
		}
	}
	return n
}

func (q *Queue) resetLocked(it *item) {
	it.state, it.err, it.percent, it.received = Waiting, nil, 0, 0
	it.stopped, it.billed = false, false
	it.ended = time.Time{}
	if !it.resume {
		it.taskID, it.variants = "", nil
	}
	q.changedLocked(it)
}

// RunAgain adds a new item doing the same work as id, even though it is
// done ("Run again"), and returns the new item's id.
func (q *Queue) RunAgain(id string) (string, error) {
	q.mu.Lock()
	it := q.byID[id]
	if it == nil {
		q.mu.Unlock()
		return "", fmt.Errorf("run: no item %s", id)
	}
	s := it.spec
	q.mu.Unlock()
	// New work: a new id, and a new task rather than the old one's results.
	s.ID, s.TaskID, s.Force = "", "", true
	return q.Add(s)
}

// Edit changes a waiting item that has not started (the window edits the
// prompt or options of an item before Generate); the Recorder hears of
// the new spec before it applies.
func (q *Queue) Edit(id string, change func(*Spec)) error {
	q.mu.Lock()
	it := q.byID[id]
	if it == nil {
		q.mu.Unlock()
		return fmt.Errorf("run: no item %s", id)
	}
	if it.running || it.state != Waiting || it.resume {
		q.mu.Unlock()
		return fmt.Errorf("run: %s has started; it can no longer be edited", it.spec.Name())
	}
	s := it.spec
	change(&s)
	s.ID, s.TaskID, s.Existing = it.spec.ID, it.spec.TaskID, it.spec.Existing
	if err := s.Validate(); err != nil {
		q.mu.Unlock()
		return err
	}
	recorded := it.recorded
	if recorded {
		it.running = true // held while recording: not dispatched meanwhile
	}
	q.mu.Unlock()

	var err error
	if recorded {
		err = q.record(func(r Recorder) error { return r.Edited(id, s) })
	}

	q.mu.Lock()
	if recorded {
		it.running = false
	}
	if err == nil {
		it.spec, it.total = s, s.variants()
	}
	cancelled := it.stopped && !it.state.Finished() // cancelled while held
	if cancelled {
		q.endLocked(it, Cancelled, errCancelled)
	}
	q.changedLocked(it)
	q.dispatchLocked()
	q.mu.Unlock()
	if cancelled {
		q.recordEnded(id, EndRecord{State: Cancelled, Err: errCancelled.Error()})
	}
	if err != nil {
		return fmt.Errorf("run: the change could not be recorded: %w", err)
	}
	return nil
}

// Remove takes an item that is not running out of the queue; a waiting
// one is cancelled first.
func (q *Queue) Remove(id string) error {
	q.mu.Lock()
	it := q.byID[id]
	if it == nil {
		q.mu.Unlock()
		return fmt.Errorf("run: no item %s", id)
	}
	if it.running {
		q.mu.Unlock()
		return fmt.Errorf("run: %s is running; cancel it first", it.spec.Name())
	}
	ended := q.cancelLocked(it)
	delete(q.byID, id)
	for i, x := range q.items {
		if x == it {
			q.items = append(q.items[:i], q.items[i+1:]...)
			break
		}
	}
	for s := range q.subs {
		s.removed = append(s.removed, id)
	}
	q.notifyLocked()
	q.mu.Unlock()
	if ended {
		q.recordEnded(id, EndRecord{State: Cancelled, Err: "cancelled"})
	}
	return nil
}

// Wait returns when no item is waiting or running (all finished), or
// with ctx's error. A paused queue with waiting items waits for Resume.
func (q *Queue) Wait(ctx context.Context) error {
	for {
		q.mu.Lock()
		idle := q.idleLocked()
		closed := q.closed && q.inFlight == 0
		ch := q.changed
		q.mu.Unlock()
		if idle {
			return nil
		}
		if closed {
			return ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (q *Queue) idleLocked() bool {
	for _, it := range q.items {
		if it.running || !it.state.Finished() {
			return false
		}
	}
	return true
}

// Close stops every worker, waits for them and stops the queue; it is
// idempotent. Unlike CancelAll, it records no item as ended: items under
// way stay "under way" for the Recorder, so that the next start resumes
// them (their task ids are recorded) instead of forgetting them.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.pacer.setPaused(true)
	q.notifyLocked()
	q.mu.Unlock()
	q.stop()
	q.wg.Wait()
}

// dispatchLocked starts workers for waiting items while the queue may.
// A paused queue still fetches tasks that exist (resumed ones, retries of
// created ones): pausing stops what would be sent and billed, not what
// was paid for already, whose links expire.
func (q *Queue) dispatchLocked() {
	if q.closed {
		return
	}
	for _, it := range q.items {
		if q.inFlight >= q.cfg.MaxInFlight {
			return
		}
		if it.running || it.state != Waiting || (q.paused && !it.resume) {
			continue
		}
		if q.busySince.IsZero() || !q.idleAt.IsZero() {
			q.busySince, q.idleAt = time.Now(), time.Time{}
		}
		ctx, cancel := context.WithCancel(q.ctx)
		it.running, it.cancel = true, cancel
		q.inFlight++
		var ticket *waiter
		if !it.resume {
			ticket = q.pacer.ticket(it.seq) // its place in line, taken in queue order
		}
		q.wg.Add(1)
		go func() {
			defer q.wg.Done()
			defer cancel()
			defer q.pacer.withdraw(ticket)
			q.work(ctx, it, ticket)
		}()
	}
}

// release is called by a worker when it is done with its item.
func (q *Queue) release(it *item) {
	q.mu.Lock()
	defer q.mu.Unlock()
	it.running, it.cancel = false, nil
	q.inFlight--
	q.markIdleLocked()
	q.changedLocked(it)
	q.dispatchLocked()
}

// endLocked puts it in a final state.
func (q *Queue) endLocked(it *item, s State, err error) {
	it.state, it.err, it.ended = s, err, time.Now()
	if s == Done || s == Skipped {
		it.err = nil
	}
	q.markIdleLocked()
	q.changedLocked(it)
}

// markIdleLocked notes when the queue's busy spell ended, for Elapsed.
func (q *Queue) markIdleLocked() {
	if !q.busySince.IsZero() && q.idleAt.IsZero() && q.idleLocked() {
		q.idleAt = time.Now()
	}
}

func (q *Queue) recordEnded(id string, e EndRecord) {
	if err := q.record(func(r Recorder) error { return r.Ended(id, e) }); err != nil {
		q.warn(id, "could not record the end: "+err.Error())
	}
}

// warn notes a recording problem that did not stop the item.
func (q *Queue) warn(id, text string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if it := q.byID[id]; it != nil {
		if it.warning != "" {
			it.warning += "; "
		}
		it.warning += text
		q.changedLocked(it)
	}
}

// changedLocked marks it changed and tells the observers.
func (q *Queue) changedLocked(it *item) {
	it.version++
	q.notifyLocked()
}

func (q *Queue) notifyLocked() {
	close(q.changed)
	q.changed = make(chan struct{})
	for s := range q.subs {
		select {
		case s.c <- struct{}{}:
		default:
		}
	}
}
