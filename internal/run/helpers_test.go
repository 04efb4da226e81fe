package run

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

func TestMain(m *testing.M) {
	// Waits in tests are short; a real queue backs off from 1 s.
	waitBackoff = 20 * time.Millisecond
	goleak.VerifyTestMain(m)
}

const token = "sk-run-test"

// service is the contract server on loopback, with what these tests need
// on top: the time every create arrived, and an optional strict rate
// limit (at most limit creates in any window of one second, else 429).
type service struct {
	srv     *contract.Server
	url     string
	limit   int
	latency time.Duration // tasks answer "processing" this long after their create
	started map[string]time.Time

	mu      sync.Mutex
	arrived []createSeen
}

type createSeen struct {
	at     time.Time
	status int
}

func newService(t testing.TB, limit int, opts ...contract.Option) *service {
	t.Helper()
	s := &service{limit: limit, started: map[string]time.Time{}}
	s.srv = contract.New(append([]contract.Option{contract.WithToken(token), contract.WithRecords(true)}, opts...)...)
	hs := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.srv.Close()
		hs.Close()
	})
	s.url = hs.URL
	return s
}

func (s *service) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		if id, ok := strings.CutPrefix(r.URL.Path, "/task/"); ok && s.busy(id) {
			// The task is still "processing" at the service.
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"status":200,"data":{"task_id":%q,"state":4,"progress":50}}`, id)
			return
		}
		s.srv.ServeHTTP(w, r)
		return
	}
	now := time.Now()
	s.mu.Lock()
	n := 0
	for _, c := range s.arrived {
		if c.status == http.StatusOK && now.Sub(c.at) < time.Second {
			n++
		}
	}
	limited := s.limit > 0 && n >= s.limit
	s.mu.Unlock()
	rec := &statusWriter{ResponseWriter: w, body: s.latency > 0}
	if limited {
		w.Header().Set("Retry-After", "1")
		http.Error(w, `{"status":429,"message":"too many requests"}`, http.StatusTooManyRequests)
		rec.status = http.StatusTooManyRequests
	} else {
		s.srv.ServeHTTP(rec, r)
	}
	s.mu.Lock()
	s.arrived = append(s.arrived, createSeen{at: now, status: rec.code()})
	if s.latency > 0 {
		var ans struct {
			Data struct {
				TaskID string `json:"task_id"`
			} `json:"data"`
		}
		if json.Unmarshal(rec.buf.Bytes(), &ans) == nil && ans.Data.TaskID != "" {
			s.started[ans.Data.TaskID] = now
		}
	}
	s.mu.Unlock()
}

// busy reports whether a task is younger than the latency knob.
func (s *service) busy(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.started[id]
	return ok && time.Since(at) < s.latency
}

// creates returns the creates seen, in arrival order.
func (s *service) creates() []createSeen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.arrived)
}

// accepted counts the creates that made a task, by the server's own record.
func (s *service) accepted() int {
	n := 0
	for _, c := range s.srv.Creates() {
		if c.TaskID != "" {
			n++
		}
	}
	return n
}

type statusWriter struct {
	http.ResponseWriter
	status int
	body   bool // keep a copy of the body
	buf    bytes.Buffer
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.body {
		w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// client talks to url with a transport of its own (closed at the end, for
// goleak), polling fast.
func client(t testing.TB, url string, opts ...api.Option) *api.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	c, err := api.NewClient(append([]api.Option{api.WithBaseURL(url), api.WithToken(token),
		api.WithPollInterval(10 * time.Millisecond), api.WithRetry(4, 10*time.Millisecond),
		api.WithHTTPClient(&http.Client{Transport: tr})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newQueue makes a queue closed at the end of the test.
func newQueue(t testing.TB, cfg Config) *Queue {
	t.Helper()
	if cfg.CacheDir == "" {
		cfg.CacheDir = t.TempDir()
	}
	q, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	return q
}

// shots writes n product shots named shot-01.png… into a new folder.
func shots(t testing.TB, n int) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for i := range n {
		out = append(out, testshot.Write(t, dir, fmt.Sprintf("shot-%02d.png", i+1), 40+i, 30))
	}
	return out
}

// waitIdle waits for the queue to finish, failing the test after a while.
func waitIdle(t testing.TB, q *Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := q.Wait(ctx); err != nil {
		t.Fatalf("queue did not finish: %v\n%s", err, describe(q))
	}
}

// waitFor waits until cond holds for the queue's items.
func waitFor(t testing.TB, q *Queue, what string, cond func([]Snapshot) bool) {
	t.Helper()
	sub := q.Subscribe()
	defer sub.Close()
	timeout := time.After(30 * time.Second)
	for {
		if cond(q.Items()) {
			return
		}
		select {
		case <-sub.C():
			sub.Changes()
		case <-timeout:
			t.Fatalf("never saw %s:\n%s", what, describe(q))
		}
	}
}

func describe(q *Queue) string {
	var b strings.Builder
	for _, s := range q.Items() {
		fmt.Fprintf(&b, "  %s: %s task=%q creates=%d 429s=%d\n", s.Name(), s.Label(), s.TaskID, s.Creates, s.RateLimited)
	}
	return b.String()
}

func mustAdd(t testing.TB, q *Queue, s Spec) string {
	t.Helper()
	id, err := q.Add(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// decodeFile checks that path is a whole image and returns its format.
func decodeFile(t testing.TB, path string) (image.Image, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, format, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img, format
}

func names(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}
