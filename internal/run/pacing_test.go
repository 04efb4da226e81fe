package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
)

// maxInWindow is the most creates that arrived within any window of d.
func maxInWindow(at []time.Time, d time.Duration) int {
	best := 0
	for i := range at {
		n := 0
		for j := i; j < len(at) && at[j].Sub(at[i]) < d; j++ {
			n++
		}
		best = max(best, n)
	}
	return best
}

// With a fake service (no network in between), the creates never go
// faster than the rate, and leave in the order the items were added.
func TestQueuePacesCreatesInOrder(t *testing.T) {
	b := newFakeBackend()
	const perSecond = 10
	q := newQueue(t, Config{Backend: b, Rate: perSecond})
	files := shots(t, 12)
	for _, f := range files {
		mustAdd(t, q, Spec{ImageFile: f, Prompt: "p", Variants: 1})
	}
	waitIdle(t, q)
	cr := b.creates()
	if len(cr) != len(files) {
		t.Fatalf("%d creates for %d items", len(cr), len(files))
	}
	var at []time.Time
	for i, c := range cr {
		if c.req.ImageFile != files[i] {
			t.Fatalf("create %d was %s, want %s (queue order)", i, c.req.ImageFile, files[i])
		}
		at = append(at, c.at)
	}
	// A token bucket of one at rate r lets at most r·d+1 through in any d.
	if n := maxInWindow(at, time.Second); n > perSecond+1 {
		t.Fatalf("%d creates within one second at %d/s", n, perSecond)
	}
	if n := maxInWindow(at, 300*time.Millisecond); n > 3+1 {
		t.Fatalf("%d creates within 300 ms at %d/s", n, perSecond)
	}
	if span := at[len(at)-1].Sub(at[0]); span < time.Duration(len(at)-1)*time.Second/perSecond {
		t.Fatalf("%d creates took only %v", len(at), span)
	}
}

// Against the contract server enforcing 2 per second over HTTP, a queue
// at the default rate is never refused.
func TestQueueStaysBelowTheServiceLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	svc := newService(t, 2)
	out := t.TempDir()
	q := newQueue(t, Config{Backend: client(t, svc.url, api.WithRetry(0, time.Millisecond))})
	for _, f := range shots(t, 7) {
		mustAdd(t, q, Spec{ImageFile: f, Prompt: "p", Variants: 1, Options: Options{OutDir: out}})
	}
	waitIdle(t, q)
	var at []time.Time
	for _, c := range svc.creates() {
		if c.status != http.StatusOK {
			t.Fatalf("the server refused a create: %+v", svc.creates())
		}
		at = append(at, c.at)
	}
	if len(at) != 7 || svc.accepted() != 7 || len(names(out)) != 7 {
		t.Fatalf("%d creates, %d tasks, files %v", len(at), svc.accepted(), names(out))
	}
	if n := maxInWindow(at, time.Second); n > 2 {
		t.Fatalf("%d creates within a second", n)
	}
}

// A 429 the client gives up on re-queues the item (never fails it),
// honours Retry-After for the whole queue, and the item is done with one
// successful create.
func TestQueueRateLimitedRequeuesAndSlowsDown(t *testing.T) {
	svc := newService(t, 0, contract.WithRateLimit(2, time.Second))
	out := t.TempDir()
	// Creates a quarter second apart: a create already on its way when
	// the 429 came back could otherwise reach the server after it, which
	// says nothing of how the queue answered the 429.
	q := newQueue(t, Config{Backend: client(t, svc.url, api.WithRetry(0, time.Millisecond)), Rate: 4})
	files := shots(t, 4)
	var ids []string
	for _, f := range files {
		ids = append(ids, mustAdd(t, q, Spec{ImageFile: f, Prompt: "p", Variants: 2, Options: Options{OutDir: out}}))
	}
	waitIdle(t, q)
	limited := 0
	for _, id := range ids {
		s, _ := q.Item(id)
		if s.State != Done || len(s.Variants) != 2 {
			t.Fatalf("%s: %s", s.Name(), s.Label())
		}
		limited += s.RateLimited
	}
	if limited != 2 {
		t.Fatalf("%d items saw a 429, want 2", limited)
	}
	// One task per item, each from one accepted create.
	tasks := map[string]bool{}
	for _, c := range svc.srv.Creates() {
		if c.TaskID != "" {
			if tasks[c.FileName] {
				t.Fatalf("%s was created twice", c.FileName)
			}
			tasks[c.FileName] = true
		}
	}
	if len(tasks) != 4 || len(names(out)) != 8 {
		t.Fatalf("tasks for %v, files %v", tasks, names(out))
	}
	// After a 429 with Retry-After: 1, no create came within that second.
	cr := svc.creates()
	for i, c := range cr {
		if c.status != http.StatusTooManyRequests {
			continue
		}
		for _, later := range cr[i+1:] {
			if later.status == http.StatusOK && later.at.Sub(c.at) < time.Second {
				t.Fatalf("a create %v after a 429 asking for 1 s", later.at.Sub(c.at))
			}
		}
	}
}

