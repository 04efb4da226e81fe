package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Menu items carry the shortcuts: they run whatever has focus, where
// canvas shortcuts would go to a focused Entry instead.
func (w *Window) mainMenu() *fyne.MainMenu {
	ctrl := fyne.KeyModifierShortcutDefault
	item := func(label string, key fyne.KeyName, mod fyne.KeyModifier, do func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, do)
		it.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: mod}
		return it
	}
	file := fyne.NewMenu("File",
		item("Open image…", fyne.KeyO, ctrl, w.openImage),
		item("Paste image", fyne.KeyV, ctrl, w.pasteImage),
		fyne.NewMenuItemSeparator(),
		item("Save selected variant", fyne.KeyS, ctrl, w.saveSelected),
		item("Save all variants", fyne.KeyS, ctrl|fyne.KeyModifierShift, w.saveAll),
		fyne.NewMenuItemSeparator(),
		item("Settings…", fyne.KeyComma, ctrl, w.showSettings),
	)
	gen := fyne.NewMenu("Generate",
		item("Generate", fyne.KeyReturn, ctrl, w.startRun),
		item("Cancel", fyne.KeyEscape, 0, w.cancelRun),
	)
	view := fyne.NewMenu("View")
	for n := 1; n <= 4; n++ {
		view.Items = append(view.Items, item(fmt.Sprintf("Variant %d", n), fyne.KeyName(fmt.Sprint(n)), ctrl, func() { w.selectVariant(n) }))
	}
	view.Items = append(view.Items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Gallery", func() { w.tabs.SelectIndex(0) }),
		fyne.NewMenuItem("Compare", func() { w.tabs.SelectIndex(1) }),
	)
	return fyne.NewMainMenu(file, gen, view)
}

// addCanvasShortcuts covers keys menus cannot: keypad Enter and Esc when
// no widget has focus.
func (w *Window) addCanvasShortcuts() {
	c := w.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { w.startRun() })
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			w.cancelRun()
		}
	})
}
