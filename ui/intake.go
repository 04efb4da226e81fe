package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/imagefile"
)

// skippedFile is a file the queue did not take, and why.
type skippedFile struct {
	path   string
	reason string
}

// intake is what a set of dropped, opened, pasted or given paths holds:
// the images (folders opened recursively, in name order) and the rest.
type intake struct {
	images  []string
	skipped []skippedFile
}

// maxIntake bounds one intake: a drop of a whole photo library should not
// fill the queue with thousands of paid runs by accident.
const maxIntake = 500

// collect walks paths off the UI thread: every image file in them, checked
// the way the service will judge it (header only); others are skipped with
// the reason.
func collect(paths []string) intake {
	var in intake
	seen := map[string]bool{}
	take := func(path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		if !looksLikeImage(path) {
			in.skipped = append(in.skipped, skippedFile{path, "not an image (JPEG, PNG, WebP or BMP)"})
			return
		}
		if len(in.images) >= maxIntake {
			in.skipped = append(in.skipped, skippedFile{path, fmt.Sprintf("more than %d shots at once", maxIntake)})
			return
		}
		if _, err := imagefile.CheckFile(path); err != nil {
			in.skipped = append(in.skipped, skippedFile{path, reasonOf(path, err)})
			return
		}
		in.images = append(in.images, path)
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		switch {
		case err != nil:
			in.skipped = append(in.skipped, skippedFile{p, reasonOf(p, err)})
		case info.IsDir():
			var files []string
			filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
				switch {
				case err != nil:
					in.skipped = append(in.skipped, skippedFile{path, reasonOf(path, err)})
					if d != nil && d.IsDir() {
						return fs.SkipDir
					}
				case d.IsDir() && path != p && strings.HasPrefix(d.Name(), "."):
					return fs.SkipDir // hidden folders (.backdrop, .git…)
				case !d.IsDir() && !strings.HasPrefix(d.Name(), "."):
					files = append(files, path)
				}
				return nil
			})
			slices.SortFunc(files, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
			for _, f := range files {
				take(f)
			}
		default:
			take(p)
		}
	}
	return in
}

// reasonOf words why a file was not taken, without repeating its name.
func reasonOf(path string, err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "it no longer exists"
	case errors.Is(err, fs.ErrPermission):
		return "it cannot be read (permission denied)"
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	msg := err.Error()
	if base := filepath.Base(path); strings.HasPrefix(msg, base+" ") {
		msg = strings.TrimPrefix(msg, base+" ")
		msg = strings.TrimPrefix(msg, "is ")
	}
	return msg
}

func looksLikeImage(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".jpg", ".jpeg", ".webp", ".bmp":
		return true
	}
	return false
}

// takePaths fills the queue from several paths (a drop, the picker, a
// paste, the command line). One file is opened as the shot, as ever.
func (w *Window) takePaths(paths []string, how string) {
	if len(paths) == 0 {
		return
	}
	if len(paths) == 1 {
		if info, err := os.Stat(paths[0]); err != nil || !info.IsDir() {
			w.openShot(paths[0])
			return
		}
	}
	w.say(fmt.Sprintf("Looking through %s…", countOf(len(paths), how+" item")))
	w.loading++
	go func() {
		in := collect(paths)
		w.ui(func() {
			w.loading--
			w.addBatch(in)
		})
	}()
}

// addBatch adds the images of an intake as drafts and lists what was
// skipped.
func (w *Window) addBatch(in intake) {
	var first *entry
	for _, p := range in.images {
		e := w.addFileEntry(p, false)
		if first == nil {
			first = e
		}
	}
	w.strip.refresh()
	if first != nil {
		w.setCurrent(first)
	}
	msg := fmt.Sprintf("Added %s to the queue: press Generate (Ctrl+Enter) to run them.", countOf(len(in.images), "shot"))
	switch {
	case len(in.images) == 0:
		msg = "No image to add."
	case len(in.skipped) > 0:
		msg = fmt.Sprintf("Added %s to the queue; %s skipped. Generate (Ctrl+Enter) runs them.", countOf(len(in.images), "shot"), countOf(len(in.skipped), "file"))
	}
	w.say(msg)
	for _, s := range in.skipped {
		w.logEvent("skipped", filepath.Base(s.path)+": "+s.reason)
	}
	if len(in.skipped) > 0 {
		w.showSkipped(in.skipped)
	}
	w.notify("added")
}

// showSkipped lists the files that were not taken, with the reason.
func (w *Window) showSkipped(skipped []skippedFile) {
	lines := make([]string, len(skipped))
	for i, s := range skipped {
		lines[i] = filepath.Base(s.path) + " — " + s.reason
	}
	w.showLines(fmt.Sprintf("%s skipped", countOf(len(skipped), "file")), lines, 50, "…and %d more.", 520, 38, 10)
}

// showLines is a dialog of wrapped lines, the first limit of them (the
// rest counted by more, a format of one %d), sized to them (lineHeight
// each, plus pad) and to the window.
func (w *Window) showLines(title string, lines []string, limit int, more string, width, lineHeight, pad float32) {
	list := container.NewVBox()
	for i, text := range lines {
		if i == limit {
			list.Add(widget.NewLabel(fmt.Sprintf(more, len(lines)-limit)))
			break
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		list.Add(l)
	}
	scroll := container.NewVScroll(list)
	size := w.win.Canvas().Size()
	scroll.SetMinSize(fyne.NewSize(min(width, size.Width-80), min(float32(len(lines))*lineHeight+pad, size.Height-200)))
	dialog.NewCustom(title, "Close", scroll, w.win).Show()
}

// takeStartFiles fills the queue from `backdrop FILE|DIR…`.
func (w *Window) takeStartFiles(paths []string) {
	w.takePaths(paths, "given")
}
