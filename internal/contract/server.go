// Package contract is an in-process implementation of the add-background
// service's HTTP contract (the vendor's page and api-contract.md): the API
// client's tests run against it, `backdrop serve` serves it, and the app can
// use it offline.
// Knobs (Options) make it answer every way the real service is known to.
package contract

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"
)

// Server implements the service. Create it with New; it is an http.Handler.
type Server struct {
	cfg    config
	mux    *http.ServeMux
	client *http.Client

	base context.Context // parent of all work; cancelled by Close
	stop context.CancelCauseFunc
	wg   sync.WaitGroup // task goroutines, so Close can wait for them
	slot chan struct{}  // bounds painter calls to GOMAXPROCS across tasks

	mu       sync.Mutex
	closed   bool
	tasks    map[string]*task
	order    []*task // creation order, for Tasks() and sweeping
	creates  []CreateRecord
	gets     int
	createRL int         // create requests answered 429 so far
	getRL    int         // GETs answered 429 so far
	getFails int         // GETs answered WithFailGETs' status so far
	sweeper  *time.Timer // expires results of an idle server; see expireLater
}

var (
	errClosed     = errors.New("the service is shutting down")
	errClientGone = errors.New("the sync request went away")
	errTimedOut   = errors.New("processing timed out")
)

// New returns a running server; call Close to stop its work.
func New(opts ...Option) *Server {
	cfg := config{
		painter:     PlainPainter{},
		resultTTL:   DefaultResultTTL,
		taskTimeout: DefaultTaskTimeout,
		maxFile:     DefaultMaxFileSize,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:    cfg,
		client: cfg.client,
		slot:   make(chan struct{}, runtime.GOMAXPROCS(0)),
		tasks:  make(map[string]*task),
	}
	if s.client == nil {
		// A transport of our own, so Close can drop its idle connections
		// (and their goroutines) without touching anyone else's.
		s.client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	s.base, s.stop = context.WithCancelCause(context.Background())
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /task/pic/background", s.handleCreate)
	s.mux.HandleFunc("GET /task/{id}", s.handleGet)
	s.mux.HandleFunc("GET /results/{id}/{name}", s.handleResult)
	return s
}

// ServeHTTP applies the latency knob and logging around the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	if sleep(r.Context(), s.cfg.latency) {
		s.mux.ServeHTTP(rec, r)
	}
	if l := s.cfg.logger; l != nil {
		l.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.code()),
			slog.Int64("bytes", rec.n),
			slog.Duration("took", time.Since(start)),
			slog.String("remote", r.RemoteAddr))
	}
}

// Close cancels running work (those tasks end with state -1), waits for it
// and for callbacks in flight, and refuses new tasks. It is idempotent.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	if s.sweeper != nil {
		s.sweeper.Stop()
		s.sweeper = nil
	}
	s.mu.Unlock()
	s.stop(errClosed)
	s.wg.Wait()
	s.client.CloseIdleConnections()
}

// sleep waits d or until ctx ends; it reports whether the wait was complete.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// statusRecorder remembers the status and size of an answer for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	n      int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.n += int64(n)
	return n, err
}

func (r *statusRecorder) code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
