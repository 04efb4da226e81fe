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
	body := snap.results[n-1].png
	cw := &countingWriter{ResponseWriter: w}
	http.ServeContent(cw, r, "", snap.completed, bytes.NewReader(body))
	if s.cfg.dropServed && r.Method == http.MethodGet && cw.status == http.StatusOK && cw.n == int64(len(body)) {
		t.served(n - 1)
	}
}

// countingWriter counts the body bytes written and keeps the status.
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (c *countingWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

// served notes that image i went out whole; once every image has, the
// task's images are dropped (WithDropServed).
func (t *task) served(i int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.expired || i >= len(t.results) {
		return
	}
	if t.sent == nil {
		t.sent = make([]bool, len(t.results))
	}
	t.sent[i] = true
	for _, ok := range t.sent {
		if !ok {
			return
		}
	}
	t.expire()
}

// expireLater makes sure a sweep runs when results expire, so that an idle
// server does not hold images until its next request.
func (s *Server) expireLater() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed && s.sweeper == nil {
		s.sweeper = time.AfterFunc(s.cfg.resultTTL, s.sweepTick)
	}
}

// sweepTick is the timer's sweep; it sets itself again while images are
// left to expire.
func (s *Server) sweepTick() {
	next := s.sweep()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweeper = nil
	if !s.closed && !next.IsZero() {
		s.sweeper = time.AfterFunc(max(time.Until(next), time.Millisecond), s.sweepTick)
	}
}

// sweep drops expired images and forgotten tasks. It runs on requests and
// on a timer (expireLater). It returns when the next images expire, or
// zero if none are left.
func (s *Server) sweep() (next time.Time) {
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
		if !ended.IsZero() && !t.expired && len(t.results) > 0 {
			if at := ended.Add(s.cfg.resultTTL); next.IsZero() || at.Before(next) {
				next = at
			}
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
	return next
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
