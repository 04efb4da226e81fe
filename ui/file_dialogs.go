package ui

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"backdrop/ui/nativedialog"
)

// fileDialogs uses the native dialogs, and Fyne's own when GTK cannot
// start (no cgo, or it fails).
type fileDialogs struct{ win fyne.Window }

func newFileDialogs() *fileDialogs { return &fileDialogs{} }

func (d *fileDialogs) native(call func() (string, error), fallback func(), onChosen func(string)) {
	if nativedialog.Available {
		path, err := safeCall(call)
		if err == nil {
			onChosen(path)
			return
		}
	}
	if d.win != nil {
		fallback()
	}
}

// safeCall turns a GTK start-up panic into an error.
func safeCall(call func() (string, error)) (path string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errNativeDialog
		}
	}()
	return call()
}

func (d *fileDialogs) OpenImages(onChosen func([]string)) {
	if nativedialog.Available {
		paths, err := safeCallMany(nativedialog.OpenImages)
		if err == nil {
			onChosen(paths)
			return
		}
	}
	if d.win == nil {
		return
	}
	// Fyne's own dialog picks one file.
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if r == nil || err != nil {
			return
		}
		r.Close()
		onChosen([]string{r.URI().Path()})
	}, d.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".webp", ".bmp"}))
	fd.Show()
}

func (d *fileDialogs) OpenFolder(onChosen func(string)) {
	d.native(nativedialog.OpenFolder, func() {
		dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if u != nil && err == nil {
				onChosen(u.Path())
			}
		}, d.win).Show()
	}, onChosen)
}

// safeCallMany is safeCall for a dialog that returns several paths.
func safeCallMany(call func() ([]string, error)) (paths []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errNativeDialog
		}
	}()
	return call()
}

func (d *fileDialogs) SaveImage(dir, suggested string, onChosen func(string)) {
	d.native(func() (string, error) { return nativedialog.SaveImage(dir, suggested) }, func() {
		fd := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
			if wc == nil || err != nil {
				return
			}
			wc.Close()
			// Fyne made an empty file; the save writes it afresh.
			os.Remove(wc.URI().Path())
			onChosen(wc.URI().Path())
		}, d.win)
		fd.SetFileName(suggested)
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			fd.SetLocation(l)
		}
		fd.Show()
	}, onChosen)
}

func (d *fileDialogs) ChooseFolder(start string, onChosen func(string)) {
	d.native(func() (string, error) { return nativedialog.ChooseFolder(start) }, func() {
		dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if u != nil && err == nil {
				onChosen(u.Path())
			}
		}, d.win).Show()
	}, onChosen)
}

type dialogError string

func (e dialogError) Error() string { return string(e) }

const errNativeDialog = dialogError("the native dialog could not start")
