//go:build cgo

// Package sysclip reads and writes the system clipboard beyond Fyne's text:
// image data in the formats the service takes, and files copied in a file
// manager. On X11 it reads the selection itself, with a time limit and
// INCR transfers; golang.design/x/clipboard writes images and is the
// fallback reader elsewhere.
package sysclip

import (
	"errors"
	"slices"
	"sync"

	"golang.design/x/clipboard"
)

var (
	once    sync.Once
	initErr error
)

func ready() error {
	once.Do(func() { initErr = clipboard.Init() })
	return initErr
}

// Clipboard is the system clipboard.
type Clipboard struct{}

// Read returns what the clipboard holds that Backdrop can load: image data,
// else copied files. It talks to the clipboard's owner, so call it off the
// UI thread (the owner may be this very window).
func (Clipboard) Read() (Content, error) {
	if offered := targets(); offered != nil {
		return readOffered(offered)
	}
	if ready() != nil {
		return Content{}, nil
	}
	return Content{Image: clipboard.Read(clipboard.FmtImage)}, nil
}

// readOffered picks the best of the offered types: an image first, then
// copied files.
func readOffered(offered []string) (Content, error) {
	for _, t := range ImageTargets {
		if slices.Contains(offered, t) {
			data, err := readTarget(t)
			if err != nil {
				return Content{}, err
			}
			return Content{Image: data}, nil
		}
	}
	for _, t := range FileTargets {
		if slices.Contains(offered, t) {
			data, err := readTarget(t)
			if err != nil {
				return Content{}, err
			}
			return Content{Files: ParseFiles(t, data)}, nil
		}
	}
	return Content{}, nil
}

// WriteImage puts PNG data on the clipboard.
func (Clipboard) WriteImage(png []byte) error {
	if err := ready(); err != nil {
		return errors.New("the system clipboard is not available: " + err.Error())
	}
	clipboard.Write(clipboard.FmtImage, png)
	return nil
}
