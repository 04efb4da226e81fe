//go:build !cgo

package nativedialog

import "errors"

// Available reports whether native dialogs were built in.
const Available = false

var errNone = errors.New("native dialogs need a cgo build")

func OpenImage() (string, error)                      { return "", errNone }
func SaveImage(dir, suggested string) (string, error) { return "", errNone }
func ChooseFolder(start string) (string, error)       { return "", errNone }
func OpenFolder() (string, error)                     { return "", errNone }
func OpenImages() ([]string, error)                   { return nil, errNone }
