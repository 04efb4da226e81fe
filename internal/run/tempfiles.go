package run

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"backdrop/internal/output"
)

// A process killed while writing leaves its hidden temporary file
// (output's ".backdrop-….part") behind. The queue's own temporary files
// are locked while they are written; a lock the kernel lets anyone take
// again belongs to a process that ended, and its file is swept. Files of
// other writers, which take no lock, are left alone while they are young,
// unless the process named in the file's name has ended (a start right
// after a kill finds the dead process's file seconds old).

// staleAge is how old an unlocked temporary file must be to be swept.
const staleAge = 2 * time.Second

// createTemp starts a temporary file in dir, locked while it is written.
func createTemp(dir string) (*output.Temp, error) {
	t, err := output.CreateTemp(dir)
	if err != nil {
		return nil, err
	}
	lockTemp(t.File)
	return t, nil
}

// writeFile writes data to dir/name without overwriting anything, as
// output.WriteFile does, through a locked temporary file.
func writeFile(dir, name string, data []byte) (string, error) {
	t, err := createTemp(dir)
	if err != nil {
		return "", err
	}
	if _, err := t.Write(data); err != nil {
		t.Discard()
		return "", err
	}
	return t.Keep(name)
}

// SweepTemp removes the temporary files that processes which ended left
// in dir (not in its sub-folders) and returns how many. Best effort.
func SweepTemp(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, ".backdrop-") || !strings.HasSuffix(name, ".part") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		if time.Since(info.ModTime()) < staleAge {
			if pid, ok := output.TempOwner(name); !ok || processAlive(pid) {
				continue
			}
		}
		if removeIfUnlocked(filepath.Join(dir, name)) {
			n++
		}
	}
	return n
}
