package ui

import (
	"runtime/debug"
)

// showGallery and showCompare switch tabs; Compare takes the keyboard
// focus so that +, −, 0, 1 and a held B work at once.
func (w *Window) showGallery() { w.tabs.SelectIndex(0) }

func (w *Window) showCompare() {
	w.tabs.SelectIndex(1)
	w.win.Canvas().Focus(w.compare)
}

// zoomCompare zooms the compare view in (+1), out (-1) or to fit (0),
// showing it first.
func (w *Window) zoomCompare(step int) {
	if w.tabs.SelectedIndex() != 1 {
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
