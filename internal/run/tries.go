package run

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// The client sends a create again by itself after a 429 (which made
// nothing), once Retry-After has passed, all inside one CreateTask. Told
// of each try by the transport (CreateTries), the queue records the run
// as waiting again through that wait, and as sending again right before
// the next try leaves: a process that ends meanwhile leaves a run that is
// simply waiting, not one that "may have been billed". Without
// CreateTries (a client of its own) the run stays "sending" from the
// first try to the answer, which errs on the safe side.

type triesKey struct{}

// tries follows the tries of one CreateTask of an attempt.
type tries struct {
	q *Queue
	a *attempt

	mu      sync.Mutex
	refused bool  // the latest try was answered 429, and recorded so
	failed  error // a try that could not be recorded as sending, kept back
}

// notOut reports whether nothing of this create is at the service: its
// latest try was refused, or kept back (then with why).
func (t *tries) notOut() (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.refused, t.failed
}

// refusedNow: the try was answered 429; nothing is out for the item.
func (t *tries) refusedNow() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.refused {
		return
	}
	t.refused = true
	t.q.setState(t.a.it, Waiting, 0) // its Recorder hears the item waits again
}

// sendingAgain is told before a try leaves. After a refusal the try
// waits for the pacer like any create (the client's own wait of
// Retry-After knows nothing of the other creates: sent on its own it
// would meet the next paced one and be refused again), then the new send
// is recorded; the try does not leave if either fails.
func (t *tries) sendingAgain(ctx context.Context) error {
	t.mu.Lock()
	refused := t.refused
	t.mu.Unlock()
	if !refused {
		return nil
	}
	if err := t.q.pacer.acquire(ctx, nil, t.a.it.seq); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.q.recordSending(t.a); err != nil {
		t.failed = fmt.Errorf("could not record it before sending it again: %v", err)
		return t.failed
	}
	t.refused, t.failed = false, nil
	t.q.setState(t.a.it, Sending, 0)
	t.q.pacer.sending()
	return nil
}

// CreateTries wraps the transport of the client a Queue's backend uses,
// so that the queue hears of each try of its creates (see above). Other
// requests pass through untouched.
func CreateTries(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return triesTransport{base}
}

type triesTransport struct{ base http.RoundTripper }

func (t triesTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tr, _ := req.Context().Value(triesKey{}).(*tries)
	if tr == nil || req.Method != http.MethodPost {
		return t.base.RoundTrip(req)
	}
	if err := tr.sendingAgain(req.Context()); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	resp, err := t.base.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		tr.refusedNow()
	}
	return resp, err
}

// CloseIdleConnections passes on to the wrapped transport.
func (t triesTransport) CloseIdleConnections() {
	type closeIdler interface{ CloseIdleConnections() }
	if c, ok := t.base.(closeIdler); ok {
		c.CloseIdleConnections()
	}
}

// watchTries returns ctx carrying the tries of one CreateTask of a.
func (q *Queue) watchTries(ctx context.Context, a *attempt) (context.Context, *tries) {
	t := &tries{q: q, a: a}
	return context.WithValue(ctx, triesKey{}, t), t
}

// recordSending tells the Recorder a create of a's item is about to leave.
func (q *Queue) recordSending(a *attempt) error {
	q.mu.Lock()
	a.it.attempts++
	n := a.it.attempts
	q.mu.Unlock()
	rec := SendingRecord{Key: a.prep.key, SourceSHA256: a.prep.sha, Attempt: n, At: time.Now()}
	return q.record(func(r Recorder) error { return r.Sending(a.it.id, rec) })
}
