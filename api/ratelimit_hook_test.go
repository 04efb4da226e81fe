package api_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
)

// Every 429 reaches the hook: those the client absorbs by asking again,
// and the last one it returns.
func TestRateLimitHookHearsEvery429(t *testing.T) {
	_, hs, _ := startServer(t, contract.WithRateLimit(2, 0))
	var mu sync.Mutex
	var seen []api.RateLimit
	c := newClient(t, hs.URL, api.WithRateLimitHook(func(r api.RateLimit) {
		mu.Lock()
		seen = append(seen, r)
		mu.Unlock()
	}))
	shot := writePNG(t, t.TempDir(), "a.png", 20, 20)
	if _, err := c.CreateTask(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "oak", BatchSize: 1}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(seen) != 2 || seen[0].Op != "create" || !seen[0].Retried || seen[0].RetryAfter != 0 {
		t.Fatalf("absorbed 429s: %+v", seen)
	}
	seen = nil
	mu.Unlock()

	_, hs, _ = startServer(t, contract.WithRateLimit(10, time.Hour))
	c = newClient(t, hs.URL, api.WithRateLimitHook(func(r api.RateLimit) {
		mu.Lock()
		seen = append(seen, r)
		mu.Unlock()
	}))
	_, err := c.CreateTask(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "oak", BatchSize: 1})
	mu.Lock()
	defer mu.Unlock()
	if !api.IsRateLimited(err) || len(seen) != 1 || seen[0].Retried || seen[0].RetryAfter != time.Hour {
		t.Fatalf("a returned 429: %v, %+v", err, seen)
	}
}
