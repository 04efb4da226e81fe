package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Knobs make a contract server behave like a busy service, for trying the
// queue (`backdrop serve --rate-limit 2 --latency 2s`, the queue
// benchmark, the kill test).
type Knobs struct {
	// RateLimit is how many creates the server accepts in any one second;
	// more are answered 429 with Retry-After, creating nothing. 0: none.
	RateLimit int
	// TaskLatency is how long each task answers "processing" after its
	// create, whatever the painter takes.
	TaskLatency time.Duration
}

// KnobServer is a contract server (or any handler of the contract) behind
// Knobs. It counts what it answered.
type KnobServer struct {
	h http.Handler
	k Knobs

	mu       sync.Mutex
	recent   []time.Time          // accepted creates within the last second
	started  map[string]time.Time // task id → its create
	accepted int
	limited  int
	arrivals []time.Time // of the accepted creates
}

// Arrivals returns when each accepted create arrived, in order.
func (s *KnobServer) Arrivals() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.arrivals...)
}

// WithKnobs puts h behind k.
func WithKnobs(h http.Handler, k Knobs) *KnobServer {
	return &KnobServer{h: h, k: k, started: map[string]time.Time{}}
}

// Counts returns the creates accepted and those answered 429.
func (s *KnobServer) Counts() (accepted, limited int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted, s.limited
}

func (s *KnobServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/task/pic/background"):
		s.create(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/task/"):
		id := strings.TrimPrefix(r.URL.Path, "/task/")
		if left, ok := s.working(id); ok {
			w.Header().Set("Content-Type", "application/json")
			progress := 100 - int(100*left/max(s.k.TaskLatency, 1))
			fmt.Fprintf(w, `{"status":200,"data":{"task_id":%q,"state":4,"progress":%d}}`, id, min(max(progress, 1), 99))
			return
		}
		s.h.ServeHTTP(w, r)
	default:
		s.h.ServeHTTP(w, r)
	}
}

// working says whether a task is still within its latency, and how long
// it has left.
func (s *KnobServer) working(id string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.started[id]
	if !ok {
		return 0, false
	}
	left := s.k.TaskLatency - time.Since(at)
	return left, left > 0
}

func (s *KnobServer) create(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	s.mu.Lock()
	keep := s.recent[:0]
	for _, t := range s.recent {
		if now.Sub(t) < time.Second {
			keep = append(keep, t)
		}
	}
	s.recent = keep
	if s.k.RateLimit > 0 && len(s.recent) >= s.k.RateLimit {
		s.limited++
		wait := time.Second - now.Sub(s.recent[0])
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", fmt.Sprint(int((wait+time.Second-1)/time.Second)))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"status":429,"message":"too many requests: 2 a second at most"}`)
		return
	}
	s.recent = append(s.recent, now)
	s.arrivals = append(s.arrivals, now)
	s.accepted++
	s.mu.Unlock()
	tee := &teeWriter{ResponseWriter: w}
	s.h.ServeHTTP(tee, r)
	if s.k.TaskLatency <= 0 {
		return
	}
	var ans struct {
		Data struct {
			TaskID string `json:"task_id"`
		} `json:"data"`
	}
	if json.Unmarshal(tee.buf.Bytes(), &ans) == nil && ans.Data.TaskID != "" {
		s.mu.Lock()
		s.started[ans.Data.TaskID] = now
		s.mu.Unlock()
	}
}

// teeWriter keeps a copy of a (small, JSON) answer.
type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	if t.buf.Len() < 64<<10 {
		t.buf.Write(p)
	}
	return t.ResponseWriter.Write(p)
}
