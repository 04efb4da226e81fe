package ui

import (
	"fmt"
	"image"
	"os"
	"slices"

	"backdrop/internal/imagefile"
	"backdrop/internal/run"
	"backdrop/ui/compare"
)

// shownVariant is a variant of the current entry as the gallery and
// Compare show it: display copies made off the UI thread, the file on disk.
type shownVariant struct {
	n       int
	path    string // the file to show, open or copy: saved, else the cached copy
	saved   string // in the output folder; "" when not there
	kept    string // a copy Backdrop keeps (cache, library): "" when none
	format  string // content type
	width   int
	height  int
	preview image.Image  // nil while loading
	item    compare.Item // its compare copies, once loaded
	failed  string       // why it could not be shown
}

// showcase is the current entry's variants being shown. Only this one
// entry's display copies are kept: forty entries of 4096² results would
// not fit in memory, their thumbnails do.
type showcase struct {
	entry    *entry
	turn     int // changes with the entry, so a late load is dropped
	variants map[int]*shownVariant
	// compareFirst: Compare is to show the original beside the first
	// variant once that is loaded (new results), not what was chosen before.
	compareFirst bool
	autoSelected bool // the selection was made here, not by the designer
}

func newShowcase(e *entry, turn int) *showcase {
	return &showcase{entry: e, turn: turn, variants: map[int]*shownVariant{}}
}

// decodeSlots bounds the full-size images decoded at once for display.
var decodeSlots = make(chan struct{}, 2)

// setCurrent makes e the entry shown in the source panel, gallery and
// compare, and puts its prompt and variant count in the form.
func (w *Window) setCurrent(e *entry) {
	if e == w.current && w.show.entry == e {
		return
	}
	w.current = e
	if h := w.currentHash(); h != "" && h != w.pinnedHash {
		w.pinned = nil // Compare offers the runs of this shot only
	}
	w.show = newShowcase(e, w.show.turn+1)
	w.selected = 0
	w.run.clearFailure()
	if e != nil {
		w.formFrom(e)
	}
	w.showCurrent()
	w.strip.markCurrent()
	w.refreshBoard()
}

// formFrom shows an entry's prompt and variant count in the form (a draft
// without a prompt of its own leaves the prompt box as it is).
func (w *Window) formFrom(e *entry) {
	if p := e.spec.Prompt; p != "" && p != w.prompt.text() {
		w.prompt.entry.Replace(p) // undoable
	}
	if n := e.spec.Variants; n > 0 && n != w.variants.count() {
		w.variants.slider.SetValue(float64(n))
	}
}

// formChanged edits the current entry while it has not been sent: the
// form shows it, so what is typed is what it will send.
func (w *Window) formChanged() {
	e := w.current
	if e == nil || !w.editable(e) {
		return
	}
	prompt, n := w.prompt.text(), w.variants.count()
	if e.draft() {
		e.spec.Prompt, e.spec.Variants = prompt, n
		w.strip.refreshEntry(e)
		return
	}
	if prompt == "" {
		return // a queued item keeps a prompt
	}
	e.sess.queue.Edit(e.runID, func(s *run.Spec) { s.Prompt, s.Variants = prompt, n })
}

// showCurrent shows the current entry: its shot, its variants, its state.
func (w *Window) showCurrent() {
	e := w.current
	if e == nil {
		w.win.SetTitle(w.title())
		return
	}
	switch {
	case e.spec.ImageFile != "" && (w.shot == nil || w.shot.Path != e.spec.ImageFile):
		w.loadShot(e, false)
	case e.spec.ImageFile == "" && w.shot != nil:
		w.shot, w.originalItem = nil, compare.Item{}
		w.source.clearShot()
		w.gallery.setOriginal(nil)
	}
	if e.spec.ImageURL != "" && w.sourceURL() != e.spec.ImageURL {
		w.setURLQuietly(e.spec.ImageURL)
	} else if e.spec.ImageURL == "" && w.sourceURL() != "" {
		w.setURLQuietly("")
	}
	if s, ok := w.snapshot(e); ok {
		if !s.State.Finished() {
			w.showProgress(s)
		}
	}
	w.showCurrentVariants()
	w.win.SetTitle(w.title())
}

