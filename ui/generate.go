package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
	"backdrop/internal/library"
	"backdrop/internal/run"
)

// startRun is Generate (Ctrl+Enter): every draft of the strip goes to the
// queue; with none, the current shot (or URL) is run again with the form
// as it is. Drafts without a prompt of their own take the prompt box's.
func (w *Window) startRun() {
	if w.sess == nil {
		return
	}
	w.takeTypedURL()
	batch := w.drafts()
	if len(batch) == 0 && w.queueStats().Paused && w.queueStats().Waiting > 0 {
		// Items wait in a paused queue (picked up at start, or paused by
		// hand): Generate sends them.
		w.strip.togglePause()
		return
	}
	if len(batch) == 0 {
		e, ok := w.againFromForm()
		if !ok {
			return
		}
		batch = []*entry{e}
	}
	needPrompt := false
	for _, e := range batch {
		if strings.TrimSpace(e.spec.Prompt) == "" {
			needPrompt = true
		}
	}
	if needPrompt || w.current != nil && w.current.draft() {
		if !w.prompt.check(true) {
			w.win.Canvas().Focus(w.prompt.entry)
			return
		}
	}
	if w.oversize != "" && w.current != nil && w.current.draft() && w.current.spec.ImageFile == w.oversize {
		w.source.refuse("This shot is over the service's 15 MB limit: send a resized copy (the button above) or pick a smaller file.")
		return
	}
	prompt := w.prompt.text()
	for _, e := range batch {
		if strings.TrimSpace(e.spec.Prompt) == "" {
			e.spec.Prompt = prompt
		}
		if err := e.spec.Validate(); err != nil {
			w.refuseSpec(e, err)
			return
		}
	}
	w.deps.Store.AddRecentPrompt(prompt)
	w.prompt.showRecent(w.deps.Store.RecentPrompts())
	w.submit(batch)
}

// takeTypedURL makes a typed image URL the current draft.
func (w *Window) takeTypedURL() {
	url := w.sourceURL()
	if url == "" || w.current != nil && w.current.spec.ImageURL == url && w.current.draft() {
		return
	}
	spec := w.draftSpec()
	spec.ImageURL = url
	if w.current != nil && w.current.single && w.current.draft() {
		e := &entry{id: w.current.id, spec: spec, single: true}
		w.replaceEntry(w.current, e)
		w.show = newShowcase(e, w.show.turn+1)
	} else {
		w.setCurrent(w.newEntry(spec, true))
	}
	w.strip.refresh()
}

// againFromForm is a new draft running the current entry's shot again
// with the prompt and variant count in the form ("Generate again").
func (w *Window) againFromForm() (*entry, bool) {
	cur := w.current
	if cur == nil || cur.spec.ImageFile == "" && cur.spec.ImageURL == "" {
		w.source.refuse("Drop, open or paste a product shot first, or give an image URL.")
		return nil, false
	}
	spec := w.draftSpec()
	spec.ImageFile, spec.ImageURL, spec.Force = cur.spec.ImageFile, cur.spec.ImageURL, true
	if st := w.state(cur); !st.Finished() && sameWork(spec, cur.spec) {
		w.say("This shot is already being generated with this prompt.")
		return nil, false
	}
	e := w.newEntry(spec, true)
	w.setCurrent(e)
	return e, true
}

// refuseSpec says why a draft cannot be sent.
func (w *Window) refuseSpec(e *entry, err error) {
	var ve *api.ValidationError
	switch {
	case errors.As(err, &ve) && ve.Field == "callback_url":
		w.showError(fmt.Errorf("the callback URL in Settings is not an http(s) address: %s", ve.Reason))
	case errors.As(err, &ve) && ve.Field == "prompt":
		w.setCurrent(e)
		w.prompt.check(true)
		w.win.Canvas().Focus(w.prompt.entry)
	default:
		w.setCurrent(e)
		w.source.refuse(fmt.Sprintf("%s cannot be sent: %v", e.name(), err))
	}
}

// submit hands drafts to the current queue, off the UI thread: the
// service is checked first (a closed port is said at once, not after the
// create's retries), then the daily cap, then each is added (the library
// records it before anything is sent).
func (w *Window) submit(batch []*entry) {
	s := w.sess
	for _, e := range batch {
		e.sending = true
	}
	w.submitting++
	w.strip.refresh()
	w.run.running(true)
	w.say(fmt.Sprintf("Sending %s…", countOf(len(batch), "shot")))
	w.win.SetTitle(w.title())
	ctx := w.submitCtx
	specs := make([]run.Spec, len(batch))
	want := 0
	for i, e := range batch {
		specs[i] = e.spec
		want += max(e.spec.Variants, 1)
	}
	lib, capacity, hc := w.deps.Library, w.settings.DailyCap, w.probe
	go func() {
		var err error
		if !s.offline {
			err = probe(ctx, hc, s.backend.Endpoint())
			if err == nil && lib != nil && capacity > 0 {
				err = lib.CheckCap(ctx, capacity, want)
			}
		}
		ids := make([]string, len(batch))
		if err == nil && ctx.Err() == nil {
			s.queue.Resume() // Generate runs every waiting item, paused or not
			for i, spec := range specs {
				id, aerr := s.queue.Add(spec)
				if aerr != nil {
					err = aerr
					break
				}
				ids[i] = id
				if ctx.Err() != nil {
					s.queue.Cancel(id) // Esc came while adding
				}
			}
		}
		if ctx.Err() != nil && err == nil && ids[0] == "" {
			err = context.Canceled // nothing was added; what was is cancelled in the queue
		}
		w.ui(func() { w.submitted(s, batch, ids, err) })
	}()
}

// submitted ties the drafts to their queue items, or says why they were
// not sent (they stay drafts).
func (w *Window) submitted(s *session, batch []*entry, ids []string, err error) {
	w.submitting--
	for i, e := range batch {
		e.sending = false
		if ids[i] == "" {
			continue
		}
		e.sess, e.runID = s, ids[i]
		w.byRun[e.runID] = e
	}
	w.strip.refresh()
	if w.current != nil && w.current.runID != "" {
		w.showCurrent()
	}
	w.updateRunning()
	var capErr *library.CapError
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled):
		w.say("Cancelled.")
		w.notify("finished")
	case errors.As(err, &capErr):
		w.showFailure(w.explain(err, nil))
		w.say("Not sent: the daily cap is reached.")
		w.notify("finished")
	default:
		f := w.explain(err, nil)
		w.say("Not sent: " + f.title + ".")
		w.showFailure(f)
		w.notify("finished")
	}
}

// applyChanges is the bridge's batch, on the UI thread: the strip's rows,
// the current entry, the queue's bar and what ended.
func (w *Window) applyChanges(b batch) {
	for _, id := range b.removed {
		delete(w.snaps, id)
	}
	var ended []*entry
	for id, snap := range b.items {
		old, had := w.snaps[id]
		w.snaps[id] = snap
		e := w.byRun[id]
		if e == nil {
			continue
		}
		w.strip.refreshEntry(e)
		if e == w.current {
			w.showProgress(snap)
			if len(snap.Variants) != len(old.Variants) || snap.State != old.State {
				w.showCurrentVariants()
			}
		}
		// An end is new when the item was under way, or when a retry
		// started and ended between two batches (a later attempt).
		if snap.State.Finished() && (!had || !old.State.Finished() || !snap.Started.Equal(old.Started)) {
			ended = append(ended, e)
		}
	}
	for s, st := range b.stats {
		w.stats[s] = st
	}
	for _, e := range ended {
		w.entryEnded(e)
	}
	w.updateRunning()
	if len(ended) > 0 {
		// The library recorded them: its views follow.
		w.refreshSpend()
		w.library.invalidate()
		w.refreshBoard()
	}
}

// entryEnded reports an item that finished: in full for the current one,
// on its row (and in the queue's bar) for the others.
func (w *Window) entryEnded(e *entry) {
	snap, _ := w.snapshot(e)
	if e != w.current {
		if snap.State == run.Failed {
			w.logEvent("status", e.name()+": "+snap.Label())
		}
		return
	}
	w.win.SetTitle(w.title())
	switch snap.State {
	case run.Done:
		w.say(fmt.Sprintf("Done: %s, saved in the folder %s.", countOf(len(snap.Variants), "variant"), filepath.Base(snap.Spec.Options.OutDir)))
	case run.Skipped:
		w.say(fmt.Sprintf("Already done with this prompt: showing the %s saved before. Generate again (or Run again) makes new ones.", countOf(len(snap.Variants), "variant")))
	case run.Cancelled:
		w.say("Cancelled.")
	case run.Failed:
		f := w.explain(snap.Err, &snap)
		w.say("Failed: " + f.title + ".")
		w.run.failed(f)
		w.showFailure(f)
	}
	w.notify("finished")
	w.flushMemory()
}

