package ui

import (
	"strings"

	"backdrop/internal/library"
	"backdrop/internal/run"
)

// entry is one row of the queue strip: a shot (or URL, or task) with its
// prompt, variant count and options. It starts as a draft the window
// holds (editable, not sent) and becomes an item of a session's queue at
// Generate; from then on its state is the queue's snapshot, never a copy
// the window keeps of its own.
type entry struct {
	id   int      // the row's number in this window
	spec run.Spec // what is (or will be) sent; a draft's Prompt may be "": it takes the prompt box's at Generate
	// single: loaded on its own (Open, one dropped file), so the next
	// single load replaces it while it is still a draft.
	single   bool
	replaced *entry // the draft a single load replaced, restored if the new shot is refused

	sending bool     // handed to the queue, its id not back yet
	sess    *session // nil while a draft
	runID   string

	lib *library.Run // a run opened from the library (never a draft)
}

func (e *entry) draft() bool { return e.sess == nil && !e.sending && e.lib == nil }

// name is how the row is titled.
func (e *entry) name() string { return e.spec.Name() }

// snapshot is the entry's item as the queue last reported it.
func (w *Window) snapshot(e *entry) (run.Snapshot, bool) {
	if e.runID == "" {
		return run.Snapshot{}, false
	}
	s, ok := w.snaps[e.runID]
	return s, ok
}

// state is where the entry is: a draft waits like a queued item; a run
// from the library is over.
func (w *Window) state(e *entry) run.State {
	if s, ok := w.snapshot(e); ok {
		return s.State
	}
	if e.lib != nil {
		if e.lib.State == library.StateDone {
			return run.Done
		}
		return run.Failed
	}
	return run.Waiting
}

// editable: a draft, or a queued item that has not started.
func (w *Window) editable(e *entry) bool {
	if e.draft() {
		return true
	}
	s, ok := w.snapshot(e)
	return ok && s.State == run.Waiting && s.Started.IsZero() && s.TaskID == ""
}

// newEntry adds a draft for spec at the end of the strip.
func (w *Window) newEntry(spec run.Spec, single bool) *entry {
	w.lastEntry++
	e := &entry{id: w.lastEntry, spec: spec, single: single}
	w.entries = append(w.entries, e)
	return e
}

// draftSpec is a new item's spec from the form as it is now: the options
// in effect, the variant count and (when written) the prompt.
func (w *Window) draftSpec() run.Spec {
	return run.Spec{
		Prompt:   w.prompt.text(),
		Variants: w.variants.count(),
		Options:  itemOptions(w.settings),
	}
}

// addFileEntry adds a draft for a shot file. A single load replaces the
// current entry when that is a single draft too (choosing another file
// before Generate, as with one shot at a time).
func (w *Window) addFileEntry(path string, single bool) *entry {
	spec := w.draftSpec()
	spec.ImageFile = path
	if single && w.current != nil && w.current.single && w.current.draft() {
		old := w.current
		e := &entry{id: old.id, spec: spec, single: true, replaced: old}
		w.replaceEntry(old, e)
		return e
	}
	return w.newEntry(spec, single)
}

func (w *Window) replaceEntry(old, e *entry) {
	for i, x := range w.entries {
		if x == old {
			w.entries[i] = e
		}
	}
	if w.current == old {
		w.current = e
	}
}

// removeEntry takes a draft out of the strip.
func (w *Window) removeEntry(e *entry) {
	for i, x := range w.entries {
		if x == e {
			w.entries = append(w.entries[:i], w.entries[i+1:]...)
			break
		}
	}
	if w.current == e {
		w.current = nil
	}
}

// drafts are the entries Generate sends.
func (w *Window) drafts() []*entry {
	var out []*entry
	for _, e := range w.entries {
		if e.draft() {
			out = append(out, e)
		}
	}
	return out
}

// indexOf is the entry's row, -1 when it is gone.
func (w *Window) indexOf(e *entry) int {
	for i, x := range w.entries {
		if x == e {
			return i
		}
	}
	return -1
}

// sameWork reports whether two specs would send the same request.
func sameWork(a, b run.Spec) bool {
	return a.ImageFile == b.ImageFile && a.ImageURL == b.ImageURL && a.TaskID == b.TaskID &&
		strings.TrimSpace(a.Prompt) == strings.TrimSpace(b.Prompt) && a.Variants == b.Variants
}
