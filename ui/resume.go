package ui

import (
	"context"
	"fmt"
	"time"

	"backdrop/internal/app"
	"backdrop/internal/library"
)

// resumeAtStart picks up, off the UI thread, the runs that a window or a
// CLI run left under way (app.Resume): tasks under an hour old are
// fetched again; runs that were waiting come back into the queue, paused;
// runs whose task expired at the service, or whose create may have been
// billed, are shown with an offer to run them again, never sent by
// themselves.
func (w *Window) resumeAtStart() {
	lib, s := w.deps.Library, w.sess
	if lib == nil || s == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		res, err := app.Resume(ctx, lib, s.queue)
		w.ui(func() { w.resumed(s, res, err) })
	}()
}

// resumed puts what Resume picked up into the strip and says what it did.
func (w *Window) resumed(s *session, res []app.Resumed, err error) {
	if err != nil {
		w.say("The runs of the last session could not be picked up: " + err.Error())
		w.notify("resumed")
		return
	}
	if len(res) == 0 {
		return
	}
	var first *entry
	var lines []string
	paused := 0
	for _, r := range res {
		lines = append(lines, r.Describe())
		w.logEvent("picked-up", r.Describe())
		run := r.Run
		var e *entry
		switch {
		case r.ItemID != "":
			e = w.newEntry(app.SpecOf(run, r.Action == library.ActionPoll), false)
			e.sess, e.runID = s, r.ItemID
			w.byRun[r.ItemID] = e
			if r.Action == library.ActionRequeuePaused {
				paused++
			}
		case r.Action == library.ActionExpired || r.Action == library.ActionMaybeBilled:
			e = w.newEntry(specOfRun(run), false)
			e.lib = &run
		}
		if first == nil && e != nil {
			first = e
		}
	}
	w.strip.refresh()
	if w.current == nil && first != nil {
		w.setCurrent(first)
	}
	msg := fmt.Sprintf("Picked up %s from the last session.", countOf(len(res), "run"))
	if paused > 0 {
		msg += fmt.Sprintf(" %s waiting in the queue, paused: Generate (or Resume) sends them.", countOf(paused, "shot"))
	}
	w.say(msg)
	w.showResumed(lines)
	w.updateRunning()
	w.notify("resumed")
}

// showResumed lists what became of each run picked up.
func (w *Window) showResumed(lines []string) {
	w.showLines("Picked up from the last session", lines, 30, "…and %d more (see the queue).", 560, 60, 20)
}

// rerunFromLibrary makes a run of the library (expired at the service, or
// perhaps billed) a draft doing the same work again: Generate sends it.
func (w *Window) rerunFromLibrary(e *entry) {
	if e.lib == nil {
		return
	}
	d := &entry{id: e.id, spec: app.Again(*e.lib)}
	w.replaceEntry(e, d)
	w.strip.refresh()
	w.setCurrent(d)
	w.say(fmt.Sprintf("%s is ready to run again (a new create): press Generate (Ctrl+Enter).", d.name()))
}

// libLabel says where a run of the library stands, on its row.
func libLabel(r *library.Run) string {
	switch r.State {
	case library.StateExpired:
		return "Expired at the service · run it again"
	case library.StateMaybeBilled:
		return "May have been billed · not sent again by itself"
	case library.StateDone:
		return fmt.Sprintf("Done · %s (from the library)", countOf(len(r.Images), "variant"))
	}
	return string(r.State) + " (from the library)"
}
