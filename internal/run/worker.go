package run

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"backdrop/api"
)

// errBound is the cause of a run that outlived Config.RunTimeout.
var errBound = errors.New("the run's time bound passed")

// attempt is one go of a worker at its item.
type attempt struct {
	ctx    context.Context // the item's: cancelled by Cancel or Close
	runCtx context.Context // ctx bounded by RunTimeout from the first send
	stop   context.CancelFunc
	ticket *waiter // the item's place in the pacer's line
	it     *item
	spec   Spec
	prep   *prepared
	// last is the latest failure the attempt waited out (a 429, an
	// outage): what the item says if its time bound passes meanwhile.
	last error
}

// bound starts the run's time bound, once.
func (a *attempt) bound(d time.Duration) {
	if a.runCtx == nil {
		a.runCtx, a.stop = context.WithTimeoutCause(a.ctx, d, errBound)
	}
}

// work takes an item from Waiting to its end.
func (q *Queue) work(ctx context.Context, it *item, ticket *waiter) {
	defer q.release(it)
	q.mu.Lock()
	a := &attempt{ctx: ctx, it: it, spec: it.spec, ticket: ticket}
	it.started = time.Now()
	resume, taskID := it.resume, it.taskID
	q.mu.Unlock()

	state, err := q.attempt(a, resume, taskID)
	if state != Done && state != Skipped {
		state, err = q.outcome(a, err)
	}
	if a.stop != nil {
		a.stop()
	}
	q.finish(it, state, err)
}

func (q *Queue) attempt(a *attempt, resume bool, taskID string) (State, error) {
	prep, err := prepare(a.spec)
	if err != nil {
		if resume {
			// A task that exists is fetched whatever became of the shot;
			// only the output folder must be writable.
			if dir := a.spec.Options.OutDir; dir != "" {
				if err := checkWritable(dir); err != nil {
					return Failed, err
				}
			}
			prep = &prepared{}
		} else {
			return Failed, fmt.Errorf("%w: %v", errNotSent, err)
		}
	}
	if resume && prep.key == "" && a.spec.Source() != "" {
		prep.sha, prep.key = resumeKey(a.spec)
	}
	a.prep = prep
	q.sweep(a.spec.Options.OutDir)
	if !resume && !a.spec.Force && a.spec.Options.OutDir != "" {
		if files := q.alreadyDone(a.spec.Options.OutDir, prep.work(a.spec)); files != nil {
			q.skipped(a.it, files)
			return Skipped, nil
		}
	}
	var task *api.Task
	if resume {
		a.bound(q.cfg.RunTimeout)
		q.setState(a.it, Queued, 0)
		// Asked once first: a task the service does not know (a mistyped
		// id, one long gone) or that failed ends here, without the wait's
		// patience for a task just created.
		task, err = q.cfg.Backend.GetTask(a.runCtx, taskID)
		var te *api.TaskError
		switch {
		case err != nil && (api.IsNotFound(err) || errors.As(err, &te)):
			q.mu.Lock()
			a.it.resume = false // nothing to fetch: a retry creates anew
			q.mu.Unlock()
			return Failed, err
		case err != nil && api.IsAuth(err):
			return Failed, err // a retry with a good token can still fetch it
		case err != nil || task == nil:
			task = &api.Task{ID: taskID, State: api.StateQueued} // the wait rides out an outage
		default:
			if task.ID == "" {
				task.ID = taskID
			}
			q.progress(a.it, task)
		}
	} else {
		task, err = q.create(a)
		if err != nil {
			return Failed, err
		}
	}
	if task.State != api.StateDone {
		if task, err = q.wait(a, task.ID); err != nil {
			return Failed, err
		}
	}
	return q.download(a, task)
}

// resumeKey is the shot's digest and the skip-done key of a resumed item
// when its shot is still there; "" when it is not.
func resumeKey(s Spec) (sha, key string) {
	if s.ImageFile == "" {
		return "", Key(s, "")
	}
	sha, err := checkShot(s.ImageFile)
	if err != nil {
		return "", ""
	}
	return sha, Key(s, sha)
}

