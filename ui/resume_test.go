package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/app"
	"backdrop/internal/contract"
	"backdrop/internal/library"
	"backdrop/internal/run"
)

// A window killed mid-queue left four runs under way in the library: one
// waiting, one whose create went out without its answer, one whose task
// is ten minutes old and one whose task is two hours old. The next start
// fetches the young task, puts the waiting one back paused, and shows the
// other two with an offer to run them again, sending nothing by itself.
func TestRunsLeftUnderWayArePickedUpAtStart(t *testing.T) {
	srv := contract.New(contract.WithToken(testToken), contract.WithRecords(true), contract.WithPainter(contract.PlainPainter{}))
	hs := httptest.NewServer(srv)
	defer func() { hs.Close(); srv.Close() }()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client, err := api.NewClient(api.WithBaseURL(hs.URL), api.WithToken(testToken), api.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	young, err := client.CreateTask(context.Background(), api.CreateRequest{ImageFile: writeShot(t, t.TempDir(), "young.png", 40, 30), Prompt: "oak", BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "out")
	dir := filepath.Join(t.TempDir(), "library")
	now := time.Now()
	clock := now.Add(-2 * time.Hour)
	old, err := library.Open(dir, library.WithClock(func() time.Time { return clock }))
	if err != nil {
		t.Fatal(err)
	}
	rec := app.Recorder(old, strings.TrimPrefix(hs.URL, "http://"))
	item := func(id, name, prompt string) {
		spec := run.Spec{ImageFile: writeShot(t, t.TempDir(), name, 40, 30+len(name)), Prompt: prompt, Variants: 2, Options: run.Options{OutDir: out}}
		if err := rec.Added(run.AddedRecord{ID: id, Spec: spec, At: clock}); err != nil {
			t.Fatal(err)
		}
	}
	item("expired", "expired.png", "marble")
	rec.Sending("expired", run.SendingRecord{Attempt: 1, At: clock})
	rec.Created("expired", "task-gone-long-ago")
	clock = now.Add(-10 * time.Minute)
	item("young", "young.png", "oak")
	rec.Sending("young", run.SendingRecord{Attempt: 1, At: clock})
	rec.Created("young", young.ID)
	item("billed", "billed.png", "linen")
	rec.Sending("billed", run.SendingRecord{Attempt: 1, At: clock})
	item("waiting", "waiting.png", "slate")
	old.Close() // the window was killed: its session ended

	lib, err := library.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	h := newHarnessWith(t, StartOptions{Endpoint: hs.URL, OutputDir: out}, func(d *Deps) { d.Library = lib })
	h.expect("resumed")
	if len(h.w.entries) != 4 {
		t.Fatalf("%d entries", len(h.w.entries))
	}
	texts := overlayTexts(h.w.win.Canvas())
	for _, want := range []string{"expired at the service", "may have been billed", "its images are fetched now", "back in the queue, paused"} {
		if !strings.Contains(texts, want) {
			t.Fatalf("the pick-up list lacks %q:\n%s", want, texts)
		}
	}
	byName := map[string]*entry{}
	for _, e := range h.w.entries {
		byName[e.name()] = e
	}
	h.until("the young task fetched", func() bool { return h.w.state(byName["young.png"]) == run.Done })
	if got := images(t, out); len(got) != 2 {
		t.Fatalf("output folder %v", got)
	}
	waiting := byName["waiting.png"]
	if s, ok := h.w.snapshot(waiting); !ok || s.State != run.Waiting || !h.w.queueStats().Paused {
		t.Fatalf("the waiting run: %v, paused %v", s.State, h.w.queueStats().Paused)
	}
	for _, name := range []string{"expired.png", "billed.png"} {
		if e := byName[name]; e.lib == nil || e.sess != nil {
			t.Fatalf("%s is in the queue", name)
		}
	}
	if n := len(srv.Creates()); n != 1 {
		t.Fatalf("%d creates at the service, want only the first one made before the kill", n)
	}

	// Generate sends the waiting one (the queue resumes); the others stay
	// until asked for.
	h.w.startRun()
	h.until("the waiting one done", func() bool { return h.w.state(waiting) == run.Done })
	if n := len(srv.Creates()); n != 2 {
		t.Fatalf("%d creates", n)
	}
	// Run again on the expired one: a draft, sent by Generate.
	row := newStripRow(h.w)
	row.show(byName["expired.png"])
	row.act()
	if !h.w.current.draft() || h.w.current.name() != "expired.png" {
		t.Fatal("run again did not make a draft")
	}
	h.w.startRun()
	h.until("the re-run done", func() bool { return h.w.state(h.w.current) == run.Done })
	if n := len(srv.Creates()); n != 3 {
		t.Fatalf("%d creates", n)
	}
}
