package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Temp is a file being written in its final folder under a hidden
// temporary name. Keep gives it a final name; Discard removes it.
type Temp struct {
	*os.File
	dir string
}

// CreateTemp starts a file in dir, creating dir if needed.
func CreateTemp(dir string) (*Temp, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".backdrop-*.part")
	if err != nil {
		return nil, err
	}
	return &Temp{File: f, dir: dir}, nil
}

// Discard closes and removes the temporary file.
func (t *Temp) Discard() {
	t.File.Close()
	os.Remove(t.File.Name())
}

// Keep flushes the file to disk and names it name, or, when that exists,
// name with "_2", "_3"… before the extension. It returns the path used.
func (t *Temp) Keep(name string) (string, error) {
	if err := t.File.Sync(); err != nil {
		t.Discard()
		return "", err
	}
	if err := t.File.Close(); err != nil {
		os.Remove(t.File.Name())
		return "", err
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i < 10000; i++ {
		candidate := name
		if i > 1 {
			candidate = stem + "_" + strconv.Itoa(i) + ext
		}
		final := filepath.Join(t.dir, candidate)
		err := claim(t.File.Name(), final)
		if err == nil {
			return final, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			os.Remove(t.File.Name())
			return "", err
		}
	}
	os.Remove(t.File.Name())
	return "", fmt.Errorf("no free name for %s in %s", name, t.dir)
}

// claim gives the temporary file the final name only if no file has it.
// A hard link fails atomically when the name is taken; where links are not
// supported, fall back to a check then rename.
func claim(tmp, final string) error {
	if err := os.Link(tmp, final); err == nil {
		return os.Remove(tmp)
	} else if errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, err := os.Lstat(final); err == nil {
		return fs.ErrExist
	}
	return os.Rename(tmp, final)
}

// WriteFile writes data from r to dir/name without overwriting anything and
// returns the path used.
func WriteFile(dir, name string, r io.Reader) (string, error) {
	t, err := CreateTemp(dir)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(t, r); err != nil {
		t.Discard()
		return "", err
	}
	return t.Keep(name)
}
