package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"backdrop/api"
	"backdrop/internal/app"
	"backdrop/internal/library"
	"backdrop/internal/run"
)

// cancelGrace is how long, after a first Ctrl-C, tasks already created
// (paid) are still waited for and downloaded before the command ends and
// prints how to fetch the rest. A second Ctrl-C ends the process at once.
var cancelGrace = 10 * time.Second

// batch is one command's run of a queue.
type batch struct {
	s     *session
	store *library.Store
	rec   *app.LibraryRecorder
	q     *run.Queue
	// refused are specs not sent because the same work may have been
	// billed or is under way elsewhere: reported as failed items.
	refused []refusal
}

type refusal struct {
	spec run.Spec
	err  error
}

// openLibrary opens the library for the session, or says why it goes on
// without one.
func (s *session) openLibrary() *library.Store {
	if s.noLibrary {
		return nil
	}
	var store *library.Store
	var err error
	// Thumbnails are left to the window: made here they would double the
	// run's memory and compete with its downloads.
	if s.libraryDir != "" {
		store, err = app.OpenLibraryIn(s.libraryDir, library.WithoutThumbnailWorker())
	} else {
		store, err = app.OpenLibrary(library.WithoutThumbnailWorker())
	}
	if err != nil {
		s.con.errorf("%v", err)
		return nil
	}
	return store
}

// runBatch runs specs through one queue on the session's backend, with
// the library: it first picks up the runs that ended processes left under
// way, then sends every spec (but what is already done, or may have been
// billed before), shows the queue's way, and reports each item as it ends.
func (s *session) runBatch(ctx context.Context, specs []run.Spec) int {
	boundMemory()
	backend, err := app.Connect(app.Config{Token: s.token, Endpoint: s.endpoint, CacheDir: s.cacheDir})
	if err != nil {
		s.con.errorf("%v", err)
		return ExitUsage
	}
	defer backend.Close()
	b := &batch{s: s, store: s.openLibrary()}
	if b.store != nil {
		defer b.store.Close()
	}
	// One result decoded at a time: a terminal run is bound by the
	// service's pace, not by decoding, and its memory stays small.
	cfg := run.Config{Rate: s.rate, MaxInFlight: s.jobs, RunTimeout: s.timeout, Paused: true, Decoders: 1}
	opts := app.QueueOptions{Library: b.store, CapHint: "raise it with --daily-cap"}
	if s.dailyCap > 0 {
		opts.DailyCap = func() int { return s.dailyCap }
	}
	b.q, b.rec, err = backend.NewLibraryQueue(cfg, opts)
	if err != nil {
		s.con.errorf("%v", err)
		return ExitUsage
	}
	defer b.q.Close()

	specs = b.resume(ctx, specs)
	for _, spec := range specs {
		if _, err := b.q.Add(spec); err != nil {
			s.con.errorf("%s: %v", spec.Name(), err)
			return ExitUsage
		}
	}
	rep := newReporter(s, b)
	for _, r := range b.refused {
		rep.refused(r)
	}
	b.q.Resume()
	b.follow(ctx, rep)
	rep.end()
	run.SweepTemp(s.outDir)
	run.SweepTemp(s.cacheDir)
	code := app.QueueExitCode(b.q.Stats())
	if len(b.refused) > 0 {
		code = ExitFailure
	}
	if code == ExitFailure && len(b.refused) == 0 && b.refusedBeforeSending() {
		code = ExitUsage
	}
	return code
}

// refusedBeforeSending says every item failed on a request the client
// refused to send (say, the token over plain http): a usage error, found
// once the backend is known, with nothing sent.
func (b *batch) refusedBeforeSending() bool {
	items := b.q.Items()
	for _, it := range items {
		// The client refuses such a request before sending any of it.
		if it.State != run.Failed || it.TaskID != "" || !api.IsValidation(it.Err) {
			return false
		}
	}
	return len(items) > 0
}

// goMemory is the soft limit of the Go heap (and runtime) of a queue run:
// results are decoded whole, a few at a time, and without a limit the
// heap grows to twice what is live between collections. Collecting more
// often costs little next to the network. GOMEMLIMIT, when set, wins.
const goMemory = 20 << 20

func boundMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(goMemory)
	}
}

