package ui

import (
	"context"
	"io"
	"net/http"
	"time"

	"backdrop/internal/app"
	"backdrop/internal/library"
	"backdrop/internal/run"
	"backdrop/internal/settings"
)

// session is one backend and the queue every run on it goes through. A
// change of token, endpoint or time limit starts a new session; the old
// one keeps its runs going to their end (a settings change never stops a
// run under way) and is closed with the window.
type session struct {
	backend Backend
	queue   *run.Queue
	rec     *app.LibraryRecorder // maps items to library runs; nil without a library
	sub     *run.Subscription
	limit   time.Duration // the queue's time bound of one run
	offline bool
	stopped chan struct{} // closed when the bridge stops following it
}

// newSession makes the queue on b for the settings s: with the library,
// it records every item there, skips work the library knows is done and
// asks dailyCap before each create on the service.
func newSession(b Backend, s settings.Settings, lib *library.Store, dailyCap func() int) (*session, error) {
	cfg := queueConfig(s)
	var q *run.Queue
	var rec *app.LibraryRecorder
	var err error
	if lib != nil {
		q, rec, err = b.NewLibraryQueue(cfg, app.QueueOptions{Library: lib, DailyCap: dailyCap, CapHint: app.CapHintWindow})
	} else {
		q, err = b.NewQueue(cfg)
	}
	if err != nil {
		return nil, err
	}
	return &session{backend: b, queue: q, rec: rec, limit: cfg.RunTimeout, offline: b.Offline(), stopped: make(chan struct{})}, nil
}

// queueConfig is the queue's part of the settings.
func queueConfig(s settings.Settings) run.Config {
	limit := s.RunLimit
	if limit <= 0 {
		limit = settings.DefaultRunLimit
	}
	rate := s.Rate
	if rate <= 0 {
		rate = settings.DefaultRate
	}
	return run.Config{Rate: rate, RunTimeout: limit}
}

// options are the settings that go with each item added now.
func itemOptions(s settings.Settings) run.Options {
	o := run.Options{
		Sync:        s.Sync,
		CallbackURL: s.CallbackURL,
		Format:      run.PNG,
		Template:    s.Template,
		OutDir:      s.OutputDir,
	}
	if s.Format == settings.FormatJPEG {
		o.Format, o.Quality = run.JPEG, s.Quality
	}
	return o
}

// close stops the queue (runs under way stay recorded as under way, so
// the next start picks them up) and the backend.
func (s *session) close() {
	if s.sub != nil {
		s.sub.Close()
	}
	s.queue.Close()
	s.backend.Close()
}

// probe asks the endpoint for anything: an answer of any status means it
// is reachable; only the network failing is an error.
func probe(ctx context.Context, hc *http.Client, endpoint string) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return &unreachableError{endpoint: endpoint, err: err}
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return nil
}

const probeTimeout = 8 * time.Second

// unreachableError is the endpoint not answering the window's probe.
type unreachableError struct {
	endpoint string
	err      error
}

func (e *unreachableError) Error() string { return "cannot reach " + e.endpoint + ": " + e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }
