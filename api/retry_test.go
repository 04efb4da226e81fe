package api_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
)

func TestCreateRetriedAfter429HonouringRetryAfter(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	srv, _, c := startServer(t, contract.WithRateLimit(1, time.Second))
	task, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p", Sync: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	creates := srv.Creates()
	if len(task.Images) == 0 || tasksCreated(srv) != 1 || len(creates) != 2 || creates[0].Status != 429 {
		t.Fatalf("images %d, tasks created %d of %d requests", len(task.Images), tasksCreated(srv), len(creates))
	}
}

func TestRetryAfterLongerThanAllowedIsReturned(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	srv, _, c0 := startServer(t, contract.WithRateLimit(1, 3*time.Second))
	c := newClient(t, c0.BaseURL(), api.WithMaxRetryWait(time.Second))
	_, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"}, nil)
	var e *api.Error
	if !api.IsRateLimited(err) || !errors.As(err, &e) || e.RetryAfter != "3" {
		t.Fatalf("got %v, want the 429 with its Retry-After", err)
	}
	if tasksCreated(srv) != 0 || len(srv.Creates()) != 1 {
		t.Fatal("the create was retried or a task was created")
	}
}

func TestCreateNotRetriedOnServerError(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	var posts atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":503,"message":"overloaded"}`))
	}))
	defer hs.Close()
	_, err := newClient(t, hs.URL).CreateTask(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"})
	if err == nil || posts.Load() != 1 {
		t.Fatalf("err %v after %d posts; a create may be billed, so it is sent once", err, posts.Load())
	}
}

func TestCreateNotRetriedWhenConnectionDropsAfterSending(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	var posts atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		io.Copy(io.Discard, r.Body)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer hs.Close()
	_, err := newClient(t, hs.URL).CreateTask(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"})
	if err == nil || posts.Load() != 1 {
		t.Fatalf("err %v after %d posts", err, posts.Load())
	}
}

func TestCreateRetriedWhenConnectionCouldNotBeMade(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	srv, hs, _ := startServer(t)
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	defer tr.CloseIdleConnections()
	c := newClient(t, hs.URL, api.WithHTTPClient(&http.Client{Transport: tr}))
	if _, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p", Sync: true}, nil); err != nil {
		t.Fatal(err)
	}
	if dials.Load() < 2 || tasksCreated(srv) != 1 {
		t.Fatalf("%d dials, %d tasks", dials.Load(), tasksCreated(srv))
	}
}

func TestGetRetriedOn5xxAnd429(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	_, _, c := startServer(t, contract.WithFailGETs(2, http.StatusServiceUnavailable), contract.WithGetRateLimit(1))
	if _, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestGetGivesUpAfterBoundedRetries(t *testing.T) {
	var gets atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer hs.Close()
	_, err := newClient(t, hs.URL).GetTask(context.Background(), "x")
	if err == nil || gets.Load() != 4 {
		t.Fatalf("err %v after %d tries, want 1 + 3 retries", err, gets.Load())
	}
}

func TestCancelStopsWaitingPromptly(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	// A script longer than the test: the task never ends by itself.
	steps := make([]contract.Step, 10000)
	_, _, c := startServer(t, contract.WithScript(steps...))
	ctx, cancel := context.WithCancel(context.Background())
	polls := 0
	_, err := c.Generate(ctx, api.CreateRequest{ImageFile: shot, Prompt: "p"}, func(*api.Task) {
		if polls++; polls == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestCancelStopsRetryWait(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	_, _, c := startServer(t, contract.WithRateLimit(5, 60*time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := newClient(t, c.BaseURL(), api.WithMaxRetryWait(time.Hour)).CreateTask(ctx, api.CreateRequest{ImageFile: shot, Prompt: "p"})
		done <- err
	}()
	time.AfterFunc(50*time.Millisecond, cancel)
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}