// showCurrentVariants starts loading the display copies of variants that
// arrived, and shows what is loaded.
func (w *Window) showCurrentVariants() {
	sc := w.show
	files := w.variantFiles(w.current)
	fresh := len(sc.variants) == 0
	for _, f := range files {
		if sc.variants[f.n] != nil || f.path == "" {
			continue
		}
		sv := f
		sc.variants[f.n] = sv
		w.loadVariant(sc, sv)
	}
	shown := sc.list()
	w.gallery.setResults(shown)
	// The first variant is selected, also when a later one arrived first.
	if len(shown) > 0 && (w.selected == 0 || sc.autoSelected && shown[0].n < w.selected) {
		w.selectVariant(shown[0].n)
		sc.autoSelected = true
	}
	w.refreshCompare()
	if fresh && len(shown) > 0 {
		sc.compareFirst = true
		w.compareFirstVariant()
		// New results show in the gallery, unless the designer is
		// browsing the library or the board: a finishing queue must not
		// pull them away.
		if i := w.tabs.SelectedIndex(); i != tabLibrary && i != tabBoard {
			w.tabs.SelectIndex(tabGallery)
		}
	}
}

// variantFiles are the variants of an entry that are on disk: from the
// queue's snapshot, or from the library for a run opened from there.
func (w *Window) variantFiles(e *entry) []*shownVariant {
	var out []*shownVariant
	if e == nil {
		return nil
	}
	if e.lib != nil {
		for _, v := range e.lib.Images {
			out = append(out, &shownVariant{n: v.N, path: v.Path, saved: v.SavedPath, kept: v.Path, format: v.Format, width: v.Width, height: v.Height})
		}
		return out
	}
	snap, ok := w.snapshot(e)
	if !ok {
		return nil
	}
	for _, v := range snap.Variants {
		out = append(out, &shownVariant{n: v.N, path: v.Path(), saved: v.SavedPath, kept: v.CachedPath, format: v.Format, width: v.Width, height: v.Height})
	}
	return out
}

// compareFirstVariant shows the original beside the first variant in
// Compare once it is loaded, for new results.
func (w *Window) compareFirstVariant() {
	sc := w.show
	list := sc.list()
	if !sc.compareFirst || len(list) == 0 || list[0].preview == nil {
		return
	}
	sc.compareFirst = false
	right := 0
	if w.shot != nil {
		right = 1
	}
	w.compare.Choose(0, right)
}

// list is the variants in order.
func (sc *showcase) list() []*shownVariant {
	out := make([]*shownVariant, 0, len(sc.variants))
	for _, v := range sc.variants {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *shownVariant) int { return a.n - b.n })
	return out
}

// loadVariant decodes a variant's file off the UI thread into its display
// copy, its compare copies and its strip thumbnail.
func (w *Window) loadVariant(sc *showcase, sv *shownVariant) {
	path, n, turn := sv.path, sv.n, sc.turn
	go func() {
		decodeSlots <- struct{}{}
		preview, item, err := decodeVariant(path, n)
		<-decodeSlots
		if err == nil {
			w.thumbs.put(path, thumbOf(preview))
		}
		w.ui(func() {
			if w.show.turn != turn {
				return // another entry is shown now
			}
			if err != nil {
				sv.failed = err.Error()
			} else {
				sv.preview, sv.item = preview, item
				sv.width, sv.height = item.Size()
			}
			w.gallery.setResults(w.show.list())
			w.refreshCompare()
			w.compareFirstVariant()
			w.notify("variant-shown")
		})
	}()
}

func decodeVariant(path string, n int) (image.Image, compare.Item, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, compare.Item{}, fmt.Errorf("variant %d cannot be read: %v", n, err)
	}
	img, err := imagefile.DecodeImage(data)
	if err != nil {
		return nil, compare.Item{}, fmt.Errorf("variant %d cannot be shown: %v", n, err)
	}
	preview := imagefile.Shrink(img, imagefile.PreviewSide)
	return preview, compare.Prepare(fmt.Sprintf("Variant %d", n), img), nil
}
