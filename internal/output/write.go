package output

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tempPrefix and tempSuffix name a file still being written. The leading
// dot hides it from file managers until it gets its final name. Between
// them: the writer's process id, a dash and a random part, so that a
// sweep can tell a file whose writer has ended (see TempOwner).
const (
	tempPrefix = ".backdrop-"
	tempSuffix = ".part"
)

// Temp is a file being written in its final folder under a hidden
// temporary name. Keep gives it a final name; Discard removes it.
type Temp struct {
	*os.File
	dir string
}

// CreateTemp starts a file in dir, creating dir if needed. Unlike
// os.CreateTemp (mode 0600) the file is created 0666 less the umask, like
// any file a program saves for its user.
func CreateTemp(dir string) (*Temp, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	for range 100 {
		name := tempPrefix + strconv.Itoa(os.Getpid()) + "-" + randomPart() + tempSuffix
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &Temp{File: f, dir: dir}, nil
	}
	return nil, fmt.Errorf("no free temporary name in %s", dir)
}

// TempOwner returns the process id of the writer of a temporary file of
// this package, given its name, or false for any other name (or one made
// before names carried it).
func TempOwner(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, tempPrefix)
	if !ok || !strings.HasSuffix(rest, tempSuffix) {
		return 0, false
	}
	id, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(id)
	if !ok || err != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}

func randomPart() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Discard closes and removes the temporary file.
func (t *Temp) Discard() {
	t.File.Close()
	os.Remove(t.File.Name())
}

// Keep flushes the file to disk and names it name, or, when that exists,
// name with "_2", "_3"… before the extension. It returns the path used.
// On any failure the temporary file is removed.
func (t *Temp) Keep(name string) (string, error) {
	if err := CheckName(name); err != nil {
		t.Discard()
		return "", err
	}
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
			syncDir(t.dir)
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

// syncDir flushes a folder's entries, so that a file's new name survives a
// crash. Best effort: some systems cannot sync a folder.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// WriteFile writes data from r to dir/name without overwriting anything and
// returns the path used. No partial file is ever left under any name.
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

// CheckDir makes sure files can be saved in dir before anything is paid
// for: it creates dir (and its parents) if needed, then writes and removes
// a probe file. The error says why dir cannot be used.
func CheckDir(dir string) error {
	if dir == "" {
		return errors.New("no folder given")
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("cannot create the folder %s: %v", dir, plainPathError(err))
	}
	t, err := CreateTemp(dir)
	if err != nil {
		return fmt.Errorf("cannot write in the folder %s: %v", dir, plainPathError(err))
	}
	t.Discard()
	return nil
}

// plainPathError drops the path an *fs.PathError repeats.
func plainPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
