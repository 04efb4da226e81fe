//go:build cgo && !linux

package sysclip

import "errors"

// targets is nil where the X selection is not read directly.
func targets() []string { return nil }

func readTarget(string) ([]byte, error) { return nil, errors.New("not on X11") }