// resume picks up the runs left under way by processes that ended (a
// crash, a kill, Ctrl-C pressed twice) and says what it did. A run of the
// same work as one of specs stands for it: that spec is not added again.
// A spec whose latest run may have been billed, or is under way in
// another process, is not sent (unless --force): it is reported.
func (b *batch) resume(ctx context.Context, specs []run.Spec) []run.Spec {
	if b.store == nil {
		return specs
	}
	keys := make([]string, len(specs))
	wanted := map[string]bool{}
	for i, s := range specs {
		if s.TaskID == "" {
			keys[i] = app.WorkKey(s)
			if keys[i] != "" {
				wanted[keys[i]] = true
			}
		}
	}
	resumed, err := app.ResumeWith(ctx, b.store, b.q, app.ResumeOptions{
		Requeue: func(r library.Run) bool { return wanted[app.RunKey(r)] },
	})
	if err != nil {
		b.s.con.errorf("%v", err)
	}
	covered := map[string]bool{}
	for _, r := range resumed {
		b.s.con.infof("picked up %s", r.Describe())
		if r.ItemID != "" {
			covered[app.RunKey(r.Run)] = true
		}
	}
	var out []run.Spec
	for i, s := range specs {
		switch {
		case keys[i] != "" && covered[keys[i]]:
			covered[keys[i]] = false // one picked-up run stands for one spec
			continue
		case s.Force || s.TaskID != "":
		default:
			if r, found, err := app.Unsettled(ctx, b.store, s); err == nil && found {
				b.refused = append(b.refused, refusal{spec: s, err: unsettledError(r)})
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// unsettledError says why work that may be paid for already is not sent.
func unsettledError(r library.Run) error {
	if r.State == library.StateMaybeBilled {
		return fmt.Errorf("not sent: an earlier create of the same work (run %d) went out without its answer and may have been billed — check, then send it again with --force", r.ID)
	}
	return fmt.Errorf("not sent: the same work is under way in another Backdrop (run %d, %s) — wait for it, or send it again with --force", r.ID, r.State)
}

// follow shows the queue until it is done. A first cancel of ctx (Ctrl-C)
// stops sending and cancels what was not sent; what is already paid for
// is still fetched for cancelGrace, then the command ends, and every task
// not fetched is printed with the command that fetches it (the library
// also picks it up at the next start).
func (b *batch) follow(ctx context.Context, rep *reporter) {
	sub := b.q.Subscribe()
	defer sub.Close()
	done := make(chan struct{})
	go func() {
		b.q.Wait(context.Background())
		close(done)
	}()
	var grace <-chan time.Time
	cancelled := ctx.Done()
	for {
		select {
		case <-sub.C():
			rep.update(sub.Changes())
		case <-done:
			rep.update(sub.Changes())
			return
		case <-cancelled:
			cancelled = nil
			b.q.Pause()
			for _, it := range b.q.Items() {
				if it.State == run.Waiting && it.TaskID == "" {
					b.q.Cancel(it.ID)
				}
			}
			if b.busy() {
				b.s.con.infof("stopping: nothing more is sent; tasks already made are fetched for %v more (Ctrl-C again to end now)", cancelGrace)
			}
			t := time.NewTimer(cancelGrace)
			defer t.Stop()
			grace = t.C
		case <-grace:
			rep.update(sub.Changes())
			b.q.Close() // what is under way stays so in the library: picked up at the next start
			<-done
			rep.update(sub.Changes())
			return
		}
	}
}

// busy reports whether any item is still running.
func (b *batch) busy() bool {
	st := b.q.Stats()
	return st.Running > 0 || st.Waiting > 0
}

// dropCached drops the cache copy of a result once it is saved in the
// output folder (and kept by the library): the cache keeps only what
// could not be saved.
func (s *session) dropCached(v run.Variant) {
	if v.SavedPath == "" || v.CachedPath == "" || v.CachedPath == v.SavedPath {
		return
	}
	rel, err := filepath.Rel(s.cacheDir, v.CachedPath)
	if err != nil || !filepath.IsLocal(rel) || strings.ContainsRune(rel, filepath.Separator) {
		return // not a file of the cache folder (a library copy)
	}
	os.Remove(v.CachedPath)
}
