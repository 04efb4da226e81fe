package api

import (
	"context"
	"fmt"
	"io"
	"net/http/httptrace"
	"sync"
	"time"
)

// Timeouts are the time limits of one request, phase by phase. They hold
// on every request whatever *http.Client is used: a watchdog fed by
// httptrace events cancels the request when its phase runs over, and the
// answer's body is read through a reader that fails when no byte has come
// for Idle.
type Timeouts struct {
	Connect time.Duration // DNS lookup and TCP connect, or waiting for a pooled connection
	TLS     time.Duration // the TLS handshake
	// Headers limits, from the end of the upload to the answer's headers:
	CreateHeaders     time.Duration // an async create (sync=0)
	SyncCreateHeaders time.Duration // a sync create: the service answers when the images are made
	PollHeaders       time.Duration // GET /task/{id}, a small answer
	DownloadHeaders   time.Duration // a result download
	// Idle limits a stall: no byte of the upload taken, or of the answer
	// received, for this long. A JSON answer must also arrive whole within
	// its headers limit.
	Idle time.Duration
}

// DefaultTimeouts are the limits of a client made without WithTimeouts.
// The provider times out its own work at about 30 s, but a sync create can
// queue behind other tasks, hence minutes for its headers.
var DefaultTimeouts = Timeouts{
	Connect:           15 * time.Second,
	TLS:               15 * time.Second,
	CreateHeaders:     60 * time.Second,
	SyncCreateHeaders: 3 * time.Minute,
	PollHeaders:       20 * time.Second,
	DownloadHeaders:   30 * time.Second,
	Idle:              30 * time.Second,
}

// WithTimeouts sets the per-request time limits; zero fields keep their
// value from DefaultTimeouts.
func WithTimeouts(t Timeouts) Option {
	return func(c *Client) error {
		merged := c.timeouts
		for _, f := range []struct {
			dst *time.Duration
			v   time.Duration
		}{
			{&merged.Connect, t.Connect}, {&merged.TLS, t.TLS},
			{&merged.CreateHeaders, t.CreateHeaders}, {&merged.SyncCreateHeaders, t.SyncCreateHeaders},
			{&merged.PollHeaders, t.PollHeaders}, {&merged.DownloadHeaders, t.DownloadHeaders},
			{&merged.Idle, t.Idle},
		} {
			if f.v < 0 {
				return fmt.Errorf("api: negative time limit %v", f.v)
			}
			if f.v > 0 {
				*f.dst = f.v
			}
		}
		c.timeouts = merged
		return nil
	}
}

// phase is where a request is; phases only move forward, except on a
// redirect, which starts over.
type phase int

const (
	phaseStart phase = iota // before the transport says anything
	phaseConnecting
	phaseTLS
	phaseSending
	phaseWaiting
	phaseReading
	phaseDone
)

func (p phase) String() string {
	switch p {
	case phaseConnecting:
		return "connecting"
	case phaseTLS:
		return "TLS handshake"
	case phaseSending:
		return "sending the image"
	case phaseWaiting, phaseStart:
		return "waiting for the answer"
	case phaseReading:
		return "reading the answer"
	}
	return "done"
}

// timeoutCause is what the watchdog cancels a request with.
type timeoutCause struct {
	phase phase
	limit time.Duration
}

func (t *timeoutCause) Error() string {
	return fmt.Sprintf("%s took longer than %s", t.phase, t.limit)
}

// Timeout and Temporary make it a net.Error, as the transport's own
// time-outs are.
func (t *timeoutCause) Timeout() bool   { return true }
func (t *timeoutCause) Temporary() bool { return true }

// watchdog enforces Timeouts on one request.
type watchdog struct {
	mu          sync.Mutex
	limits      Timeouts
	header      time.Duration // the headers limit of this kind of request
	bodyTotal   bool          // the answer must arrive whole within header
	timer       *time.Timer
	phase       phase
	limit       time.Duration // of the current phase
	bodyBy      time.Time     // deadline of the whole answer, if bodyTotal
	wroteHeader bool
	wroteAll    bool
	stopped     bool
	cancel      context.CancelCauseFunc
}

// watch returns a context for one request, cancelled when a phase runs
// over its limit, and the watchdog that does it; stop it when done.
func (c *Client) watch(ctx context.Context, header time.Duration, bodyTotal bool) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{limits: c.timeouts, header: header, bodyTotal: bodyTotal, cancel: cancel}
	// Until the transport reports (a custom RoundTripper may never do),
	// the request gets all the time its phases together could take.
	w.phase = phaseStart
	w.limit = w.limits.Connect + w.limits.TLS + header
	w.timer = time.AfterFunc(w.limit, w.fire)
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:           func(string) { w.enter(phaseConnecting, w.limits.Connect) },
		TLSHandshakeStart: func() { w.enter(phaseTLS, w.limits.TLS) },
		GotConn:           func(httptrace.GotConnInfo) { w.enter(phaseSending, w.limits.Idle) },
		WroteHeaders: func() {
			w.mu.Lock()
			w.wroteHeader = true
			w.mu.Unlock()
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err != nil {
				return // the failure itself ends the request
			}
			w.mu.Lock()
			w.wroteAll = true
			w.mu.Unlock()
			w.enter(phaseWaiting, header)
		},
		GotFirstResponseByte: func() { w.enter(phaseReading, w.limits.Idle) },
	})
	return context.WithValue(ctx, watchdogKey{}, w), w
}

type watchdogKey struct{}

func watchdogOf(ctx context.Context) *watchdog {
	w, _ := ctx.Value(watchdogKey{}).(*watchdog)
	return w
}

// enter moves to phase p with limit d, if p is ahead of the current one.
func (w *watchdog) enter(p phase, d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped || p <= w.phase {
		return
	}
	w.phase = p
	if p == phaseReading && w.bodyTotal {
		w.bodyBy = time.Now().Add(w.header)
	}
	w.arm(d)
}

// arm restarts the timer for d, never past the answer's deadline.
func (w *watchdog) arm(d time.Duration) {
	if !w.bodyBy.IsZero() {
		if left := time.Until(w.bodyBy); left < d {
			d = max(left, 0)
			w.limit = w.header
		} else {
			w.limit = d
		}
	} else {
		w.limit = d
	}
	w.timer.Reset(d)
}

// progress is called when bytes move: the idle limit starts over.
func (w *watchdog) progress() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped || (w.phase != phaseSending && w.phase != phaseReading) {
		return
	}
	w.arm(w.limits.Idle)
}

// redirected starts the phases over for the next request of a redirect.
func (w *watchdog) redirected() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	w.phase, w.bodyBy = phaseStart, time.Time{}
	w.arm(w.limits.Connect + w.limits.TLS + w.header)
}

func (w *watchdog) fire() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	cause := &timeoutCause{phase: w.phase, limit: w.limit}
	w.mu.Unlock()
	w.cancel(cause)
}

// stop ends the watch and releases the request's context.
func (w *watchdog) stop() {
	w.mu.Lock()
	w.stopped = true
	w.timer.Stop()
	w.mu.Unlock()
	w.cancel(nil)
}

// state reports how far the request got.
func (w *watchdog) state() (p phase, wroteHeader, wroteAll bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.phase, w.wroteHeader, w.wroteAll
}

// watchedReader reports progress to the watchdog on every read, so that a
// stalled upload or answer fails after the idle limit.
type watchedReader struct {
	r io.Reader
	w *watchdog
}

func (r watchedReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.w.progress()
	}
	return n, err
}