// updateRunning sets Cancel, the title and the close question by whether
// anything is under way.
func (w *Window) updateRunning() {
	n := w.runningCount()
	if n == 0 && w.run.on {
		defer w.notify("idle") // everything sent has ended
	}
	w.run.running(n > 0)
	if n > 0 && (w.current == nil || w.state(w.current).Finished()) {
		// The shown shot is done: the bar follows the rest of the queue.
		t := w.queueStats()
		if t.Total > 0 {
			w.run.showStage(float64(t.Finished())/float64(t.Total), fmt.Sprintf("Queue: %d of %d done", t.Finished(), t.Total))
		}
	}
	if n == 0 {
		w.dismissCloseQuestion()
		if w.current != nil {
			if s, ok := w.snapshot(w.current); ok && s.State == run.Failed {
				w.run.failed(w.explain(s.Err, &s))
			}
		}
	}
	w.win.SetTitle(w.title())
	w.strip.showStats(w.queueStats())
}

// runningCount is how many items are sent or on their way, in every
// session, with the drafts being handed over.
func (w *Window) runningCount() int {
	n := 0
	for _, e := range w.entries {
		if e.sending {
			n++
			continue
		}
		s, ok := w.snapshot(e)
		switch {
		case !ok && e.runID != "" && e.lib == nil:
			n++ // just added: its first snapshot is on the way
		case ok && !s.State.Finished() && (s.State != run.Waiting || !w.stats[e.sess].Paused):
			n++
		}
	}
	return n
}

// showProgress shows the current item's stage in the run panel.
func (w *Window) showProgress(s run.Snapshot) {
	if s.State.Finished() {
		return
	}
	w.run.showStage(s.Fraction(), s.Label())
	w.say(s.Name() + ": " + s.Label())
}

// cancelRun is Esc and Cancel: everything under way stops (drafts being
// handed over stay drafts). Tasks already made keep their ids, so their
// results can still be fetched (Retry) while their links live.
func (w *Window) cancelRun() {
	if w.runningCount() == 0 {
		return
	}
	w.submitStop()
	w.submitCtx, w.submitStop = context.WithCancel(context.Background())
	sessions := append([]*session{w.sess}, w.retired...)
	go func() {
		for _, s := range sessions {
			if s != nil {
				s.queue.CancelAll()
			}
		}
	}()
	w.run.showStage(w.run.progress.Value, "Cancelling…")
	w.say("Cancelling…")
}

// retryRun is Retry (Ctrl+R) on the current entry: a task that was made
// is waited for and downloaded (never created again); otherwise the
// request is sent again.
func (w *Window) retryRun() {
	e := w.current
	if e == nil || e.sess == nil {
		return
	}
	if s, ok := w.snapshot(e); !ok || s.State != run.Failed && s.State != run.Cancelled {
		return
	}
	w.retryEntry(e)
}

// retryEntry sends a failed or cancelled item again, off the UI thread
// (the library records it).
func (w *Window) retryEntry(e *entry) {
	q, id := e.sess.queue, e.runID
	w.run.running(true)
	go func() {
		err := q.Retry(id)
		w.ui(func() {
			if err != nil {
				w.say("Not retried: " + err.Error())
				w.updateRunning()
			}
		})
	}()
}

// fetchAgain is Fetch results: the current entry's task is waited for and
// its images downloaded again (a retry never creates a task it has).
func (w *Window) fetchAgain() { w.retryRun() }

// askFetch asks for a task id (e.g. one printed by a failed CLI run) and
// fetches its results as an item of the queue.
func (w *Window) askFetch() {
	id := w.textEntry(false)
	if w.current != nil {
		if s, ok := w.snapshot(w.current); ok {
			id.SetText(s.TaskID)
		}
	}
	id.SetPlaceHolder("task id")
	dialog.ShowForm("Fetch the results of a task", "Fetch", "Cancel",
		[]*widget.FormItem{{Text: "Task id", Widget: id, HintText: "The service keeps result links for about an hour."}},
		func(ok bool) {
			if t := strings.TrimSpace(id.Text); ok && t != "" && w.sess != nil {
				e := w.newEntry(run.Spec{TaskID: t, Options: itemOptions(w.settings)}, true)
				w.setCurrent(e)
				w.submit([]*entry{e})
			}
		}, w.win)
}

// title is the window title: the shot's name, and whether runs are on.
func (w *Window) title() string {
	t := "Backdrop"
	switch {
	case w.current != nil:
		t = shorten(w.current.name(), 60) + " — Backdrop"
	case w.shot != nil:
		t = w.shot.Name + " — Backdrop"
	case w.sourceURL() != "":
		t = shorten(w.sourceURL(), 60) + " — Backdrop"
	}
	if n := w.runningCount(); n > 1 {
		t = fmt.Sprintf("Generating %d · %s", n, t)
	} else if n == 1 {
		t = "Generating · " + t
	}
	return t
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// countOf says "1 shot", "3 shots".
func countOf(n int, what string) string { return fmt.Sprintf("%d %s%s", n, what, plural(n)) }
