//go:build !cgo

package sysclip

import "errors"

// Clipboard is a stand-in where the system clipboard was not built in.
type Clipboard struct{}

func (Clipboard) Read() (Content, error) { return Content{}, nil }

func (Clipboard) WriteImage([]byte) error {
	return errors.New("image copy needs a cgo build")
}
