package compare

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"backdrop/ui/keyed"
)

// One key press zooms by this factor.
const zoomStep = math.Sqrt2

// Arrow keys pan by this many screen pixels.
const panStep = 64

// SetKeyHook gives the view the window's key handler, which its widgets
// and the view itself ask before using a key (Esc cancels a run).
func (v *View) SetKeyHook(h keyed.Hook) { v.keyHook = h }

func (v *View) hook(k *fyne.KeyEvent) bool { return v.keyHook != nil && v.keyHook(k) }

// ZoomIn zooms in one step around the middle.
func (v *View) ZoomIn() { v.SetZoom(v.state.zoom * zoomStep) }

// ZoomOut zooms out one step around the middle.
func (v *View) ZoomOut() { v.SetZoom(v.state.zoom / zoomStep) }

// SetFlash shows the left item (the original) on both sides while on:
// a before/after flip at the same zoom and place.
func (v *View) SetFlash(on bool) {
	if v.flash == on {
		return
	}
	v.flash = on
	v.changed()
}

// Flashing reports whether the left item is shown on both sides.
func (v *View) Flashing() bool { return v.flash }

// shownRight is the item drawn on the right.
func (v *View) shownRight() int {
	if v.flash {
		return v.left
	}
	return v.right
}

// FocusGained is part of fyne.Focusable: the view takes keys once clicked
// or shown from the keyboard.
func (v *View) FocusGained() { v.focused = true }

// FocusLost is part of fyne.Focusable; a held B ends with the focus.
func (v *View) FocusLost() {
	v.focused = false
	v.SetFlash(false)
}

// TypedRune zooms: + (or =) in, − out, 0 to fit, 1 to 100 %.
func (v *View) TypedRune(r rune) {
	switch r {
	case '+', '=':
		v.ZoomIn()
	case '-', '−', '_':
		v.ZoomOut()
	case '0':
		v.Fit()
	case '1':
		v.Actual()
	}
}

// TypedKey pans with the arrows, after the window's own keys.
func (v *View) TypedKey(k *fyne.KeyEvent) {
	if v.hook(k) {
		return
	}
	switch k.Name {
	case fyne.KeyLeft:
		v.pan(vec{panStep, 0})
	case fyne.KeyRight:
		v.pan(vec{-panStep, 0})
	case fyne.KeyUp:
		v.pan(vec{0, panStep})
	case fyne.KeyDown:
		v.pan(vec{0, -panStep})
	}
}

// KeyDown starts showing the original while B or Space is held.
func (v *View) KeyDown(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyB || k.Name == fyne.KeySpace {
		v.SetFlash(true)
	}
}

// KeyUp goes back to the variant.
func (v *View) KeyUp(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyB || k.Name == fyne.KeySpace {
		v.SetFlash(false)
	}
}

// takeFocus focuses the view, as a click on its images does.
func (v *View) takeFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		c.Focus(v)
	}
}

var _ desktop.Keyable = (*View)(nil)
