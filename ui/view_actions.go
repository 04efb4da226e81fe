package ui

import (
	"runtime/debug"
)

// showGallery and showCompare switch tabs; Compare takes the keyboard
// focus so that +, −, 0, 1 and a held B work at once.
func (w *Window) showGallery() { w.tabs.SelectIndex(tabGallery) }

func (w *Window) showCompare() {
	w.tabs.SelectIndex(tabCompare)
	w.win.Canvas().Focus(w.compare)
}

// showBoard and showLibrary switch to those tabs; the library's search
// takes the focus.
func (w *Window) showBoard() { w.tabs.SelectIndex(tabBoard) }

func (w *Window) showLibrary() {
	w.tabs.SelectIndex(tabLibrary)
	w.win.Canvas().Focus(w.library.search)
}

// zoomCompare zooms the compare view in (+1), out (-1) or to fit (0),
// showing it first.
func (w *Window) zoomCompare(step int) {
	if w.tabs.SelectedIndex() != tabCompare {
		w.showCompare()
	}
	switch {
	case step > 0:
		w.compare.ZoomIn()
	case step < 0:
		w.compare.ZoomOut()
	default:
		w.compare.Fit()
	}
}

// flushMemory hands the memory of decoded full-size images, dropped once
// their display copies are made, back to the system, so that the window's
// footprint is what it shows rather than its high-water mark.
func (w *Window) flushMemory() {
	go debug.FreeOSMemory()
}
