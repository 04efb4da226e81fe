package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/library"
	"backdrop/internal/run"
	"backdrop/internal/testshot"
)

// server is the contract server on loopback, counting the creates that
// reach it.
type server struct {
	*contract.Server
	url     string
	creates atomic.Int32
}

func newServer(t *testing.T, opts ...contract.Option) *server {
	t.Helper()
	s := &server{Server: contract.New(append([]contract.Option{contract.WithToken("sk-app-test"),
		contract.WithPainter(contract.PlainPainter{})}, opts...)...)}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			s.creates.Add(1)
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		s.Close()
		hs.Close()
	})
	s.url = hs.URL
	return s
}

func serviceBackend(t *testing.T, s *server) *Backend {
	t.Helper()
	b, err := Connect(Config{Token: "sk-app-test", Endpoint: s.url, CacheDir: t.TempDir(),
		ClientOptions: []api.Option{ownTransport(t), api.WithPollInterval(20 * time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

func openStore(t *testing.T, dir string, opts ...library.Option) *library.Store {
	t.Helper()
	s, err := OpenLibraryIn(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func wait(t *testing.T, q *run.Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := q.Wait(ctx); err != nil {
		t.Fatalf("the queue did not finish: %v", err)
	}
}

func allRuns(t *testing.T, store *library.Store) []library.Run {
	t.Helper()
	page, err := store.List(context.Background(), library.Query{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return page.Runs
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// A queue on the library records each item once, with its shot's content
// hash, task id and variants; the same work again is skipped by the
// library (and leaves no second row); Force runs it again as a new run.
func TestLibraryRecordsAQueueAndAnswersSkipDone(t *testing.T) {
	srv := newServer(t)
	b := serviceBackend(t, srv)
	store := openStore(t, t.TempDir())
	q, rec, err := b.NewLibraryQueue(run.Config{Rate: 50}, QueueOptions{Library: store})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	out := t.TempDir()
	shot := testshot.Write(t, t.TempDir(), "mug.png", 40, 30)
	spec := run.Spec{ImageFile: shot, Prompt: "white marble", Variants: 2, Options: run.Options{OutDir: out}}
	id, err := q.Add(spec)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	snap, _ := q.Item(id)
	if snap.State != run.Done {
		t.Fatalf("item: %s", snap.Label())
	}
	runs := allRuns(t, store)
	if len(runs) != 1 {
		t.Fatalf("%d runs recorded, want 1", len(runs))
	}
	r := runs[0]
	sha, _ := library.HashFile(shot)
	if libID, ok := rec.RunID(id); !ok || libID != r.ID {
		t.Fatalf("item %s maps to %v %v, want run %d", id, libID, ok, r.ID)
	}
	if r.State != library.StateDone || r.TaskID != snap.TaskID || r.Source.Hash != sha || len(r.Images) != 2 ||
		r.Backend != b.LibraryName() || !strings.HasPrefix(r.Backend, "127.0.0.1:") {
		t.Fatalf("recorded run: %+v", r)
	}
	for _, v := range r.Images {
		if v.SavedPath == "" || filepath.Dir(v.SavedPath) != out {
			t.Fatalf("variant %d saved at %q", v.N, v.SavedPath)
		}
		if _, err := os.Stat(v.Path); err != nil {
			t.Fatalf("the library's copy of variant %d: %v", v.N, err)
		}
	}
	if _, err := os.Stat(run.ManifestPath(out)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("with a library no manifest is written in the output folder: %v", err)
	}

	again, err := q.Add(spec)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	if s, _ := q.Item(again); s.State != run.Skipped || len(s.Variants) != 2 {
		t.Fatalf("the same work again: %s with %d variants", s.Label(), len(s.Variants))
	}
	if n := len(allRuns(t, store)); n != 1 || srv.creates.Load() != 1 {
		t.Fatalf("after a skip: %d runs, %d creates", n, srv.creates.Load())
	}

	// Another output folder is other work.
	other := spec
	other.Options.OutDir = t.TempDir()
	if _, err := q.Add(other); err != nil {
		t.Fatal(err)
	}
	forced := spec
	forced.Force = true
	if _, err := q.Add(forced); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	if n := len(allRuns(t, store)); n != 3 || srv.creates.Load() != 3 || len(files(t, out)) != 4 {
		t.Fatalf("other folder and forced run: %d runs, %d creates, files %v", n, srv.creates.Load(), files(t, out))
	}
}

// The daily cap stops a create that would pass it, before anything is
// sent, with the words the window shows; the offline engine is never
// capped.
func TestDailyCapStopsCreatesBeforeSending(t *testing.T) {
	srv := newServer(t)
	b := serviceBackend(t, srv)
	store := openStore(t, t.TempDir())
	limit := atomic.Int32{}
	limit.Store(3)
	q, _, err := b.NewLibraryQueue(run.Config{Rate: 50}, QueueOptions{Library: store, DailyCap: func() int { return int(limit.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	shot := testshot.Write(t, t.TempDir(), "mug.png", 40, 30)
	first, _ := q.Add(run.Spec{ImageFile: shot, Prompt: "oak", Variants: 2, Options: run.Options{OutDir: t.TempDir()}})
	wait(t, q)
	second, _ := q.Add(run.Spec{ImageFile: shot, Prompt: "slate", Variants: 2, Options: run.Options{OutDir: t.TempDir()}})
	wait(t, q)
	if s, _ := q.Item(first); s.State != run.Done {
		t.Fatalf("first: %s", s.Label())
	}
	s, _ := q.Item(second)
	var capErr *CapError
	if s.State != run.Failed || !errors.As(s.Err, &capErr) || s.MayBeBilled || srv.creates.Load() != 1 {
		t.Fatalf("second: %s (billed %v), %d creates", s.Label(), s.MayBeBilled, srv.creates.Load())
	}
	if want := "Daily cap of 3 images reached (2 billed today) — raise it in Settings"; !strings.Contains(s.Err.Error(), want) {
		t.Fatalf("the message %q does not say %q", s.Err, want)
	}
	// Raised in Settings: a retry goes.
	limit.Store(10)
	if err := q.Retry(second); err != nil {
		t.Fatal(err)
	}
	wait(t, q)
	if s, _ := q.Item(second); s.State != run.Done || srv.creates.Load() != 2 {
		t.Fatalf("after raising the cap: %s, %d creates", s.Label(), srv.creates.Load())
	}

	off, err := Connect(Config{CacheDir: t.TempDir(), Painter: contract.PlainPainter{}, ClientOptions: []api.Option{ownTransport(t)}})
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	oq, _, err := off.NewLibraryQueue(run.Config{Rate: 50}, QueueOptions{Library: store, DailyCap: func() int { return 1 }})
	if err != nil {
		t.Fatal(err)
	}
	defer oq.Close()
	oid, _ := oq.Add(run.Spec{ImageFile: shot, Prompt: "linen", Variants: 2, Options: run.Options{OutDir: t.TempDir()}})
	wait(t, oq)
	if s, _ := oq.Item(oid); s.State != run.Done {
		t.Fatalf("offline with a cap of 1: %s", s.Label())
	}
}

// A library that cannot be used is reported with its path, untouched.
func TestOpenLibraryReportsADamagedDatabase(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, library.DatabaseName)
	junk := []byte("this is not a database, but a designer's notes")
	if err := os.WriteFile(file, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := OpenLibraryIn(dir)
	var oe *library.OpenError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "not recorded") {
		t.Fatalf("a damaged library: %v", err)
	}
	if data, _ := os.ReadFile(file); string(data) != string(junk) {
		t.Fatal("the damaged database was changed")
	}
	t.Setenv("XDG_DATA_HOME", dir)
	t.Setenv("HOME", dir)
	if s, err := OpenLibrary(); err != nil {
		t.Fatalf("the default library: %v", err)
	} else {
		s.Close()
	}
}

// Runs left under way by a process that ended are picked up at start: a
// recent task is fetched again (only the variants not yet saved, even
// though the queue comes back paused), an old one is marked expired, a
// create without its answer is marked maybe billed and never sent, and a
// waiting run comes back into the paused queue, keeping its library row.
func TestResumePicksUpRunsOfAnEndedProcess(t *testing.T) {
	srv := newServer(t)
	b := serviceBackend(t, srv)
	dir := t.TempDir()
	out := t.TempDir()
	shot := testshot.Write(t, t.TempDir(), "mug.png", 40, 30)
	ctx := context.Background()
	spec := func(prompt string) run.Spec {
		return run.Spec{ImageFile: shot, Prompt: prompt, Variants: 2, Options: run.Options{OutDir: out}}
	}

	// A task made at the service by the process that died, whose first
	// variant it had saved.
	task, err := b.Client().Generate(ctx, api.CreateRequest{ImageFile: shot, Prompt: "white marble", BatchSize: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var first strings.Builder
	if _, err := b.Client().Download(ctx, task.Images[0], &first); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(out, "mug-bg-1.png")
	if err := os.WriteFile(saved, []byte(first.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	createsBefore := srv.creates.Load()

	// The dead process: an hour and a half ago, a task; just now, a task
	// with one variant saved, a create without answer and a waiting shot.
	old := openStore(t, dir, library.WithClock(func() time.Time { return time.Now().Add(-90 * time.Minute) }))
	rec := Recorder(old, b.LibraryName())
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(rec.Added(run.AddedRecord{ID: "old", Spec: spec("oak")}))
	must(rec.Sending("old", run.SendingRecord{}))
	must(rec.Created("old", "task-gone"))
	oldID, _ := rec.RunID("old")
	must(old.Close())
	dead := openStore(t, dir)
	rec = Recorder(dead, b.LibraryName())
	must(rec.Added(run.AddedRecord{ID: "poll", Spec: spec("white marble")}))
	must(rec.Sending("poll", run.SendingRecord{}))
	must(rec.Created("poll", task.ID))
	must(rec.VariantSaved("poll", run.Variant{N: 1, SavedPath: saved}))
	must(rec.Added(run.AddedRecord{ID: "billed", Spec: spec("slate")}))
	must(rec.Sending("billed", run.SendingRecord{}))
	must(rec.Added(run.AddedRecord{ID: "waiting", Spec: spec("linen")}))
	ids := map[string]library.ID{"old": oldID}
	for _, k := range []string{"poll", "billed", "waiting"} {
		ids[k], _ = rec.RunID(k)
	}
	must(dead.Close())

	store := openStore(t, dir)
	q, _, err := b.NewLibraryQueue(run.Config{Rate: 50}, QueueOptions{Library: store})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	resumed, err := Resume(ctx, store, q)
	if err != nil {
		t.Fatal(err)
	}
	got := map[library.ID]Resumed{}
	for _, r := range resumed {
		got[r.Run.ID] = r
		if r.Err != nil {
			t.Fatalf("%s", r.Describe())
		}
	}
	want := map[string]library.Action{"old": library.ActionExpired, "poll": library.ActionPoll,
		"billed": library.ActionMaybeBilled, "waiting": library.ActionRequeuePaused}
	if len(resumed) != len(want) {
		t.Fatalf("%d runs resumed, want %d", len(resumed), len(want))
	}
	for k, action := range want {
		if r := got[ids[k]]; r.Action != action || (r.ItemID != "") != (action == library.ActionPoll || action == library.ActionRequeuePaused) {
			t.Fatalf("%s: %s (item %q)", k, r.Action, r.ItemID)
		}
	}
	if !q.Paused() {
		t.Fatal("a queue that had waiting items did not come back paused")
	}
	if !strings.Contains(got[ids["billed"]].Describe(), "may have been billed") || !strings.Contains(got[ids["old"]].Describe(), "expired") {
		t.Fatalf("descriptions: %q / %q", got[ids["billed"]].Describe(), got[ids["old"]].Describe())
	}

	// The task is fetched while paused; the waiting run is not sent.
	pollItem := got[ids["poll"]].ItemID
	deadline := time.Now().Add(20 * time.Second)
	for {
		if s, _ := q.Item(pollItem); s.State.Finished() {
			if s.State != run.Done || len(s.Variants) != 2 {
				t.Fatalf("the resumed task: %s with %d variants", s.Label(), len(s.Variants))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the resumed task was not fetched while the queue was paused")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s, _ := q.Item(got[ids["waiting"]].ItemID); s.State != run.Waiting || srv.creates.Load() != createsBefore {
		t.Fatalf("paused: the waiting run is %s, %d creates", s.Label(), srv.creates.Load()-createsBefore)
	}
	if names := files(t, out); len(names) != 2 {
		t.Fatalf("the output folder holds %v, want the two variants once each", names)
	}
	if r, _ := store.Get(ctx, ids["poll"]); r.State != library.StateDone || len(r.Images) != 2 {
		t.Fatalf("the resumed run: %s with %d images", r.State, len(r.Images))
	}

	q.Resume()
	wait(t, q)
	for k, st := range map[string]library.State{"old": library.StateExpired, "billed": library.StateMaybeBilled, "waiting": library.StateDone} {
		if r, _ := store.Get(ctx, ids[k]); r.State != st {
			t.Fatalf("%s: %s, want %s", k, r.State, st)
		}
	}
	if n := len(allRuns(t, store)); n != 4 || srv.creates.Load() != createsBefore+1 {
		t.Fatalf("%d runs, %d creates after resuming (want 4 runs, 1 create)", n, srv.creates.Load()-createsBefore)
	}
	if again, err := Resume(ctx, store, q); err != nil || len(again) != 0 {
		t.Fatalf("a second Resume: %v %v", again, err)
	}
}

// An item edited while waiting is recorded as the work it will do: one
// row, with the new prompt, and nothing under way left behind.
func TestEditedItemKeepsOneRunWithTheNewWork(t *testing.T) {
	srv := newServer(t)
	b := serviceBackend(t, srv)
	store := openStore(t, t.TempDir())
	q, rec, err := b.NewLibraryQueue(run.Config{Rate: 50, Paused: true}, QueueOptions{Library: store})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	shot := testshot.Write(t, t.TempDir(), "mug.png", 40, 30)
	id, _ := q.Add(run.Spec{ImageFile: shot, Prompt: "oak", Variants: 1, Options: run.Options{OutDir: t.TempDir()}})
	if err := q.Edit(id, func(s *run.Spec) { s.Prompt, s.Variants = "white marble", 3 }); err != nil {
		t.Fatal(err)
	}
	runs := allRuns(t, store)
	if len(runs) != 1 || runs[0].Prompt != "white marble" || runs[0].Variants != 3 || runs[0].State != library.StateWaiting {
		t.Fatalf("after the edit: %+v", runs)
	}
	if libID, _ := rec.RunID(id); libID != runs[0].ID {
		t.Fatalf("the item maps to run %d, not %d", libID, runs[0].ID)
	}
	q.Resume()
	wait(t, q)
	if r, _ := store.Get(context.Background(), runs[0].ID); r.State != library.StateDone || len(r.Images) != 3 {
		t.Fatalf("the edited run: %s with %d images", r.State, len(r.Images))
	}
}

// A 429 that the client absorbs by itself (waiting and asking again)
// still slows the whole queue down.
func TestAbsorbed429SlowsTheQueue(t *testing.T) {
	srv := newServer(t, contract.WithRateLimit(1, 0))
	b := serviceBackend(t, srv)
	q, err := b.NewQueue(run.Config{Rate: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	id, _ := q.Add(run.Spec{ImageFile: testshot.Write(t, t.TempDir(), "mug.png", 40, 30), Prompt: "oak", Variants: 1})
	wait(t, q)
	s, _ := q.Item(id)
	if s.State != run.Done || s.RateLimited != 0 || srv.creates.Load() != 2 {
		t.Fatalf("%s: %d 429s seen by the item, %d creates", s.Label(), s.RateLimited, srv.creates.Load())
	}
	if r := q.Stats().CreatesRate; r >= 0.95*50*0.9 {
		t.Fatalf("the pace is %.1f/s after a 429 the client absorbed", r)
	}
}

// A create answered 429 made nothing: the run waits again in the library,
// so that a process killed before sending it again leaves nothing that
// "may have been billed".
func TestRefusedCreateLeavesTheRunWaiting(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, dir)
	rec := Recorder(store, "api.example.com")
	spec := run.Spec{ImageFile: testshot.Write(t, t.TempDir(), "mug.png", 40, 30), Prompt: "oak", Variants: 1}
	for _, err := range []error{
		rec.Added(run.AddedRecord{ID: "mug", Spec: spec}),
		rec.Sending("mug", run.SendingRecord{}),
		rec.Progress("mug", run.Waiting), // the 429
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	id, _ := rec.RunID("mug")
	if r, err := store.Get(context.Background(), id); err != nil || r.State != library.StateWaiting || !r.Sent.IsZero() {
		t.Fatalf("after a 429: %+v %v", r, err)
	}
	store.Close()
	picks, err := openStore(t, dir).Unfinished(context.Background())
	if err != nil || len(picks) != 1 || picks[0].Action != library.ActionRequeuePaused {
		t.Fatalf("picked up as %+v %v, want re-queued", picks, err)
	}
}
