package run

import (
	"context"
	"errors"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
)

// Paused, nothing is sent; what is out finishes; Resume sends the rest.
func TestQueuePauseAndResume(t *testing.T) {
	b := newFakeBackend()
	first := make(chan struct{})
	var once sync.Once
	b.onCreate = func(n int, req api.CreateRequest) (*api.Task, error) {
		once.Do(func() { close(first) })
		return nil, nil
	}
	q := newQueue(t, Config{Backend: b, Rate: 5})
	for _, f := range shots(t, 6) {
		mustAdd(t, q, Spec{ImageFile: f, Prompt: "p", Variants: 1})
	}
	<-first
	q.Pause()
	// What was sent finishes; nothing else starts.
	waitFor(t, q, "the sent items done", func(items []Snapshot) bool {
		for _, s := range items {
			if s.State != Waiting && s.State != Done {
				return false
			}
		}
		return true
	})
	sent := len(b.creates())
	time.Sleep(500 * time.Millisecond) // more than two creates' time at 5/s
	if n := len(b.creates()); n != sent || sent >= 6 {
		t.Fatalf("%d creates while paused (had %d)", n, sent)
	}
	if st := q.Stats(); !st.Paused || st.Done != sent || st.Waiting != 6-sent || st.LeftKnown {
		t.Fatalf("stats while paused: %+v", st)
	}
	q.Resume()
	waitIdle(t, q)
	if n := b.tasks(); n != 6 {
		t.Fatalf("%d tasks after resume", n)
	}
}

// A queue started paused sends nothing until Resume (the window fills it,
// then Generate).
func TestQueueStartsPaused(t *testing.T) {
	b := newFakeBackend()
	q := newQueue(t, Config{Backend: b, Rate: 100, Paused: true})
	id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p"})
	if err := q.Edit(id, func(s *Spec) { s.Prompt, s.Variants = "edited", 3 }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if len(b.creates()) != 0 {
		t.Fatal("a paused queue sent a create")
	}
	q.Resume()
	waitIdle(t, q)
	if cr := b.creates(); len(cr) != 1 || cr[0].req.Prompt != "edited" || cr[0].req.BatchSize != 3 {
		t.Fatalf("creates %+v", cr)
	}
	if err := q.Edit(id, func(s *Spec) { s.Prompt = "late" }); err == nil {
		t.Fatal("edited a finished item")
	}
}

// Cancel one stops it (a created task keeps its id); the others finish.
// A waiting item cancelled is never sent.
func TestQueueCancelOne(t *testing.T) {
	b := newFakeBackend()
	b.onWait = func(ctx context.Context, id string) error {
		if b.promptOf(id) == "stuck" {
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}
	rec := newLogRecorder()
	q := newQueue(t, Config{Backend: b, Rate: 100, Recorder: rec})
	f := shots(t, 3)
	stuck := mustAdd(t, q, Spec{ImageFile: f[0], Prompt: "stuck"})
	ok := mustAdd(t, q, Spec{ImageFile: f[1], Prompt: "fine"})
	waitFor(t, q, "the stuck task created", func(items []Snapshot) bool { return items[0].TaskID != "" && items[1].State == Done })
	q.Pause()
	waiting := mustAdd(t, q, Spec{ImageFile: f[2], Prompt: "never"})
	if err := q.Cancel(waiting); err != nil {
		t.Fatal(err)
	}
	if err := q.Cancel(stuck); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, q)
	s, _ := q.Item(stuck)
	if s.State != Cancelled || s.TaskID == "" || !strings.Contains(s.Err.Error(), s.TaskID) {
		t.Fatalf("stuck: %s (%v)", s.Label(), s.Err)
	}
	if s, _ := q.Item(ok); s.State != Done {
		t.Fatalf("ok: %s", s.Label())
	}
	if s, _ := q.Item(waiting); s.State != Cancelled || s.Creates != 0 {
		t.Fatalf("waiting: %s", s.Label())
	}
	if len(b.creates()) != 2 {
		t.Fatalf("%d creates", len(b.creates()))
	}
	checkOrder(t, rec, stuck, 0, Cancelled)
	if ev := rec.of(waiting); len(ev) != 2 || ev[1] != "ended cancelled" {
		t.Fatalf("waiting item recorded %v", ev)
	}
}

// Cancel all stops every unfinished item, and the queue still takes more.
func TestQueueCancelAll(t *testing.T) {
	b := newFakeBackend()
	b.onWait = func(ctx context.Context, id string) error {
		<-ctx.Done()
		return ctx.Err()
	}
	q := newQueue(t, Config{Backend: b, Rate: 20})
	for _, f := range shots(t, 5) {
		mustAdd(t, q, Spec{ImageFile: f, Prompt: "p"})
	}
	waitFor(t, q, "two tasks created", func(items []Snapshot) bool { return items[1].TaskID != "" })
	q.CancelAll()
	waitIdle(t, q)
	sent := len(b.creates())
	for _, s := range q.Items() {
		if s.State != Cancelled {
			t.Fatalf("%s: %s", s.Name(), s.Label())
		}
	}
	if st := q.Stats(); st.Cancelled != 5 || st.Finished() != 5 {
		t.Fatalf("stats %+v", st)
	}
	b.onWait = nil
	mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "after"})
	waitIdle(t, q)
	if len(b.creates()) != sent+1 || q.Stats().Done != 1 {
		t.Fatalf("after cancel all: %d creates, %+v", len(b.creates()), q.Stats())
	}
}

