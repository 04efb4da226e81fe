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

	"backdrop/internal/job"
	"backdrop/internal/output"
	"backdrop/ui/compare"
)

// showResults puts a finished job's images in the gallery and selects the
// first.
func (w *Window) showResults(res *job.Result, items []compare.Item) {
	w.results, w.variantItems = res.Images, items
	w.gallery.setResults(res.Images)
	w.tabs.SelectIndex(0)
	w.selectVariant(res.Images[0].Index)
	w.refreshCompare()
	// New results: compare the first item (the original, when there is
	// one) with the first variant, not whatever was chosen before.
	w.compare.Choose(0, 1)
}

// selectVariant makes variant n (1-based) the one Ctrl+S saves.
func (w *Window) selectVariant(n int) {
	if w.result(n) == nil {
		return
	}
	w.selected = n
	w.gallery.markSelected(n)
}

func (w *Window) result(n int) *job.Image {
	for i := range w.results {
		if w.results[i].Index == n {
			return &w.results[i]
		}
	}
	return nil
}

// stem names saved files after the source.
func (w *Window) stem() string {
	switch {
	case w.shot != nil:
		return output.Stem(w.shot.Path)
	case w.sourceURL() != "":
		return output.Stem(w.sourceURL())
	}
	return "backdrop"
}

// saveAll writes every variant into the output folder, without a dialog.
// Asked for during a run, it happens when the variants arrive.
func (w *Window) saveAll() {
	if len(w.results) == 0 {
		if w.cancel != nil || w.runPending {
			w.saveAllPending = true
			w.say("Save all: the variants will be saved as soon as they arrive.")
			return
		}
		w.say("Nothing to save yet: generate some variants first.")
		return
	}
	w.saveToFolder(w.results)
}

// saveSelected writes the selected variant into the output folder.
func (w *Window) saveSelected() {
	r := w.result(w.selected)
	if r == nil {
		w.say("Select a variant first (Ctrl+1…4 or click it).")
		return
	}
	w.saveToFolder([]job.Image{*r})
}

func (w *Window) saveToFolder(images []job.Image) {
	dir, stem := w.settings.OutputDir, w.stem()
	go func() {
		var saved []string
		var failed error
		for _, img := range images {
			name := fmt.Sprintf("%s-bg-%d%s", stem, img.Index, output.ExtFor(img.Format))
			data, err := resultData(img)
			if err != nil {
				failed = err
				break
			}
			path, err := output.WriteFile(dir, name, bytes.NewReader(data))
			if err != nil {
				failed = err
				break
			}
			saved = append(saved, filepath.Base(path))
		}
		w.ui(func() {
			if failed != nil {
				w.showError(fmt.Errorf("saving into %s failed: %w", dir, failed))
				w.notify("save-failed")
				return
			}
			w.say(fmt.Sprintf("Saved %s into %s", strings.Join(saved, ", "), dir))
			w.notify("saved")
		})
	}()
}

// saveAs asks where to save one variant, as PNG or JPEG by the name
// given. The dialog opens in the output folder; a file the designer chose
// to replace there is replaced.
func (w *Window) saveAs(r job.Image) {
	suggested := fmt.Sprintf("%s-bg-%d.png", w.stem(), r.Index)
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
func (w *Window) copyImage(r job.Image) {
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
			w.say(fmt.Sprintf("Variant %d copied to the clipboard.", r.Index))
			w.notify("copied")
		})
	}()
}

// openInViewer opens the kept copy of a variant in the system viewer.
func (w *Window) openInViewer(r job.Image) {
	if r.Cached == "" {
		w.say("This variant has no copy on disk to open; save it first.")
		return
	}
	if err := w.deps.Opener.OpenFile(r.Cached); err != nil {
		w.showFailure(failure{
			title:  "No image viewer could be opened",
			detail: "The system did not open the variant (" + err.Error() + "). The file is " + r.Cached + ".",
			next:   "Save it (Ctrl+S) and open it from your file manager, or install a desktop opener (on Debian: sudo apt install xdg-utils).",
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

// compareItems are the original (when a file is loaded) and the variants.
func (w *Window) compareItems() []compare.Item {
	var items []compare.Item
	if w.shot != nil {
		items = append(items, w.originalItem)
	}
	return append(items, w.variantItems...)
}

// prepareVariants makes the compare items of a job's results; it runs in
// the job's goroutine, off the UI thread. The window then keeps display
// copies only: the decoded full-size image goes (Compare reads its tiles
// from disk), and so do the file's bytes when a copy is kept on disk.
func prepareVariants(res *job.Result) []compare.Item {
	if res == nil {
		return nil
	}
	items := make([]compare.Item, len(res.Images))
	for i := range res.Images {
		r := &res.Images[i]
		items[i] = compare.Prepare(fmt.Sprintf("Variant %d", r.Index), r.Image)
		r.Image = nil
		if r.Cached != "" {
			r.Data = nil
		}
	}
	return items
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
