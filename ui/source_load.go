package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"backdrop/internal/imagefile"
	"backdrop/ui/compare"
)

// loadFile reads and checks a shot off the UI thread, then shows it. A
// file over the service's 15 MB limit is not refused outright: the window
// offers to send a resized copy.
func (w *Window) loadFile(path string) {
	w.source.clearProblem()
	w.say("Opening " + filepath.Base(path) + "…")
	w.loading++
	go func() {
		if imagefile.TooLarge(path) {
			_, err := imagefile.ReadConfig(path)
			w.ui(func() {
				w.loading--
				defer w.startPendingRun()
				if err != nil {
					w.refuseShot(path, err)
					return
				}
				w.offerResize(path)
			})
			return
		}
		shot, err := imagefile.Load(path)
		var item compare.Item
		if err == nil {
			item = compare.Prepare("Original", shot.Image)
			shot.Image = nil // the compare item keeps what it needs
		}
		w.ui(func() {
			w.loading--
			defer w.startPendingRun()
			if err != nil {
				w.refuseShot(path, err)
				return
			}
			w.setShot(shot, item)
			w.notify("loaded")
		})
	}()
}

func (w *Window) refuseShot(path string, err error) {
	w.afterLoad = ""
	w.source.refuse(fmt.Sprintf("%s was not opened: %v", filepath.Base(path), err))
	w.say("")
	w.notify("refused")
}

// offerResize shows what is wrong with a shot over 15 MB and the way out.
func (w *Window) offerResize(path string) {
	w.oversize = path
	w.afterLoad = ""
	size := "over 15 MB"
	if info, err := statSize(path); err == nil {
		size = imagefile.HumanSize(info)
	}
	w.source.offerResize(fmt.Sprintf("%s is %s; the service takes at most 15 MB.", filepath.Base(path), size))
	w.say("The shot is too large to send as it is: Backdrop can send a resized copy (the original stays as it is).")
	w.notify("oversize")
}

// sendResized makes the resized copy of the oversize shot and loads it.
func (w *Window) sendResized() {
	src := w.oversize
	if src == "" {
		return
	}
	w.source.resizing()
	w.say("Making a resized copy of " + filepath.Base(src) + "…")
	w.loading++
	go func() {
		fitted, err := imagefile.Fit(src, filepath.Join(w.deps.CacheDir, "resized"))
		w.ui(func() {
			w.loading--
			if err != nil {
				w.refuseShot(src, fmt.Errorf("no resized copy could be made: %w", err))
				w.startPendingRun()
				return
			}
			w.oversize = ""
			w.afterLoad = fmt.Sprintf("Sending a resized copy of %s: %s. The original is untouched.", filepath.Base(src), fitted)
			w.loadFile(fitted.Path)
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
		w.say("Not generated: the shot could not be used.")
		return
	}
	w.startRun()
}

// setShot makes shot the source; a file and a URL are exclusive.
func (w *Window) setShot(shot *imagefile.Shot, item compare.Item) {
	w.shot, w.originalItem, w.oversize = shot, item, ""
	if w.previewCancel != nil {
		w.previewCancel()
		w.previewCancel = nil
	}
	w.source.url.OnChanged = nil
	w.source.url.SetText("")
	w.source.url.OnChanged = func(s string) { w.onURLChanged(strings.TrimSpace(s)) }
	w.source.showShot(shot)
	if w.afterLoad != "" {
		w.say(w.afterLoad)
		w.afterLoad = ""
	} else {
		w.say("Loaded " + shot.Name + ".")
	}
	w.gallery.setOriginal(shot.Preview)
	w.refreshCompare()
	w.win.SetTitle(w.title())
}

// onURLChanged uses a typed URL instead of the loaded file.
func (w *Window) onURLChanged(url string) {
	w.source.clearProblem()
	w.previewURL(url)
	if url == "" || w.shot == nil {
		w.win.SetTitle(w.title())
		return
	}
	w.shot, w.originalItem = nil, compare.Item{}
	w.source.clearShot()
	w.gallery.setOriginal(nil)
	w.win.SetTitle(w.title())
	w.say("Using the image URL; the service will download it.")
}

func (w *Window) sourceURL() string { return strings.TrimSpace(w.source.url.Text) }

// openImage shows the native picker (on the UI thread, as GTK needs).
func (w *Window) openImage() {
	w.deps.Dialogs.OpenImage(func(path string) {
		if path != "" {
			w.loadFile(path)
		}
	})
}

func statSize(path string) (int64, error) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}
