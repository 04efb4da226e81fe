package ui

import (
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// Version is set at build time from git (make build/install/package:
// -ldflags "-X backdrop/ui.Version=…").
var Version = ""

// version is Version, else the commit Go recorded, else "development build".
func version() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				return "commit " + s.Value[:7]
			}
		}
	}
	return "development build"
}

// shortcutSheet lists every key, grouped as a designer looks for them.
var shortcutSheet = []struct{ group, keys, does string }{
	{"Shot", "Ctrl+O", "open one or several product shots"},
	{"Shot", "Ctrl+Shift+O", "open a folder of shots (into the queue)"},
	{"Shot", "Ctrl+V", "paste an image, or files copied in a file manager"},
	{"Shot", "drop files", "one opens as the shot; several, or a folder, fill the queue"},
	{"Run", "Ctrl+Enter", "generate: every shot waiting in the queue"},
	{"Run", "Esc", "cancel what runs, whatever has focus"},
	{"Run", "Ctrl+R", "retry the failed run (a task already made is fetched)"},
	{"Run", "Ctrl+Shift+R", "retry every failed run"},
	{"Run", "Ctrl+Shift+P", "pause or resume the queue"},
	{"Results", "Ctrl+1…4", "select a variant"},
	{"Results", "Ctrl+S", "say where the selected variant is saved (saved as it arrives)"},
	{"Results", "Ctrl+Shift+S", "say where every variant is saved; write again any gone"},
	{"Results", "double-click", "open a variant in Compare"},
	{"Views", "Ctrl+G / Ctrl+K", "show the gallery / compare"},
	{"Views", "Ctrl+B / Ctrl+L", "show the board of this shot / the library"},
	{"Compare", "+  −  (or Ctrl+=, Ctrl+−)", "zoom in, out"},
	{"Compare", "0  (or Ctrl+0)", "fit"},
	{"Compare", "1", "100 %"},
	{"Compare", "hold B or Space", "show the original in place of the variant"},
	{"Window", "Ctrl+,", "settings"},
	{"Window", "F1 or Ctrl+/", "this sheet"},
}

// showShortcuts shows the keyboard sheet (F1, Ctrl+/).
func (w *Window) showShortcuts() {
	// One form, so the keys line up across the groups.
	sheet := container.New(layout.NewFormLayout())
	last := ""
	for _, s := range shortcutSheet {
		if s.group != last {
			sheet.Add(widget.NewLabelWithStyle(s.group, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
			sheet.Add(layout.NewSpacer())
			last = s.group
		}
		sheet.Add(widget.NewLabelWithStyle(s.keys, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
		does := widget.NewLabel(s.does)
		does.Wrapping = fyne.TextWrapWord
		sheet.Add(does)
	}
	scroll := container.NewVScroll(sheet)
	size := w.win.Canvas().Size()
	scroll.SetMinSize(fyne.NewSize(min(640, size.Width-80), min(600, size.Height-140)))
	dialog.NewCustom("Keyboard shortcuts", "Close", scroll, w.win).Show()
	w.notify("shortcuts")
}

// showAbout names the version and where things are kept.
func (w *Window) showAbout() {
	text := widget.NewLabel("Backdrop " + version() + "\n\nNew backgrounds behind product shots, through the add-background service or the built-in offline engine.\n\nResults are kept in " + w.deps.CacheDir + " until saved.")
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("About Backdrop", "Close", text, w.win)
	d.Resize(fyne.NewSize(460, 0))
	d.Show()
}
