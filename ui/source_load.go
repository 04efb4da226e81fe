package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"backdrop/internal/imagefile"
	"backdrop/ui/compare"
)

// loadFile reads and checks a shot off the UI thread, then shows it.
func (w *Window) loadFile(path string) {
	w.source.clearProblem()
	w.say("Opening " + filepath.Base(path) + "…")
	w.loading++
	go func() {
		shot, err := imagefile.Load(path)
		var item compare.Item
		if err == nil {
			item = compare.Prepare("Original", shot.Image)
		}
		w.ui(func() {
			w.loading--
			defer w.startPendingRun()
			if err != nil {
				w.source.refuse(fmt.Sprintf("%s was not opened: %v", filepath.Base(path), err))
				w.say("")
				w.notify("refused")
				return
			}
			w.setShot(shot, item)
			w.notify("loaded")
		})
	}()
}

// startPendingRun starts a generation asked for while the shot loaded
// (a person who types fast right after start-up).
func (w *Window) startPendingRun() {
	if w.loading > 0 || !w.runPending {
		return
	}
	w.runPending = false
	if w.shot == nil && w.sourceURL() == "" {
		// The shot was refused; its reason stays on screen.
		w.saveAllPending = false
		w.run.status.SetText("Not generated: the shot could not be used.")
		return
	}
	w.startRun()
}

// setShot makes shot the source; a file and a URL are exclusive.
func (w *Window) setShot(shot *imagefile.Shot, item compare.Item) {
	w.shot, w.originalItem = shot, item
	w.source.url.OnChanged = nil
	w.source.url.SetText("")
	w.source.url.OnChanged = func(s string) { w.onURLChanged(strings.TrimSpace(s)) }
	w.source.showShot(shot)
	w.say("Loaded " + shot.Name + ".")
	w.gallery.setOriginal(shot.Preview)
	w.refreshCompare()
}

// onURLChanged uses a typed URL instead of the loaded file.
func (w *Window) onURLChanged(url string) {
	w.source.clearProblem()
	if url == "" || w.shot == nil {
		return
	}
	w.shot, w.originalItem = nil, compare.Item{}
	w.source.clearShot()
	w.gallery.setOriginal(nil)
	w.say("Using the image URL; the service will download it.")
}

func (w *Window) sourceURL() string { return strings.TrimSpace(w.source.url.Text) }

// onDropped takes the first dropped file.
func (w *Window) onDropped(_ fyne.Position, uris []fyne.URI) {
	for _, u := range uris {
		if u.Scheme() == "file" {
			w.loadFile(u.Path())
			return
		}
	}
	w.source.refuse("Only files can be dropped here.")
}

// openImage shows the native picker (on the UI thread, as GTK needs).
func (w *Window) openImage() {
	w.deps.Dialogs.OpenImage(func(path string) {
		if path != "" {
			w.loadFile(path)
		}
	})
}

// pasteImage loads image data from the clipboard. When there is none and a
// text field has focus, Ctrl+V pastes text there as usual.
func (w *Window) pasteImage() {
	data := w.deps.Clipboard.ReadImage()
	if data == nil {
		if sc, ok := w.win.Canvas().Focused().(fyne.Shortcutable); ok {
			sc.TypedShortcut(&fyne.ShortcutPaste{Clipboard: w.app.Clipboard()})
			return
		}
		w.source.refuse("The clipboard holds no image.")
		return
	}
	go func() {
		// Kept as a file so that it uploads like any other shot.
		dir := filepath.Join(w.deps.CacheDir, "pasted")
		path := filepath.Join(dir, "pasted-"+time.Now().Format("20060102-150405")+".png")
		err := os.MkdirAll(dir, 0o755)
		if err == nil {
			err = os.WriteFile(path, data, 0o644)
		}
		w.ui(func() {
			if err != nil {
				w.source.refuse("The pasted image could not be kept: " + err.Error())
				return
			}
			w.loadFile(path)
		})
	}()
}
