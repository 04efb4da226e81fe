//go:build cgo && !linux

package nativedialog

// OpenImages asks for an image; the platform dialogs of sqweek/dialog
// choose one file at a time (drop several, or open a folder, for more).
func OpenImages() ([]string, error) {
	path, err := OpenImage()
	if path == "" || err != nil {
		return nil, err
	}
	return []string{path}, nil
}
