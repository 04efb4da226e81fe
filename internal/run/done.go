package run

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DoneIndex remembers which work is already done, so that it is skipped
// unless asked again. The library answers it (app.Recorder); without a
// library, Manifest keeps it in the output folder.
type DoneIndex interface {
	// Lookup returns the files (absolute paths) an earlier run of this
	// work saved into outDir, or nil. The queue skips the work only when
	// every one of them still exists.
	Lookup(outDir string, w Work) ([]string, error)
	// MarkDone records that this work saved files into outDir.
	MarkDone(outDir string, w Work, files []string, taskID string) error
}

// Work is a piece of work as the skip-done check sees it.
type Work struct {
	Key          string // Key(Spec, SourceSHA256)
	Spec         Spec
	SourceSHA256 string // hex digest of the shot file; "" for a URL
}

// Manifest is a DoneIndex kept as outDir/.backdrop/done.jsonl: one JSON
// line appended per finished item, in a single write, flushed to disk; a
// torn last line (a crash mid-write) is ignored. The zero value is ready.
type Manifest struct{}

// ManifestPath is where the manifest of outDir lives.
func ManifestPath(outDir string) string {
	return filepath.Join(outDir, ".backdrop", "done.jsonl")
}

// absDir makes outDir absolute, so that the files of a manifest are
// named relative to it whatever the working directory.
func absDir(outDir string) string {
	if abs, err := filepath.Abs(outDir); err == nil {
		return abs
	}
	return outDir
}

type manifestEntry struct {
	Key   string    `json:"key"`
	Files []string  `json:"files"` // relative to the output folder when inside it
	Task  string    `json:"task,omitempty"`
	At    time.Time `json:"at"`
}

// manifestMu orders appends within this process; O_APPEND orders them
// between processes.
var manifestMu sync.Mutex

// Lookup implements DoneIndex.
func (Manifest) Lookup(outDir string, w Work) ([]string, error) {
	key := w.Key
	outDir = absDir(outDir)
	f, err := os.Open(ManifestPath(outDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var found []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var e manifestEntry
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Key != key {
			continue
		}
		found = found[:0]
		for _, p := range e.Files {
			if !filepath.IsAbs(p) {
				p = filepath.Join(outDir, p)
			}
			found = append(found, p)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, nil
	}
	return found, nil
}

// MarkDone implements DoneIndex.
func (Manifest) MarkDone(outDir string, w Work, files []string, taskID string) error {
	outDir = absDir(outDir)
	e := manifestEntry{Key: w.Key, Task: taskID, At: time.Now().UTC()}
	for _, p := range files {
		if rel, err := filepath.Rel(outDir, p); err == nil && filepath.IsLocal(rel) {
			p = rel
		}
		e.Files = append(e.Files, p)
	}
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	path := ManifestPath(outDir)
	manifestMu.Lock()
	defer manifestMu.Unlock()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if torn, err := endsMidLine(f); err == nil && torn {
		// A crash cut the last line: start ours on a fresh one.
		line = append([]byte{'\n'}, line...)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// endsMidLine reports whether a non-empty file does not end with '\n'.
func endsMidLine(f *os.File) (bool, error) {
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return false, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, info.Size()-1); err != nil && err != io.EOF {
		return false, err
	}
	return last[0] != '\n', nil
}
