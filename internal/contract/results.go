package contract

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// taskKeep is how long a finished task can still be queried; its images go
// earlier, after the result TTL.
const taskKeep = 24 * time.Hour

// handleResult is GET /results/{id}/{n}.png: a "presigned" URL, so no token.
// It answers 404 for what never existed and 410 for what has expired.
func (s *Server) handleResult(w http.ResponseWriter, r *http.Request) {
	s.sweep()
	num, ok := strings.CutSuffix(r.PathValue("name"), ".png")
	n, err := strconv.Atoi(num)
	t := s.lookup(r.PathValue("id"))
	if !ok || err != nil || t == nil {
		http.NotFound(w, r)
		return
	}
	snap := t.snapshot()
	switch {
	case snap.expired:
		http.Error(w, "result expired", http.StatusGone)
		return
	case n < 1 || n > len(snap.results):
		http.NotFound(w, r)
		return
	}
	left := s.cfg.resultTTL - time.Since(snap.completed)
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age="+strconv.Itoa(max(int(left.Seconds()), 0)))
	http.ServeContent(w, r, "", snap.completed, bytes.NewReader(snap.results[n-1].png))
}

// sweep drops expired images and forgotten tasks. It runs on requests, so
// an idle server needs no goroutine of its own.
func (s *Server) sweep() {
	now := time.Now()
	keep := max(taskKeep, s.cfg.resultTTL)
	s.mu.Lock()
	defer s.mu.Unlock()
	live := s.order[:0]
	for _, t := range s.order {
		t.mu.Lock()
		ended := t.completed
		if !ended.IsZero() && !t.expired && now.Sub(ended) >= s.cfg.resultTTL {
			t.expire()
		}
		t.mu.Unlock()
		if !ended.IsZero() && now.Sub(ended) >= keep {
			delete(s.tasks, t.id)
			continue
		}
		live = append(live, t)
	}
	clear(s.order[len(live):])
	s.order = live
}

// expire forgets the image bytes but keeps their sizes for the answers.
// It builds a new slice: snapshots may still be reading the old one.
func (t *task) expire() {
	kept := make([]result, len(t.results))
	for i, r := range t.results {
		kept[i] = result{size: r.size, fg: r.fg}
	}
	t.results, t.expired = kept, true
}