// The client's own retries of a 429 (the default) also end with one task
// per item.
func TestQueueRateLimitedThroughClientRetries(t *testing.T) {
	svc := newService(t, 0, contract.WithRateLimit(3, 0))
	q := newQueue(t, Config{Backend: client(t, svc.url), Rate: 50})
	for _, f := range shots(t, 3) {
		mustAdd(t, q, Spec{ImageFile: f, Prompt: "p", Variants: 1, Options: Options{OutDir: t.TempDir()}})
	}
	waitIdle(t, q)
	if svc.accepted() != 3 {
		t.Fatalf("%d tasks for 3 items", svc.accepted())
	}
	for _, s := range q.Items() {
		if s.State != Done {
			t.Fatalf("%s: %s", s.Name(), s.Label())
		}
	}
}

// A create whose answer is lost (the connection drops after the server
// made the task), or that meets a server fault, is never sent again: the
// item fails saying it may have been billed, and RetryFailed leaves it.
func TestQueueNeverSendsACreateTwice(t *testing.T) {
	for _, fault := range []string{"drop", "502"} {
		t.Run(fault, func(t *testing.T) {
			srv := contract.New(contract.WithToken(token), contract.WithRecords(true))
			var posts atomic.Int32
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost {
					srv.ServeHTTP(w, r)
					return
				}
				posts.Add(1)
				srv.ServeHTTP(httptest.NewRecorder(), r) // the task is made…
				if fault == "502" {
					http.Error(w, "bad gateway", http.StatusBadGateway)
					return
				}
				conn, _, err := http.NewResponseController(w).Hijack() // …and its answer lost
				if err == nil {
					conn.Close()
				}
			}))
			t.Cleanup(func() { srv.Close(); hs.Close() })
			q := newQueue(t, Config{Backend: client(t, hs.URL), Rate: 50})
			id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p", Variants: 1, Options: Options{OutDir: t.TempDir()}})
			waitIdle(t, q)
			s, _ := q.Item(id)
			if s.State != Failed || !s.MayBeBilled || !strings.Contains(s.Err.Error(), "not sent again") {
				t.Fatalf("%s (may be billed %v)", s.Label(), s.MayBeBilled)
			}
			if n := q.RetryFailed(); n != 0 {
				t.Fatalf("RetryFailed retried %d items that may be billed", n)
			}
			waitIdle(t, q)
			if posts.Load() != 1 || len(srv.Creates()) != 1 {
				t.Fatalf("%d creates sent", posts.Load())
			}
		})
	}
}

// A create that surely never left (nothing listens) fails as not billed.
func TestQueueUnreachableServiceIsNotBilled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	q := newQueue(t, Config{Backend: client(t, "http://"+addr, api.WithRetry(1, time.Millisecond)), Rate: 50})
	id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p"})
	waitIdle(t, q)
	s, _ := q.Item(id)
	if s.State != Failed || s.TaskID != "" {
		t.Fatalf("%s", s.Label())
	}
}

// Refused creates (a bad token, a bad request) fail without a task and
// are never re-sent by the queue.
func TestQueueRefusedCreateFails(t *testing.T) {
	b := newFakeBackend()
	b.onCreate = func(n int, req api.CreateRequest) (*api.Task, error) {
		return nil, &api.Error{HTTPStatus: 401, Message: "bad token"}
	}
	q := newQueue(t, Config{Backend: b, Rate: 100})
	id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p"})
	waitIdle(t, q)
	s, _ := q.Item(id)
	if s.State != Failed || s.MayBeBilled || !api.IsAuth(s.Err) || len(b.creates()) != 1 {
		t.Fatalf("%s billed=%v creates=%d", s.Label(), s.MayBeBilled, len(b.creates()))
	}
}

var _ = errors.New
var _ = fmt.Sprint
var _ = io.EOF
var _ = slices.Clone[[]int]
var _ context.Context

// A create held up after its permit (recording it on a slow disk) moves
// the next permit: it comes a full interval after the send, not after the
// permit, so two sends never come closer than the pace allows.
func TestPacerSpacesFromTheSendNotThePermit(t *testing.T) {
	perSecond := 10.0
	p := newPacer(perSecond, false) // about 108 ms apart
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.run(ctx)
	interval := time.Duration(float64(time.Second) / (perSecond * paceMargin))
	if err := p.acquire(ctx, nil, 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(interval) // held up: without the send, the next permit would be due now
	p.sending()
	sent := time.Now()
	if err := p.acquire(ctx, nil, 2); err != nil {
		t.Fatal(err)
	}
	if gap := time.Since(sent); gap < interval-time.Millisecond {
		t.Fatalf("the next permit came %v after the send, want at least %v", gap, interval)
	}
}
