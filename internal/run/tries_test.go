package run

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"backdrop/api"
)

// triesClient is client with its transport wrapped by CreateTries.
func triesClient(t *testing.T, url string) *api.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return client(t, url, api.WithHTTPClient(&http.Client{Transport: CreateTries(tr)}))
}

// A create the client sends again after a 429 is recorded as waiting
// through the client's wait and as sending again before it leaves: a
// crash in that wait leaves a waiting run, not one that may be billed.
func TestCreateTriesRecordEachRefusal(t *testing.T) {
	svc := newService(t, 1)
	rec := newLogRecorder()
	q := newQueue(t, Config{Backend: triesClient(t, svc.url), Recorder: rec, Rate: 50})
	var ids []string
	for _, shot := range shots(t, 3) {
		id, err := q.Add(Spec{ImageFile: shot, Prompt: "oak", Variants: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	waitIdle(t, q)
	refusals := 0
	for _, c := range svc.creates() {
		if c.status == http.StatusTooManyRequests {
			refusals++
		}
	}
	if refusals == 0 || svc.accepted() != 3 {
		t.Fatalf("%d creates refused, %d accepted: the test needs 429s and 3 tasks", refusals, svc.accepted())
	}
	waits := 0
	for _, id := range ids {
		if s, _ := q.Item(id); s.State != Done {
			t.Fatalf("%s: %s", id, s.Label())
		}
		// Every try is told: sending before it leaves, waiting after a
		// 429; the created task follows a sending, never a waiting.
		var steps []string
		rec.mu.Lock()
		for _, e := range rec.events {
			if rest, ok := strings.CutPrefix(e, id+" "); ok && (strings.HasPrefix(rest, "sending") || rest == "progress waiting" || strings.HasPrefix(rest, "created")) {
				steps = append(steps, strings.Fields(rest)[0]+map[bool]string{true: "-waiting"}[rest == "progress waiting"])
			}
		}
		rec.mu.Unlock()
		for i, s := range steps {
			want := "sending"
			switch {
			case i == len(steps)-1:
				want = "created"
			case i%2 == 1:
				want = "progress-waiting"
			}
			if s != want {
				t.Fatalf("%s: steps %v", id, steps)
			}
		}
		waits += (len(steps) - 2) / 2
	}
	if waits != refusals {
		t.Fatalf("%d waits recorded for %d refusals", waits, refusals)
	}
}

// Cancelled while the client waits to send again after a 429: nothing is
// at the service, so the item is not "may have been billed".
func TestCancelDuringARefusedCreatesWaitIsNotBilled(t *testing.T) {
	svc := newService(t, 1)
	rec := newLogRecorder()
	q := newQueue(t, Config{Backend: triesClient(t, svc.url), Recorder: rec, Rate: 50})
	two := shots(t, 2)
	first, _ := q.Add(Spec{ImageFile: two[0], Prompt: "oak", Variants: 1})
	second, _ := q.Add(Spec{ImageFile: two[1], Prompt: "oak", Variants: 1})
	waitFor(t, q, "the second create refused", func([]Snapshot) bool {
		return slices.ContainsFunc(svc.creates(), func(c createSeen) bool { return c.status == http.StatusTooManyRequests })
	})
	time.Sleep(50 * time.Millisecond) // the client is in its Retry-After wait
	q.Cancel(second)
	waitIdle(t, q)
	if s, _ := q.Item(first); s.State != Done {
		t.Fatalf("first: %s", s.Label())
	}
	s, _ := q.Item(second)
	if s.State != Cancelled || s.MayBeBilled || svc.accepted() != 1 {
		t.Fatalf("second: %s (may be billed %v), %d tasks", s.Label(), s.MayBeBilled, svc.accepted())
	}
}
