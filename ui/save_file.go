package ui

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"backdrop/api"
	"backdrop/internal/imagefile"
	"backdrop/internal/output"
)

// replaceFile writes data to path atomically: a new file beside it,
// renamed over it. The designer chose path in the save dialog and
// confirmed replacing it there, so an existing file is replaced (the
// never-overwrite rule is for the names Backdrop makes up). A replaced
// file keeps its permissions; a new one follows the umask.
func replaceFile(path string, data []byte) error {
	dir, base := filepath.Dir(path), filepath.Base(path)
	mode := os.FileMode(0o666)
	if info, err := os.Stat(path); err == nil {
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", base)
		}
		mode = info.Mode().Perm()
	}
	var f *os.File
	var err error
	for range 10 {
		tmp := filepath.Join(dir, fmt.Sprintf(".%s.%08x.part", base, rand.Uint32()))
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if !os.IsExist(err) {
			break
		}
	}
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && mode != 0o666 {
		err = os.Chmod(tmp, mode)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// encodeResult is r in the format a file name asks for: the file's own
// bytes when they match, else decoded and encoded again.
func encodeResult(name string, r *shownVariant) ([]byte, error) {
	data, err := os.ReadFile(r.path)
	if err != nil && r.kept != "" {
		data, err = os.ReadFile(r.kept)
	}
	if err != nil {
		return nil, fmt.Errorf("variant %d is no longer available: %w", r.n, err)
	}
	format := api.SniffImage(data)
	if output.ExtFor(format) == filepath.Ext(name) {
		return data, nil
	}
	img, err := imagefile.DecodeImage(data)
	if err != nil {
		return nil, err
	}
	return output.Encode(name, img, data, format)
}
