//go:build cgo

// Package sysclip moves image data through the system clipboard with
// golang.design/x/clipboard; Fyne's clipboard carries text only.
package sysclip

import (
	"errors"
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

// ReadImage returns PNG data from the clipboard, or nil.
func (Clipboard) ReadImage() []byte {
	if ready() != nil {
		return nil
	}
	data := clipboard.Read(clipboard.FmtImage)
	if len(data) == 0 {
		return nil
	}
	return data
}

// WriteImage puts PNG data on the clipboard.
func (Clipboard) WriteImage(png []byte) error {
	if err := ready(); err != nil {
		return errors.New("the system clipboard is not available: " + err.Error())
	}
	clipboard.Write(clipboard.FmtImage, png)
	return nil
}
