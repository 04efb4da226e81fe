package contract

import (
	"context"
	"errors"
	"io"
	"net/http"
)

// handleCreate is POST /task/pic/background. The whole body is read before
// answering, even to refuse it, so that the client always gets to read the
// answer instead of a reset connection; the body is capped all the same.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.maxFile+bodySlack)
	f, err := readForm(r, s.cfg.maxFile)
	_, _ = io.Copy(io.Discard, r.Body)
	if err == nil {
		err = f.validate()
	}
	rec := newCreateRecord(r, f, s.authorized(r))
	var fe *formError
	switch {
	case !rec.AuthOK:
		s.record(rec, http.StatusUnauthorized)
		s.writeUnauthorized(w)
	case s.take(&s.createRL, s.cfg.rateLimit):
		s.record(rec, http.StatusTooManyRequests)
		s.writeRateLimited(w)
	case errors.As(err, &fe):
		s.record(rec, fe.status)
		s.writeError(w, fe.status, fe.msg)
	default:
		s.create(w, r, f, rec)
	}
}

// create starts a task and answers at once (async) or with its end (sync).
func (s *Server) create(w http.ResponseWriter, r *http.Request, f *createForm, rec CreateRecord) {
	s.sweep()
	ctx, cancel := context.WithCancelCause(s.base)
	t := newTask(newID(), origin(r), f, cancel)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		cancel(nil)
		s.record(rec, http.StatusServiceUnavailable)
		s.writeError(w, http.StatusServiceUnavailable, errClosed.Error())
		return
	}
	s.tasks[t.id] = t
	s.order = append(s.order, t)
	rec.TaskID, rec.Status = t.id, http.StatusOK
	s.keepRecord(rec)
	s.wg.Add(1)
	s.mu.Unlock()

	sync := (f.sync || s.cfg.forceSync) && !s.cfg.ignoreSync
	if sync {
		// The work is for this request only: stop it if the client leaves.
		stop := context.AfterFunc(r.Context(), func() { cancel(errClientGone) })
		defer stop()
	}
	go s.run(ctx, t)
	if !sync {
		writeOK(w, createdData{TaskID: t.id, State: StateQueued})
		return
	}
	select {
	case <-t.done:
		writeOK(w, s.view(t, origin(r), nil))
	case <-r.Context().Done():
	}
}

// origin is the scheme and host the client used, for absolute result URLs.
func origin(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// take consumes one of the first limit uses counted by *used (under s.mu).
func (s *Server) take(used *int, limit int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *used >= limit {
		return false
	}
	*used++
	return true
}
