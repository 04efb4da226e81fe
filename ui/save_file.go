package ui

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"backdrop/internal/imagefile"
	"backdrop/internal/job"
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

// resultData is a result's file as the service sent it: kept in memory
// only when no copy could be kept on disk.
func resultData(r job.Image) ([]byte, error) {
	if r.Data != nil {
		return r.Data, nil
	}
	if r.Cached == "" {
		return nil, fmt.Errorf("variant %d is no longer available", r.Index)
	}
	return os.ReadFile(r.Cached)
}

// encodeResult is r in the format a file name asks for: the service's
// bytes when they match, else decoded and encoded again.
func encodeResult(name string, r job.Image) ([]byte, error) {
	data, err := resultData(r)
	if err != nil {
		return nil, err
	}
	if output.ExtFor(r.Format) == filepath.Ext(name) {
		return data, nil
	}
	img := r.Image
	if img == nil {
		if img, err = imagefile.DecodeImage(data); err != nil {
			return nil, err
		}
	}
	return output.Encode(name, img, data, r.Format)
}
