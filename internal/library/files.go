package library

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strconv"

	_ "image/gif" // formats a result or a shot may come in
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"backdrop/internal/output"
)

// imagesDir is where a run's files live: images/<id>/ in the library.
func (s *Store) imagesDir(id ID) string {
	return filepath.Join(s.dir, "images", strconv.FormatInt(int64(id), 10))
}

// relPath is a path inside the library as stored (slash-separated).
func (s *Store) relPath(full string) string {
	rel, err := filepath.Rel(s.dir, full)
	if err != nil {
		return full
	}
	return filepath.ToSlash(rel)
}

type keptFile struct {
	rel           string
	width, height int
	format        string
}

// keep puts variant v of run id into the library as images/<id>/<n>.<ext>:
// a hard link to the downloaded file where possible (no bytes copied, and
// the queue writes cached files once, never in place), else a copy of the
// downloaded file, of the saved one (never linked: the designer may edit
// it) or of v.Data. The file is complete and on disk before it takes its
// name.
func (s *Store) keep(id ID, v SavedVariant) (keptFile, error) {
	dir := s.imagesDir(id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return keptFile{}, err
	}
	tmp := filepath.Join(dir, "."+strconv.Itoa(v.N)+"-"+randomHex()+".part")
	defer os.Remove(tmp) // a no-op once renamed
	if err := stage(tmp, v); err != nil {
		return keptFile{}, err
	}
	k := keptFile{width: v.Width, height: v.Height, format: v.Format}
	if k.format == "" || k.width <= 0 || k.height <= 0 {
		cfg, format, err := decodeConfig(tmp)
		if err != nil {
			return keptFile{}, fmt.Errorf("not a readable image: %w", err)
		}
		if k.format == "" {
			k.format = "image/" + format
		}
		if k.width <= 0 || k.height <= 0 {
			k.width, k.height = cfg.Width, cfg.Height
		}
	}
	final := filepath.Join(dir, strconv.Itoa(v.N)+output.ExtFor(k.format))
	if err := os.Rename(tmp, final); err != nil {
		return keptFile{}, err
	}
	k.rel = s.relPath(final)
	return k, nil
}

// stage writes the variant's bytes to tmp, by the cheapest way that works.
func stage(tmp string, v SavedVariant) error {
	var errs []error
	if v.CachedPath != "" {
		// A link fails across disks; a symlink would be linked itself and
		// break when the cache is cleaned, so it is copied instead.
		if fi, err := os.Lstat(v.CachedPath); err == nil && fi.Mode().IsRegular() && os.Link(v.CachedPath, tmp) == nil {
			return nil
		}
		if err := copyFile(tmp, v.CachedPath); err == nil {
			return nil
		} else {
			errs = append(errs, err)
		}
	}
	if v.SavedPath != "" {
		if err := copyFile(tmp, v.SavedPath); err == nil {
			return nil
		} else {
			errs = append(errs, err)
		}
	}
	if len(v.Data) > 0 {
		return writeSynced(tmp, bytes.NewReader(v.Data))
	}
	if len(errs) == 0 {
		return errors.New("no file and no data given")
	}
	return errors.Join(errs...)
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeSynced(dst, in)
}

// writeSynced writes r to a new file and flushes it to the disk.
func writeSynced(name string, r io.Reader) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}

func decodeConfig(name string) (image.Config, string, error) {
	f, err := os.Open(name)
	if err != nil {
		return image.Config{}, "", err
	}
	defer f.Close()
	return image.DecodeConfig(f)
}

func randomHex() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// removeRunFiles deletes the library's copies and thumbnails of a run.
func (s *Store) removeRunFiles(id ID) error {
	return os.RemoveAll(s.imagesDir(id))
}
