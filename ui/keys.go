package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
)

// onKey answers the keys that work whatever has focus: Esc cancels a
// run (or a pending one), F1 shows the shortcut sheet. Every focusable
// widget of the window asks it first (see package keyed); the canvas asks
// it when nothing has focus.
func (w *Window) onKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyEscape:
		// Esc closes a dialog first, as anywhere else (the list of what
		// was picked up must not cancel the paid tasks being fetched).
		// The top overlay is a dialog's wrapper: hiding it alone would
		// leave it in the stack, keeping the keyboard from the window.
		if top := w.win.Canvas().Overlays().Top(); top != nil {
			top.Hide()
			w.win.Canvas().Overlays().Remove(top)
			return true
		}
		if w.runningCount() == 0 {
			return false // let a widget use Esc (e.g. close a drop-down)
		}
		w.logEvent("escape", fmt.Sprintf("%T", w.win.Canvas().Focused()))
		w.cancelRun()
		return true
	case fyne.KeyF1:
		w.showShortcuts()
		return true
	}
	return false
}