// Retry of an item whose task exists fetches it again without a create;
// retry of a task the service failed creates anew.
func TestQueueRetry(t *testing.T) {
	b := newFakeBackend()
	var expired sync.Once
	b.onDownload = func(ref string, try int, w io.Writer) error {
		if strings.Contains(ref, "task-1/2") {
			err := errors.New("never")
			expired.Do(func() { err = &api.Error{HTTPStatus: 410, Message: "gone"} })
			if err.Error() != "never" {
				return err
			}
		}
		return nil
	}
	b.onCreate = func(n int, req api.CreateRequest) (*api.Task, error) {
		if req.Prompt == "fails" && n == 2 {
			return &api.Task{ID: "bad-task", State: api.StateInvalidImage}, &api.TaskError{TaskID: "bad-task", State: api.StateInvalidImage}
		}
		return nil, nil
	}
	out := t.TempDir()
	q := newQueue(t, Config{Backend: b, Rate: 100})
	f := shots(t, 2)
	half := mustAdd(t, q, Spec{ImageFile: f[0], Prompt: "p", Variants: 2, Options: Options{OutDir: out}})
	waitIdle(t, q)
	failed := mustAdd(t, q, Spec{ImageFile: f[1], Prompt: "fails", Variants: 1, Options: Options{OutDir: out}})
	waitIdle(t, q)
	s, _ := q.Item(half)
	if s.State != Failed || len(s.Variants) != 1 || s.TaskID != "task-1" {
		t.Fatalf("half: %s, %d variants", s.Label(), len(s.Variants))
	}
	if s, _ := q.Item(failed); s.State != Failed || s.MayBeBilled {
		t.Fatalf("failed: %s", s.Label())
	}
	if err := q.Retry(half); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, q)
	s, _ = q.Item(half)
	if s.State != Done || len(s.Variants) != 2 || len(b.creates()) != 2 {
		t.Fatalf("after retry: %s, %d variants, %d creates", s.Label(), len(s.Variants), len(b.creates()))
	}
	if len(names(out)) != 2 {
		t.Fatalf("files %v: variant 1 saved twice?", names(out))
	}
	if n := q.RetryFailed(); n != 1 {
		t.Fatalf("RetryFailed retried %d", n)
	}
	waitIdle(t, q)
	if s, _ := q.Item(failed); s.State != Done || len(b.creates()) != 3 {
		t.Fatalf("failed after retry: %s, %d creates", s.Label(), len(b.creates()))
	}
	if err := q.Retry(half); err == nil {
		t.Fatal("retried a done item")
	}
}

