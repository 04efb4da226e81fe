package run

import (
	"context"
	"net/http"
	"testing"
	"time"

	"backdrop/api"
)

// BenchmarkQueue20 sends 20 shots through one queue at the default pace
// against the contract server enforcing 2 creates per second, with tasks
// that take 2 s, through a client with the app's default retry and poll
// settings. The bound the limit sets is 20 creates spread over 10 s plus
// one task's 2 s; it reports the ratio to that bound and the 429s seen.
//
//	go test ./internal/run -run '^$' -bench Queue20 -benchtime 1x
func BenchmarkQueue20(b *testing.B) {
	const items, limit, latency = 20, 2, 2 * time.Second
	bound := time.Duration(items)*time.Second/limit + latency
	files := shots(b, items)
	for b.Loop() {
		svc := newService(b, limit)
		svc.latency = latency
		tr := http.DefaultTransport.(*http.Transport).Clone()
		c, err := api.NewClient(api.WithBaseURL(svc.url), api.WithToken(token), api.WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			b.Fatal(err)
		}
		q, err := New(Config{Backend: c, CacheDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		out := b.TempDir()
		start := time.Now()
		for _, f := range files {
			if _, err := q.Add(Spec{ImageFile: f, Prompt: "white marble", Variants: 2, Options: Options{OutDir: out}}); err != nil {
				b.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		err = q.Wait(ctx)
		cancel()
		took := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		st := q.Stats()
		q.Close()
		tr.CloseIdleConnections()
		refused := 0
		for _, cr := range svc.creates() {
			if cr.status == http.StatusTooManyRequests {
				refused++
			}
		}
		if st.Done != items || svc.accepted() != items || len(names(out)) != 2*items {
			b.Fatalf("done %d, tasks %d, files %d", st.Done, svc.accepted(), len(names(out)))
		}
		b.ReportMetric(took.Seconds()/bound.Seconds(), "x-bound")
		b.ReportMetric(float64(refused), "429s")
		b.ReportMetric(took.Seconds(), "s")
	}
}
