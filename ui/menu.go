package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Menu items carry the shortcuts: Fyne runs a menu item's shortcut
// whatever has focus, where a canvas shortcut goes to a focused Entry
// instead. Ctrl+V is fyne.ShortcutPaste, the value the driver makes of
// that key (a custom Ctrl+V shortcut never matches it).
func (w *Window) mainMenu() *fyne.MainMenu {
	ctrl := fyne.KeyModifierShortcutDefault
	item := func(label string, key fyne.KeyName, mod fyne.KeyModifier, do func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, do)
		if key != "" {
			it.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: mod}
		}
		return it
	}
	paste := fyne.NewMenuItem("Paste image", w.paste)
	paste.Shortcut = &fyne.ShortcutPaste{}
	file := fyne.NewMenu("File",
		item("Open images…", fyne.KeyO, ctrl, w.openImage),
		item("Open a folder…", fyne.KeyO, ctrl|fyne.KeyModifierShift, w.openFolder),
		paste,
		fyne.NewMenuItemSeparator(),
		item("Save selected variant", fyne.KeyS, ctrl, w.saveSelected),
		item("Save all variants", fyne.KeyS, ctrl|fyne.KeyModifierShift, w.saveAll),
		fyne.NewMenuItemSeparator(),
		item("Settings…", fyne.KeyComma, ctrl, w.showSettings),
	)
	gen := fyne.NewMenu("Generate",
		item("Generate", fyne.KeyReturn, ctrl, w.startRun),
		item("Retry the failed run", fyne.KeyR, ctrl, w.retryRun),
		item("Cancel", fyne.KeyEscape, 0, w.cancelRun),
		fyne.NewMenuItemSeparator(),
		item("Pause or resume the queue", fyne.KeyP, ctrl|fyne.KeyModifierShift, w.strip.togglePause),
		item("Retry every failed run", fyne.KeyR, ctrl|fyne.KeyModifierShift, w.retryFailed),
		fyne.NewMenuItemSeparator(),
		item("Fetch the results of a task…", "", 0, w.askFetch),
	)
	view := fyne.NewMenu("View")
	for n := 1; n <= 4; n++ {
		view.Items = append(view.Items, item(fmt.Sprintf("Variant %d", n), fyne.KeyName(fmt.Sprint(n)), ctrl, func() { w.selectVariant(n) }))
	}
	view.Items = append(view.Items, fyne.NewMenuItemSeparator(),
		item("Gallery", fyne.KeyG, ctrl, w.showGallery),
		item("Compare", fyne.KeyK, ctrl, w.showCompare),
		item("Board of this shot", fyne.KeyB, ctrl, w.showBoard),
		item("Library", fyne.KeyL, ctrl, w.showLibrary),
		fyne.NewMenuItemSeparator(),
		item("Zoom in", fyne.KeyEqual, ctrl, func() { w.zoomCompare(+1) }),
		item("Zoom out", fyne.KeyMinus, ctrl, func() { w.zoomCompare(-1) }),
		item("Fit", fyne.Key0, ctrl, func() { w.zoomCompare(0) }),
	)
	help := fyne.NewMenu("Help",
		item("Keyboard shortcuts", fyne.KeySlash, ctrl, w.showShortcuts),
		item("About Backdrop", "", 0, w.showAbout),
	)
	return fyne.NewMainMenu(file, gen, view, help)
}

// addCanvasShortcuts covers keys menus cannot: keypad Enter, a second
// zoom-in key, and keys when no widget has focus.
func (w *Window) addCanvasShortcuts() {
	c := w.win.Canvas()
	ctrl := fyne.KeyModifierShortcutDefault
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: ctrl}, func(fyne.Shortcut) { w.startRun() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEqual, Modifier: ctrl | fyne.KeyModifierShift}, func(fyne.Shortcut) { w.zoomCompare(+1) })
	c.AddShortcut(&fyne.ShortcutPaste{}, func(fyne.Shortcut) { w.paste() })
	c.SetOnTypedKey(func(k *fyne.KeyEvent) { w.onKey(k) })
}