// Work already done (same content, prompt, count, options) is skipped
// while its files exist; force and RunAgain run it again.
func TestQueueSkipsWhatIsDone(t *testing.T) {
	b := newFakeBackend()
	out := t.TempDir()
	q := newQueue(t, Config{Backend: b, Rate: 100})
	shot := shots(t, 1)[0]
	spec := Spec{ImageFile: shot, Prompt: "white marble", Variants: 2, Options: Options{OutDir: out}}
	first := mustAdd(t, q, spec)
	waitIdle(t, q)
	done, _ := q.Item(first)

	// The same content under another name is the same work.
	copyPath := filepath.Join(t.TempDir(), "renamed.png")
	data, _ := os.ReadFile(shot)
	os.WriteFile(copyPath, data, 0o644)
	again := spec
	again.ImageFile = copyPath
	skipped := mustAdd(t, q, again)
	waitIdle(t, q)
	s, _ := q.Item(skipped)
	if s.State != Skipped || len(s.Variants) != 2 || s.Variants[1].SavedPath != done.Variants[1].SavedPath || len(b.creates()) != 1 {
		t.Fatalf("same work: %s, %+v, %d creates", s.Label(), s.Variants, len(b.creates()))
	}

	// Other prompt, count or format: new work.
	for _, change := range []func(*Spec){
		func(s *Spec) { s.Prompt = "oak" },
		func(s *Spec) { s.Variants = 1 },
		func(s *Spec) { s.Options.Format = JPEG },
	} {
		other := spec
		change(&other)
		mustAdd(t, q, other)
	}
	waitIdle(t, q)
	if n := len(b.creates()); n != 4 {
		t.Fatalf("%d creates after three different items", n)
	}

	// Force, and RunAgain of the skipped item, run it again.
	forced := spec
	forced.Force = true
	mustAdd(t, q, forced)
	if _, err := q.RunAgain(skipped); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, q)
	if n := len(b.creates()); n != 6 {
		t.Fatalf("%d creates after force and run again", n)
	}

	// Once the saved files are gone, the work is no longer skipped…
	for _, n := range names(out) {
		os.Remove(filepath.Join(out, n))
	}
	id := mustAdd(t, q, spec)
	waitIdle(t, q)
	if s, _ := q.Item(id); s.State != Done || len(b.creates()) != 7 {
		t.Fatalf("after the files went: %s, %d creates", s.Label(), len(b.creates()))
	}
	// …and the newest run answers next time.
	id = mustAdd(t, q, spec)
	waitIdle(t, q)
	if s, _ := q.Item(id); s.State != Skipped || len(b.creates()) != 7 {
		t.Fatalf("the newest run was not found: %s", s.Label())
	}
}

func TestManifestSurvivesATornLine(t *testing.T) {
	dir := t.TempDir()
	m := Manifest{}
	a := filepath.Join(dir, "a.png")
	os.WriteFile(a, []byte("x"), 0o644)
	if err := m.MarkDone(dir, Work{Key: "k1"}, []string{a}, "t1"); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(ManifestPath(dir), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"key":"k2","fil`) // a crash mid-write
	f.Close()
	if err := m.MarkDone(dir, Work{Key: "k3"}, []string{a}, "t3"); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]bool{"k1": true, "k2": false, "k3": true} {
		files, err := m.Lookup(dir, Work{Key: key})
		if err != nil || (len(files) == 1) != want || (want && files[0] != a) {
			t.Fatalf("%s: %v %v", key, files, err)
		}
	}
}