// alreadyDone returns the files of an earlier run with this key when they
// all still exist.
func (q *Queue) alreadyDone(outDir string, w Work) []string {
	if w.Key == "" {
		return nil
	}
	files, err := q.cfg.Done.Lookup(outDir, w)
	if err != nil || len(files) == 0 {
		return nil
	}
	for _, f := range files {
		if info, err := os.Stat(f); err != nil || !info.Mode().IsRegular() {
			return nil
		}
	}
	return files
}

// create sends the create once the pacer allows, again after each 429,
// and never after anything else: a create that may have reached the
// service is never sent twice.
func (q *Queue) create(a *attempt) (*api.Task, error) {
	req := a.spec.Request()
	for {
		permitCtx := a.ctx
		if a.runCtx != nil {
			permitCtx = a.runCtx
		}
		err := q.pacer.acquire(permitCtx, a.ticket, a.it.seq)
		a.ticket = nil // used: a send after a 429 takes a new place
		if err != nil {
			return nil, a.lastOr(err)
		}
		a.bound(q.cfg.RunTimeout)
		if gate := q.cfg.BeforeCreate; gate != nil {
			if err := gate(a.runCtx, a.spec); err != nil {
				return nil, fmt.Errorf("%w: %w", errNotSent, err)
			}
		}
		if err := q.recordSending(a); err != nil {
			return nil, fmt.Errorf("%w: could not record it before sending: %v", errNotSent, err)
		}
		q.setState(a.it, Sending, 0)
		q.pacer.sending()
		ctx, tries := q.watchTries(a.runCtx, a)
		task, err := q.cfg.Backend.CreateTask(ctx, req)
		if refused, failed := tries.notOut(); err != nil && failed != nil {
			return nil, fmt.Errorf("%w: %v", errNotSent, failed)
		} else if err != nil && refused && !api.IsRateLimited(err) {
			// Stopped (cancelled, out of time) while the client waited
			// to send it again after a 429: nothing was made.
			return nil, fmt.Errorf("%w: %w", errNotSent, a.lastOr(err))
		}
		if err != nil && api.IsRateLimited(err) && a.runCtx.Err() == nil {
			a.last = err
			q.pacer.rateLimited(retryAfterOf(err))
			q.mu.Lock()
			a.it.limited++
			q.mu.Unlock()
			q.setState(a.it, Waiting, 0)
			continue
		}
		if task == nil || task.ID == "" && !task.State.Finished() {
			if err == nil {
				err = errors.New("the service answered the create without a task")
			}
			if mayHaveCreated(err) {
				q.mu.Lock()
				a.it.billed = true
				q.mu.Unlock()
			}
			return nil, err
		}
		q.pacer.passed()
		q.created(a.it, task)
		if err != nil {
			return nil, err // the task failed at once (a *api.TaskError)
		}
		return task, nil
	}
}

// created records the task id, before anything else happens to the task.
func (q *Queue) created(it *item, task *api.Task) {
	q.mu.Lock()
	it.taskID, it.resume = task.ID, !task.State.Failed()
	q.changedLocked(it)
	q.mu.Unlock()
	if err := q.record(func(r Recorder) error { return r.Created(it.id, task.ID) }); err != nil {
		q.warn(it.id, "could not record the task id "+task.ID+": "+err.Error())
	}
	q.progress(it, task)
}

// mayHaveCreated reports whether a create that failed may nevertheless
// have made (and billed) a task. The client knows for its own errors
// (api.TaskMayExist); anything else is assumed to have gone through.
func mayHaveCreated(err error) bool {
	switch {
	case errors.Is(err, errNotSent), api.IsValidation(err):
		return false
	case api.TaskMayExist(err):
		return true
	}
	var ne *api.NetworkError
	var pe *api.ProtocolError
	var ae *api.Error
	var re *api.RedirectError
	return !(errors.As(err, &ne) || errors.As(err, &pe) || errors.As(err, &ae) || errors.As(err, &re))
}

// lastOr is the failure the attempt was waiting out when err (the end of
// its context) came, or err.
func (a *attempt) lastOr(err error) error {
	if a.last != nil {
		return a.last
	}
	return err
}

