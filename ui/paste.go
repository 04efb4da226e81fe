package ui

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"backdrop/api"
	"backdrop/ui/keyed"
	"backdrop/ui/sysclip"
)

// paste is Ctrl+V, wherever the focus is: an image on the clipboard is
// loaded as the shot, a file copied in a file manager is opened, and only
// when there is neither does text go into the focused field (or, with no
// field focused, a copied image URL into the URL box).
func (w *Window) paste() {
	focused := w.win.Canvas().Focused()
	go func() {
		// The clipboard's owner may be this very window, which answers
		// from the UI thread: never wait for it there.
		content, err := w.deps.Clipboard.Read()
		w.ui(func() { w.pasted(content, err, focused) })
	}()
}

func (w *Window) pasted(c sysclip.Content, err error, focused fyne.Focusable) {
	switch {
	case len(c.Image) > 0:
		w.keepPasted(c.Image)
	case len(c.Files) > 0:
		w.takePaths(c.Files, "copied")
	case focused != nil && focused == w.win.Canvas().Focused():
		if e, ok := focused.(*keyed.Entry); ok {
			e.PasteText(w.app.Clipboard())
		} else if sc, ok := focused.(fyne.Shortcutable); ok {
			sc.TypedShortcut(&fyne.ShortcutPaste{Clipboard: w.app.Clipboard()})
		}
		w.notify("pasted-text")
	default:
		text := strings.TrimSpace(w.app.Clipboard().Content())
		if api.IsURL(text) && !strings.ContainsAny(text, " \n") {
			w.source.url.SetText(text)
			return
		}
		msg := "The clipboard holds no image and no image file."
		if err != nil {
			msg = "The clipboard could not be read: " + err.Error()
		}
		w.source.refuse(msg)
		w.notify("refused")
	}
}

// keepPasted writes pasted image data to a file, so that it uploads like
// any other shot, and loads it.
func (w *Window) keepPasted(data []byte) {
	ext := map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/bmp": ".bmp"}[api.SniffImage(data)]
	if ext == "" {
		w.source.refuse("The clipboard holds an image in a format the service does not take (it takes JPEG, PNG, WebP and BMP).")
		w.notify("refused")
		return
	}
	go func() {
		dir := filepath.Join(w.deps.CacheDir, "pasted")
		path := filepath.Join(dir, "pasted-"+time.Now().Format("20060102-150405.000")+ext)
		err := os.MkdirAll(dir, 0o755)
		if err == nil {
			err = os.WriteFile(path, data, 0o644)
		}
		w.ui(func() {
			if err != nil {
				w.source.refuse("The pasted image could not be kept: " + err.Error())
				w.notify("refused")
				return
			}
			w.openShot(path)
		})
	}()
}

// onDropped takes dropped files and folders: one file is opened as the
// shot; several, or a folder, fill the queue.
func (w *Window) onDropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) == 0 {
		w.source.refuse("Only files can be dropped here (a web image: paste its address into the URL box).")
		w.notify("refused")
		return
	}
	w.takePaths(paths, "dropped")
}