// A task that never ends is stopped by the run's bound, saying so with
// the task id; nothing leaks (goleak).
func TestQueueRunBoundEndsAStuckTask(t *testing.T) {
	svc := newService(t, 0, contract.WithPainter(stuckPainter{}), contract.WithTaskTimeout(0))
	q := newQueue(t, Config{Backend: client(t, svc.url), RunTimeout: 300 * time.Millisecond})
	id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p", Options: Options{OutDir: t.TempDir()}})
	waitIdle(t, q)
	s, _ := q.Item(id)
	if s.State != Failed || s.TaskID == "" || !strings.Contains(s.Err.Error(), "within 300ms") || !strings.Contains(s.Err.Error(), s.TaskID) {
		t.Fatalf("%s", s.Label())
	}
	if svc.accepted() != 1 {
		t.Fatalf("%d creates", svc.accepted())
	}
}

// stuckPainter never finishes a task.
type stuckPainter struct{}

func (stuckPainter) Paint(ctx context.Context, src image.Image, prompt string, variant int, progress func(float64)) (image.Image, image.Rectangle, error) {
	<-ctx.Done()
	return nil, image.Rectangle{}, ctx.Err()
}

// The in-flight cap bounds the items at the service at once.
func TestQueueInFlightCap(t *testing.T) {
	b := newFakeBackend()
	release := make(chan struct{})
	b.onWait = func(ctx context.Context, id string) error {
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	q := newQueue(t, Config{Backend: b, Rate: 100, MaxInFlight: 2})
	for _, f := range shots(t, 5) {
		mustAdd(t, q, Spec{ImageFile: f, Prompt: "p", Variants: 1})
	}
	waitFor(t, q, "two tasks out", func(items []Snapshot) bool { return items[1].TaskID != "" })
	time.Sleep(100 * time.Millisecond) // ten creates' time at 100/s
	if n := len(b.creates()); n != 2 {
		t.Fatalf("%d creates with a cap of 2", n)
	}
	if st := q.Stats(); st.Running != 2 || st.Waiting != 3 {
		t.Fatalf("stats %+v", st)
	}
	close(release)
	waitIdle(t, q)
	if n := b.tasks(); n != 5 {
		t.Fatalf("%d tasks", n)
	}
}

// Close stops the workers without recording the items as ended: the
// library resumes them on the next start (the task id is recorded).
func TestQueueCloseLeavesItemsToResume(t *testing.T) {
	b := newFakeBackend()
	b.onWait = func(ctx context.Context, id string) error {
		<-ctx.Done()
		return ctx.Err()
	}
	rec := newLogRecorder()
	q, err := New(Config{Backend: b, Rate: 100, Recorder: rec, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	f := shots(t, 2)
	running := mustAdd(t, q, Spec{ImageFile: f[0], Prompt: "p"})
	waitFor(t, q, "the task created", func(items []Snapshot) bool { return items[0].TaskID != "" })
	q.Pause()
	waiting := mustAdd(t, q, Spec{ImageFile: f[1], Prompt: "p"})
	q.Close()
	q.Close() // idempotent
	for _, id := range []string{running, waiting} {
		for _, e := range rec.of(id) {
			if strings.HasPrefix(e, "ended") {
				t.Fatalf("%s recorded as ended on close: %v", id, rec.of(id))
			}
		}
	}
	if ev := rec.of(running); len(ev) != 3 || !strings.HasPrefix(ev[2], "created task-1") {
		t.Fatalf("running item recorded %v", ev)
	}
	if _, err := q.Add(Spec{ImageFile: f[1], Prompt: "p"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("add after close: %v", err)
	}
	if err := q.Wait(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("wait after close: %v", err)
	}
}

// Fetching a task by id takes every result it has, up to four.
func TestQueueFetchTakesEveryResult(t *testing.T) {
	b := newFakeBackend()
	b.images = 3
	q := newQueue(t, Config{Backend: b, Rate: 100})
	id := mustAdd(t, q, Spec{TaskID: "task-77", Options: Options{OutDir: t.TempDir()}})
	waitIdle(t, q)
	s, _ := q.Item(id)
	if s.State != Done || len(s.Variants) != 3 || len(b.creates()) != 0 {
		t.Fatalf("%s, %d variants", s.Label(), len(s.Variants))
	}
	if _, err := q.RunAgain(id); err == nil {
		t.Fatal("ran again a fetch with no shot to send")
	}
}