// retryAfterOf reads the Retry-After of a 429 (seconds or an HTTP date).
func retryAfterOf(err error) time.Duration {
	var e *api.Error
	if !errors.As(err, &e) || e.RetryAfter == "" {
		return 0
	}
	if s, err := strconv.Atoi(e.RetryAfter); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(e.RetryAfter); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// wait follows the task to its end. Outages, 429s and server faults
// while polling do not abandon a paid task: the wait starts again (with
// backoff) until the run's time bound.
func (q *Queue) wait(a *attempt, id string) (*api.Task, error) {
	for try := 0; ; try++ {
		task, err := q.cfg.Backend.WaitTask(a.runCtx, id, func(t *api.Task) { q.progress(a.it, t) })
		if err == nil {
			return task, nil
		}
		if a.runCtx.Err() != nil {
			if a.last != nil && errors.Is(err, a.runCtx.Err()) {
				return nil, a.last // the outage it was waiting out says more
			}
			return nil, err
		}
		if (task != nil && task.State.Finished()) || !api.IsTemporary(err) {
			var te *api.TaskError
			if errors.As(err, &te) || api.IsNotFound(err) {
				q.mu.Lock()
				a.it.resume = false // nothing left to fetch: a retry creates anew
				q.mu.Unlock()
			}
			return nil, err
		}
		a.last = err
		if !sleepCtx(a.runCtx, backoff(try)) {
			return nil, err
		}
	}
}

// waitBackoff is the first pause before asking about a task again after
// a poll failed, or downloading a result again.
var waitBackoff = time.Second

// backoff is 1 s, 2 s, 4 s… up to 30 s.
func backoff(try int) time.Duration {
	return min(waitBackoff<<min(try, 5), 30*waitBackoff)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// progress shows a task's answer on the item.
func (q *Queue) progress(it *item, t *api.Task) {
	switch {
	case t.State == api.StateDone || t.State.Failed():
	case t.State == api.StateProcessing || t.Progress > 0:
		q.setState(it, Processing, t.Progress)
	default:
		q.setState(it, Queued, 0)
	}
}

// setState moves a running item; the Recorder hears of changes of state
// (not of percent).
func (q *Queue) setState(it *item, s State, percent int) {
	q.mu.Lock()
	if it.state == s && it.percent == percent {
		q.mu.Unlock()
		return
	}
	moved := it.state != s
	it.state, it.percent = s, min(max(percent, 0), 100)
	q.changedLocked(it)
	q.mu.Unlock()
	if moved {
		if err := q.record(func(r Recorder) error { return r.Progress(it.id, s) }); err != nil {
			q.warn(it.id, "could not record the progress: "+err.Error())
		}
	}
}

// download saves every result the task has (at most the variants asked
// for), all at once: result links expire.
func (q *Queue) download(a *attempt, task *api.Task) (State, error) {
	refs := task.Images
	n := a.spec.variants()
	if a.spec.Variants == 0 && a.spec.TaskID != "" {
		n = api.MaxBatchSize // fetching a task: whatever it made
	}
	if len(refs) > n {
		refs = refs[:n]
	}
	if len(refs) == 0 {
		return Failed, fmt.Errorf("task %s finished but the service returned no image", task.ID)
	}
	q.mu.Lock()
	it := a.it
	have := map[int]bool{}
	for _, v := range it.variants {
		have[v.N] = true
	}
	it.state, it.total, it.received = Downloading, len(refs), len(have)
	if task.ForegroundRect != nil {
		r := *task.ForegroundRect
		it.rect = &r
	}
	q.changedLocked(it)
	q.mu.Unlock()
	if err := q.record(func(r Recorder) error { return r.Progress(it.id, Downloading) }); err != nil {
		q.warn(it.id, "could not record the progress: "+err.Error())
	}

	var wg sync.WaitGroup
	errs := make([]error, len(refs))
	for i, ref := range refs {
		if have[i+1] {
			continue
		}
		wg.Go(func() {
			v, err := q.saveVariant(a, task.ID, i+1, ref)
			if err != nil {
				errs[i] = &VariantError{N: i + 1, URL: urlOf(ref), Err: err}
				return
			}
			q.addVariant(it, v)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Failed, err
	}
	q.markDone(a)
	return Done, nil
}

// addVariant keeps a saved variant, in variant order, and records it.
func (q *Queue) addVariant(it *item, v Variant) {
	q.mu.Lock()
	it.variants = append(it.variants, v)
	slices.SortFunc(it.variants, func(a, b Variant) int { return a.N - b.N })
	it.received = len(it.variants)
	q.changedLocked(it)
	q.mu.Unlock()
	if err := q.record(func(r Recorder) error { return r.VariantSaved(it.id, v) }); err != nil {
		q.warn(it.id, fmt.Sprintf("could not record variant %d: %v", v.N, err))
	}
}

// markDone remembers finished work in the output folder's index.
func (q *Queue) markDone(a *attempt) {
	dir := a.spec.Options.OutDir
	if dir == "" || a.prep == nil || a.prep.key == "" {
		return
	}
	q.mu.Lock()
	var files []string
	for _, v := range a.it.variants {
		files = append(files, v.SavedPath)
	}
	taskID := a.it.taskID
	q.mu.Unlock()
	if err := q.cfg.Done.MarkDone(dir, a.prep.work(a.spec), files, taskID); err != nil {
		q.warn(a.it.id, "could not note it as done: "+err.Error())
	}
}

// skipped ends an item whose work was done before, listing its files.
func (q *Queue) skipped(it *item, files []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	it.variants = nil
	for i, f := range files {
		v := Variant{N: i + 1, SavedPath: f}
		if info, err := os.Stat(f); err == nil {
			v.Bytes = info.Size()
		}
		it.variants = append(it.variants, v)
	}
	it.received, it.total = len(files), len(files)
	q.changedLocked(it)
}

// outcome words how an attempt that did not finish ended.
func (q *Queue) outcome(a *attempt, err error) (State, error) {
	q.mu.Lock()
	taskID, stopped := a.it.taskID, a.it.stopped
	q.mu.Unlock()
	later := ""
	if taskID != "" {
		later = fmt.Sprintf(" (task %s: its results can be fetched for about an hour)", taskID)
	}
	switch {
	case a.ctx.Err() != nil || stopped:
		return Cancelled, fmt.Errorf("%w%s", errCancelled, later)
	case a.runCtx != nil && context.Cause(a.runCtx) == errBound:
		if err == nil || err == a.runCtx.Err() {
			return Failed, fmt.Errorf("did not finish within %v%s", q.cfg.RunTimeout, later)
		}
		// The last failure stays in the chain (errors.As finds the
		// client's typed error) and in the words.
		return Failed, fmt.Errorf("did not finish within %v%s: %w", q.cfg.RunTimeout, later, err)
	}
	if taskID != "" && api.IsTemporary(err) && len(VariantErrors(err)) == 0 {
		return Failed, fmt.Errorf("%w%s", err, later)
	}
	return Failed, err
}

// finish ends the item and records how. The record is written before the
// item is seen as ended, so a process that exits as soon as its queue is
// idle has already written how every item ended.
func (q *Queue) finish(it *item, s State, err error) {
	if s == Done || s == Skipped {
		err = nil
	}
	q.mu.Lock()
	if s == Failed && it.billed && !api.TaskMayExist(err) {
		err = fmt.Errorf("%w (the create may have reached the service; it is not sent again by itself)", err)
	}
	closing := q.closed && s == Cancelled && !it.stopped
	if closing {
		err = errors.New("stopped: the queue was closed")
	}
	rec := EndRecord{State: s, MayBeBilled: s == Failed && it.billed}
	if err != nil {
		rec.Err = err.Error()
	}
	if s == Skipped {
		for _, v := range it.variants {
			rec.Files = append(rec.Files, v.SavedPath)
		}
	}
	q.mu.Unlock()
	if !closing {
		q.recordEnded(it.id, rec)
	}
	q.mu.Lock()
	q.endLocked(it, s, err)
	q.mu.Unlock()
}
