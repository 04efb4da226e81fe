package contract

import "net/http"

// handleGet is GET /task/{id}: the task's current state, or the next
// scripted step. Knobs that fail GETs act before the task is looked up.
func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.gets++
	s.mu.Unlock()
	switch {
	case !s.authorized(r):
		s.writeUnauthorized(w)
		return
	case s.take(&s.getRL, s.cfg.getRateLimit):
		s.writeRateLimited(w)
		return
	case s.take(&s.getFails, s.cfg.failGETs):
		code := s.cfg.failGETStatus
		s.writeErrorAs(w, code, http.StatusText(code), false)
		return
	}
	s.sweep()
	t := s.lookup(r.PathValue("id"))
	if t == nil {
		s.writeError(w, http.StatusNotFound, "task not found")
		return
	}
	if step, ok := t.nextStep(s.cfg.script); ok && step.State != StateDone {
		writeOK(w, s.view(t, origin(r), &step))
		return
	}
	if len(s.cfg.script) > 0 {
		// Past the script the client must see the end, whatever the timing.
		select {
		case <-t.done:
		case <-r.Context().Done():
			return
		}
	}
	writeOK(w, s.view(t, origin(r), nil))
}

func (s *Server) lookup(id string) *task {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tasks[id]
}
