//go:build cgo

// Package nativedialog shows the desktop's own file dialogs (GTK3 on
// Linux) through sqweek/dialog. Its calls block and must run on the main
// thread, inside a Fyne callback.
package nativedialog

import (
	"errors"

	"github.com/sqweek/dialog"
)

// Available reports whether native dialogs were built in.
const Available = true

// OpenImage asks for an image file; "" when cancelled.
func OpenImage() (string, error) {
	return cancelled(dialog.File().Title("Open a product shot").
		Filter("Images", "png", "jpg", "jpeg", "webp", "bmp").Load())
}

// OpenFolder asks for a folder of shots; "" when cancelled.
func OpenFolder() (string, error) {
	return cancelled(dialog.Directory().Title("Open a folder of product shots").Browse())
}

// SaveImage asks where to save an image, starting in dir. GTK asks before
// replacing a file.
func SaveImage(dir, suggested string) (string, error) {
	return cancelled(dialog.File().Title("Save variant").SetStartDir(dir).SetStartFile(suggested).
		Filter("PNG image", "png").Filter("JPEG image", "jpg", "jpeg").Save())
}

// ChooseFolder asks for a folder.
func ChooseFolder(start string) (string, error) {
	return cancelled(dialog.Directory().Title("Output folder").SetStartDir(start).Browse())
}

func cancelled(path string, err error) (string, error) {
	if errors.Is(err, dialog.ErrCancelled) {
		return "", nil
	}
	return path, err
}

type gtkError string

func (e gtkError) Error() string { return string(e) }

const errNoGTK = gtkError("GTK could not start (no display?)")
