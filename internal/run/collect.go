package run

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"backdrop/api"
)

// Passed over is a path given (or found in a folder) that is not a shot,
// with the reason, for the list a designer sees.
type PassedOver struct {
	Path   string
	Reason string
}

// CollectShots turns files and folders (dropped on the window, given on
// the command line) into the shots to queue, in order: a folder is walked
// recursively, in name order, taking image files (JPEG, PNG, WebP or BMP
// by their content, whatever their name); everything else found there is
// passed over with the reason. Hidden files and folders, Backdrop's own
// temporary files and anything inside skip (the output folder, so that
// results are never taken for shots) are passed over too. A file named
// directly is taken as it is (the checks before sending judge it). Each
// shot comes once, however often it was named.
func CollectShots(paths []string, skip ...string) (shots []string, over []PassedOver) {
	var skipAbs []string
	for _, s := range skip {
		if s != "" {
			skipAbs = append(skipAbs, absOrSame(s))
		}
	}
	seen := map[string]bool{}
	take := func(p string) {
		if k := absOrSame(p); !seen[k] {
			seen[k] = true
			shots = append(shots, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil || !info.IsDir() {
			take(p) // named directly: checked before sending, with its reason
			continue
		}
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				over = append(over, PassedOver{path, "cannot be read: " + plainErr(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if path == p {
				return nil
			}
			if inside(absOrSame(path), skipAbs) {
				if d.IsDir() {
					over = append(over, PassedOver{path, "the output folder"})
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return fs.SkipDir // .git, .backdrop…: never shots, not worth a line
				}
				if !strings.HasPrefix(name, ".backdrop-") && name != ".DS_Store" {
					over = append(over, PassedOver{path, "a hidden file"})
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if reason := notAShot(path, d); reason != "" {
				over = append(over, PassedOver{path, reason})
				return nil
			}
			take(path)
			return nil
		})
	}
	return shots, over
}

// notAShot says why a file found in a folder is not a shot ("" if it is).
func notAShot(path string, d fs.DirEntry) string {
	info, err := os.Stat(path) // follows a link to a file
	if err != nil {
		return "cannot be read: " + plainErr(err)
	}
	if !info.Mode().IsRegular() {
		return "not a regular file"
	}
	// O_NONBLOCK: a file that turned into a FIFO since never blocks.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "cannot be read: " + plainErr(err)
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if api.SniffImage(head[:n]) == "" {
		if n == 0 {
			return "an empty file"
		}
		return "not a JPEG, PNG, WebP or BMP image"
	}
	return ""
}

func inside(path string, dirs []string) bool {
	return slices.ContainsFunc(dirs, func(dir string) bool {
		rel, err := filepath.Rel(dir, path)
		return err == nil && filepath.IsLocal(rel) || path == dir
	})
}

func absOrSame(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

func plainErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return fmt.Sprint(err)
}
