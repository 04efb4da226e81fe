package ui

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"backdrop/internal/output"
	"backdrop/ui/compare"
)

// selectVariant makes variant n (1-based) the one Ctrl+S saves.
func (w *Window) selectVariant(n int) {
	if w.result(n) == nil {
		return
	}
	w.selected = n
	w.show.autoSelected = false
	w.gallery.markSelected(n)
}

func (w *Window) result(n int) *shownVariant {
	if w.show == nil {
		return nil
	}
	return w.show.variants[n]
}

// stem names files made from the current entry.
func (w *Window) stem() string {
	if e := w.current; e != nil && e.spec.Source() != "" {
		return output.Stem(e.spec.Source())
	}
	if w.shot != nil {
		return output.Stem(w.shot.Path)
	}
	return "backdrop"
}

// saveAll (Ctrl+Shift+S): every variant is saved into the output folder
// as it arrives; this says where, and writes again any that is missing
// there (moved away since, or made before the folder could be written).
func (w *Window) saveAll() {
	var vs []*shownVariant
	if w.show != nil {
		vs = w.show.list()
	}
	if len(vs) == 0 {
		if w.current != nil && !w.state(w.current).Finished() {
			w.say("Every variant is saved into " + w.settings.OutputDir + " as it arrives.")
			return
		}
		w.say("Nothing to save yet: generate some variants first.")
		return
	}
	w.saveToFolder(vs)
}

// saveSelected (Ctrl+S) does the same for the selected variant.
func (w *Window) saveSelected() {
	r := w.result(w.selected)
	if r == nil {
		w.say("Select a variant first (Ctrl+1…4 or click it).")
		return
	}
	w.saveToFolder([]*shownVariant{r})
}

func (w *Window) saveToFolder(vs []*shownVariant) {
	dir, stem := w.settings.OutputDir, w.stem()
	type job struct {
		n                   int
		kept, saved, format string
	}
	jobs := make([]job, len(vs))
	for i, v := range vs {
		jobs[i] = job{v.n, v.kept, v.saved, v.format}
	}
	go func() {
		var already, written []string
		var failed error
		for _, j := range jobs {
			if j.saved != "" {
				if info, err := os.Stat(j.saved); err == nil && info.Mode().IsRegular() {
					already = append(already, filepath.Base(j.saved))
					continue
				}
			}
			if j.kept == "" {
				failed = fmt.Errorf("variant %d is no longer available: its file is gone and no copy was kept", j.n)
				break
			}
			data, err := os.ReadFile(j.kept)
			if err != nil {
				failed = fmt.Errorf("variant %d is no longer available: %w", j.n, err)
				break
			}
			path, err := output.WriteFile(dir, output.VariantName(stem, j.n, j.format), bytes.NewReader(data))
			if err != nil {
				failed = err
				break
			}
			written = append(written, filepath.Base(path))
		}
		w.ui(func() {
			if failed != nil {
				w.showError(fmt.Errorf("saving into %s failed: %w", dir, failed))
				w.notify("save-failed")
				return
			}
			switch {
			case len(written) == 0:
				w.say(fmt.Sprintf("Already saved in %s: %s", dir, strings.Join(already, ", ")))
			case len(already) == 0:
				w.say(fmt.Sprintf("Saved %s into %s", strings.Join(written, ", "), dir))
			default:
				w.say(fmt.Sprintf("Saved %s into %s (%s were there already)", strings.Join(written, ", "), dir, strings.Join(already, ", ")))
			}
			w.notify("saved")
		})
	}()
}

// saveAs asks where to save one variant, as PNG or JPEG by the name
// given. The dialog opens in the output folder; a file the designer chose
// to replace there is replaced.
func (w *Window) saveAs(r *shownVariant) {
	suggested := fmt.Sprintf("%s-bg-%d.png", w.stem(), r.n)
	dir := w.settings.OutputDir
	os.MkdirAll(dir, 0o755) // so the dialog can open there
	w.deps.Dialogs.SaveImage(dir, suggested, func(path string) {
		if path == "" {
			return
		}
		if ext := strings.ToLower(filepath.Ext(path)); ext != ".png" && ext != ".jpg" && ext != ".jpeg" {
			path += ".png"
		}
		go func() {
			data, err := encodeResult(path, r)
			if err == nil {
				err = replaceFile(path, data)
			}
			w.ui(func() {
				if err != nil {
					w.showError(fmt.Errorf("saving %s failed: %w", filepath.Base(path), err))
					w.notify("save-failed")
					return
				}
				w.say("Saved " + path)
				w.notify("saved")
			})
		}()
	})
}

// copyImage puts a variant on the clipboard as PNG.
func (w *Window) copyImage(r *shownVariant) {
	go func() {
		data, err := encodeResult("clip.png", r)
		if err == nil {
			err = w.deps.Clipboard.WriteImage(data)
		}
		w.ui(func() {
			if err != nil {
				w.showError(fmt.Errorf("copying failed: %w", err))
				w.notify("copy-failed")
				return
			}
			w.say(fmt.Sprintf("Variant %d copied to the clipboard.", r.n))
			w.notify("copied")
		})
	}()
}

// openInViewer opens the kept copy of a variant in the system viewer.
func (w *Window) openInViewer(r *shownVariant) {
	if err := w.deps.Opener.OpenFile(r.path); err != nil {
		w.showFailure(failure{
			title:  "No image viewer could be opened",
			detail: "The system did not open the variant (" + err.Error() + "). The file is " + r.path + ".",
			next:   "Open it from your file manager, or install a desktop opener (on Debian: sudo apt install xdg-utils).",
		})
	}
}

// compareWith shows the original beside variant n in the Compare tab.
func (w *Window) compareWith(n int) {
	w.selectVariant(n)
	w.refreshCompare()
	left, right := 0, 0
	for i, it := range w.compareItems() {
		if it.Label == fmt.Sprintf("Variant %d", n) {
			right = i
		}
	}
	w.compare.Choose(left, right)
	w.showCompare()
}

// compareItems are the original (when a file is loaded), the current
// entry's variants that are loaded, and the images pinned from the board.
func (w *Window) compareItems() []compare.Item {
	var items []compare.Item
	if w.shot != nil {
		items = append(items, w.originalItem)
	}
	if w.show != nil {
		for _, v := range w.show.list() {
			if v.preview != nil {
				items = append(items, v.item)
			}
		}
	}
	return append(items, w.pinned...)
}

func (w *Window) refreshCompare() { w.compare.SetItems(w.compareItems()) }

// appOpener opens files with the desktop's default application.
type appOpener struct{ app fyne.App }

func (o appOpener) OpenFile(path string) error {
	if runtime.GOOS == "linux" {
		if _, err := exec.LookPath("xdg-open"); err != nil {
			return errors.New("xdg-open, the desktop's opener, is not installed")
		}
	}
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err != nil {
		return err
	}
	return o.app.OpenURL(u)
}
