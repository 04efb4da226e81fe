package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"backdrop/internal/imagefile"
	"backdrop/internal/library"
	"backdrop/ui/compare"
)

// openShot takes one shot on its own (Open, one dropped or pasted file,
// `backdrop FILE`): it becomes the current draft, in place of a single
// draft not sent yet, as with one shot at a time. A refused file is
// taken back out and the earlier draft restored.
func (w *Window) openShot(path string) {
	e := w.addFileEntry(path, true)
	w.current = e
	w.show = newShowcase(e, w.show.turn+1)
	w.selected = 0
	w.gallery.setResults(nil)
	w.strip.refresh()
	w.loadShot(e, true)
}

// loadShot reads and checks an entry's shot off the UI thread, then shows
// it. A file over the service's 15 MB limit is not refused outright: the
// window offers to send a resized copy.
func (w *Window) loadShot(e *entry, opening bool) {
	path := e.spec.ImageFile
	w.source.clearProblem()
	w.say("Opening " + filepath.Base(path) + "…")
	w.loading++
	hasLibrary := w.deps.Library != nil
	go func() {
		if imagefile.TooLarge(path) {
			_, err := imagefile.ReadConfig(path)
			w.ui(func() {
				w.loading--
				if w.current != e {
					return
				}
				if err != nil {
					w.refuseShot(e, opening, err)
					return
				}
				w.offerResize(path)
			})
			return
		}
		shot, err := imagefile.Load(path)
		var item compare.Item
		hash := ""
		if err == nil && hasLibrary {
			hash, _ = library.HashFile(path)
		}
		if err == nil {
			item = compare.Prepare("Original", shot.Image)
			w.thumbs.put(path, thumbOf(shot.Preview))
			shot.Image = nil // the compare item keeps what it needs
		}
		w.ui(func() {
			w.loading--
			if w.current != e {
				return // another entry was chosen meanwhile
			}
			if err != nil {
				w.refuseShot(e, opening, err)
				return
			}
			w.shotHash = hash
			w.setShot(shot, item)
			w.strip.refreshEntry(e)
			w.refreshBoard()
			w.notify("loaded")
		})
	}()
}

// refuseShot says why a shot was not opened. One being opened on its own
// goes back out of the queue (the draft it replaced comes back).
func (w *Window) refuseShot(e *entry, opening bool, err error) {
	w.afterLoad = ""
	w.source.refuse(fmt.Sprintf("%s was not opened: %v", filepath.Base(e.spec.ImageFile), err))
	if opening && e.draft() {
		if e.replaced != nil {
			w.replaceEntry(e, e.replaced)
		} else {
			w.removeEntry(e)
			if w.shot != nil {
				for _, x := range w.entries {
					if x.spec.ImageFile == w.shot.Path {
						w.current = x
					}
				}
			}
		}
		w.show.entry = w.current
		w.strip.refresh()
	}
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

// sendResized makes the resized copy of the oversize shot and opens it in
// the original's place.
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
				w.source.refuse(fmt.Sprintf("%s: no resized copy could be made: %v", filepath.Base(src), err))
				w.notify("refused")
				return
			}
			w.oversize = ""
			w.afterLoad = fmt.Sprintf("Sending a resized copy of %s: %s. The original is untouched.", filepath.Base(src), fitted)
			if e := w.current; e != nil && e.draft() && e.spec.ImageFile == src {
				e.spec.ImageFile = fitted.Path
				w.loadShot(e, false)
				return
			}
			w.openShot(fitted.Path)
		})
	}()
}

// setShot shows shot in the source panel and as the gallery's original.
func (w *Window) setShot(shot *imagefile.Shot, item compare.Item) {
	w.shot, w.originalItem, w.oversize = shot, item, ""
	if w.current == nil || w.current.spec.ImageURL == "" {
		w.setURLQuietly("")
	}
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

// setURLQuietly sets the URL box without taking it as typed.
func (w *Window) setURLQuietly(url string) {
	if w.sourceURL() == url {
		return
	}
	if w.previewCancel != nil {
		w.previewCancel()
		w.previewCancel = nil
	}
	w.source.url.OnChanged = nil
	w.source.url.SetText(url)
	w.source.url.OnChanged = func(s string) { w.onURLChanged(strings.TrimSpace(s)) }
	if url == "" {
		w.source.urlNote.Hide()
	}
}

// onURLChanged uses a typed URL instead of the loaded file: Generate
// sends it in place of the current single draft.
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

// openImage shows the native picker (on the UI thread, as GTK needs); one
// or several shots may be chosen.
func (w *Window) openImage() {
	w.deps.Dialogs.OpenImages(func(paths []string) { w.takePaths(paths, "chosen") })
}

// openFolder picks a folder and queues every shot in it.
func (w *Window) openFolder() {
	w.deps.Dialogs.OpenFolder(func(dir string) {
		if dir != "" {
			w.takePaths([]string{dir}, "chosen")
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
