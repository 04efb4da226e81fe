package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"backdrop/internal/library"
	"backdrop/internal/output"
	"backdrop/internal/run"
)

// OpenLibrary opens the library in its usual folder (library.DefaultDir).
// A database that is damaged or from a newer Backdrop is refused with an
// error that names its path and says it was left untouched (errors.As
// finds the *library.OpenError): the caller goes on without a library.
func OpenLibrary(opts ...library.Option) (*library.Store, error) {
	dir, err := library.DefaultDir()
	if err != nil {
		return nil, fmt.Errorf("the library has no folder: %w", err)
	}
	return OpenLibraryIn(dir, opts...)
}

// OpenLibraryIn opens the library in dir.
func OpenLibraryIn(dir string, opts ...library.Option) (*library.Store, error) {
	store, err := library.Open(dir, opts...)
	if err != nil {
		var oe *library.OpenError
		if errors.As(err, &oe) {
			return nil, fmt.Errorf("the library cannot be used, runs are not recorded: %w", err)
		}
		return nil, fmt.Errorf("the library in %s cannot be opened, runs are not recorded: %w", dir, err)
	}
	return store, nil
}

// itemPrefix marks a queue item id that names a run already in the
// library (a resumed or adopted run): the recorder maps it to that run
// instead of adding a new one.
const itemPrefix = "run-"

// ItemID is the queue item id of library run id: give it as run.Spec.ID
// to put a recorded run back in a queue without a new library row.
func ItemID(id library.ID) string { return itemPrefix + strconv.FormatInt(int64(id), 10) }

// runIDOf parses an ItemID.
func runIDOf(itemID string) (library.ID, bool) {
	rest, ok := strings.CutPrefix(itemID, itemPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return library.ID(n), true
}

// LibraryRecorder records a queue's items into the library: it is the
// queue's run.Recorder and its run.DoneIndex (work done before, with every
// saved file still there, is skipped). Safe for concurrent use.
type LibraryRecorder struct {
	store   *library.Store
	backend string

	mu  sync.Mutex
	ids map[string]library.ID // queue item id → run
}

// Recorder makes the recorder of a queue on the backend named backend
// (Backend.LibraryName: the service's host, or library.OfflineBackend,
// whose runs cost nothing).
func Recorder(store *library.Store, backend string) *LibraryRecorder {
	return &LibraryRecorder{store: store, backend: backend, ids: map[string]library.ID{}}
}

var (
	_ run.Recorder  = (*LibraryRecorder)(nil)
	_ run.DoneIndex = (*LibraryRecorder)(nil)
)

// RunID is the library run of a queue item (for the window: open it in
// the Library view, star its variants).
func (r *LibraryRecorder) RunID(itemID string) (library.ID, bool) {
	r.mu.Lock()
	id, ok := r.ids[itemID]
	r.mu.Unlock()
	if ok {
		return id, true
	}
	return runIDOf(itemID)
}

func (r *LibraryRecorder) runOf(itemID string) (library.ID, error) {
	if id, ok := r.RunID(itemID); ok {
		return id, nil
	}
	return 0, fmt.Errorf("item %s was not recorded in the library", itemID)
}

// runOptions are the options a run is recorded with: those that change
// its files, which are also part of its skip key.
type runOptions struct {
	Format   string `json:"format"`
	Quality  int    `json:"quality,omitempty"`
	Template string `json:"template"`
	OutDir   string `json:"out_dir,omitempty"`
}

func optionsOf(o run.Options) runOptions {
	ro := runOptions{Format: string(run.PNG), Template: o.Template, OutDir: absPath(o.OutDir)}
	if o.Format != "" {
		ro.Format = string(o.Format)
	}
	if ro.Template == "" {
		ro.Template = output.DefaultTemplate
	}
	if ro.Format == string(run.JPEG) {
		ro.Quality = o.Quality
		if ro.Quality == 0 {
			ro.Quality = run.DefaultQuality
		}
	}
	return ro
}

// specOptions reads recorded options back (a run of an older or unknown
// shape gives the defaults).
func specOptions(raw json.RawMessage) run.Options {
	var ro runOptions
	if len(raw) > 0 {
		json.Unmarshal(raw, &ro)
	}
	o := run.Options{Format: run.Format(ro.Format), OutDir: ro.OutDir, Template: ro.Template}
	if o.Format == run.JPEG {
		o.Quality = ro.Quality
	}
	if o.Format != run.JPEG && o.Format != run.PNG {
		o.Format = ""
	}
	if o.Template != "" && output.CheckTemplate(o.Template) != nil {
		o.Template = ""
	}
	return o
}

func absPath(p string) string {
	if p == "" {
		return ""
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// sourcePath is the user's shot file (not a resized copy sent for it).
func sourcePath(s run.Spec) string {
	if s.Original != "" {
		return s.Original
	}
	return s.ImageFile
}

func variantsOf(s run.Spec) int {
	if s.Variants == 0 {
		return 2 // api.DefaultBatch
	}
	return s.Variants
}

// newRun is what the library records of a spec whose shot has digest sha.
func (r *LibraryRecorder) newRun(s run.Spec, sha string) library.NewRun {
	return library.NewRun{
		Source:   library.Source{Path: absPath(sourcePath(s)), Hash: sha, URL: s.ImageURL},
		Prompt:   s.Prompt,
		Variants: variantsOf(s),
		Options:  optionsOf(s.Options),
		Backend:  r.backend,
	}
}

// shotDigest is the content hash of a shot file, or "" when it cannot be
// read as a regular file (the queue then fails the item before sending,
// saying why). Special files are never opened: a FIFO would block.
func shotDigest(path string) string {
	if path == "" {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	sha, err := library.HashFile(path)
	if err != nil {
		return ""
	}
	return sha
}

// Added implements run.Recorder: a new run row (waiting), its shot's
// content hash taken now; an item that names a recorded run (ItemID) is
// mapped to it and adds nothing. A task fetched by id (`backdrop fetch`)
// is recorded at once with its task id.
func (r *LibraryRecorder) Added(a run.AddedRecord) error {
	if id, ok := runIDOf(a.ID); ok {
		r.mu.Lock()
		r.ids[a.ID] = id
		r.mu.Unlock()
		return nil
	}
	ctx := context.Background()
	id, err := r.store.Added(ctx, r.newRun(a.Spec, shotDigest(a.Spec.ImageFile)))
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.ids[a.ID] = id
	r.mu.Unlock()
	if a.Spec.TaskID != "" {
		return r.store.Created(ctx, id, a.Spec.TaskID)
	}
	return nil
}

// Sending implements run.Recorder; it is on the disk before the create
// goes out.
func (r *LibraryRecorder) Sending(itemID string, _ run.SendingRecord) error {
	id, err := r.runOf(itemID)
	if err != nil {
		return err
	}
	return r.store.Sending(context.Background(), id)
}

// Created implements run.Recorder: the task id, on the disk at once.
func (r *LibraryRecorder) Created(itemID, taskID string) error {
	id, err := r.runOf(itemID)
	if err != nil {
		return err
	}
	return r.store.Created(context.Background(), id, taskID)
}

// Progress implements run.Recorder; the library keeps no progress.
func (r *LibraryRecorder) Progress(string, run.State) error { return nil }

// VariantSaved implements run.Recorder: the library keeps its own copy of
// the image (from the cached download where there is one).
func (r *LibraryRecorder) VariantSaved(itemID string, v run.Variant) error {
	id, err := r.runOf(itemID)
	if err != nil {
		return err
	}
	return r.store.VariantSaved(context.Background(), id, library.SavedVariant{
		N: v.N, CachedPath: v.CachedPath, SavedPath: v.SavedPath, Width: v.Width, Height: v.Height,
	})
}

// Ended implements run.Recorder. A skipped item leaves no row: the run it
// stands for is already in the library.
func (r *LibraryRecorder) Ended(itemID string, e run.EndRecord) error {
	id, err := r.runOf(itemID)
	if err != nil {
		return err
	}
	ctx := context.Background()
	switch e.State {
	case run.Done:
		return r.store.Ended(ctx, id, library.StateDone, "")
	case run.Cancelled:
		return r.store.Ended(ctx, id, library.StateCancelled, e.Err)
	case run.Skipped:
		if err := r.store.Ended(ctx, id, library.StateCancelled, "skipped: already done"); err != nil {
			return err
		}
		return r.store.Delete(ctx, id, library.DeleteOptions{})
	case run.Failed:
		if e.MayBeBilled {
			return r.store.Ended(ctx, id, library.StateMaybeBilled, e.Err)
		}
		return r.store.Ended(ctx, id, library.StateFailed, e.Err)
	}
	return fmt.Errorf("library: an item cannot end %s", e.State)
}

// Lookup implements run.DoneIndex from the library: the newest done run
// of the same work (shot content, prompt, variants, format, quality, name
// template and output folder) whose saved files are all still there.
func (r *LibraryRecorder) Lookup(outDir string, w run.Work) ([]string, error) {
	key := r.newRun(w.Spec, w.SourceSHA256).Key()
	found, ok, err := r.store.FindDone(context.Background(), key)
	if err != nil || !ok {
		return nil, err
	}
	var files []string
	for _, v := range found.Images {
		if v.SavedPath == "" {
			return nil, nil // kept in the library only: not in this folder
		}
		files = append(files, v.SavedPath)
	}
	return files, nil
}

// MarkDone implements run.DoneIndex: the run's Ended(Done) is the mark.
func (r *LibraryRecorder) MarkDone(string, run.Work, []string, string) error { return nil }

// SpecOf is a recorded run as a queue item: its shot, prompt, variants and
// options; with its task id (and the variants already saved) when it is
// to be fetched, and with ItemID so that it keeps its library row.
func SpecOf(r library.Run, withTask bool) run.Spec {
	s := run.Spec{
		ImageFile: r.Source.Path,
		ImageURL:  r.Source.URL,
		Prompt:    r.Prompt,
		Variants:  r.Variants,
		Options:   specOptions(r.Options),
		ID:        ItemID(r.ID),
	}
	if s.Variants < 1 || s.Variants > 4 {
		s.Variants = 0
	}
	if withTask {
		s.TaskID = r.TaskID
		for _, v := range r.Images {
			s.Existing = append(s.Existing, run.Variant{N: v.N, CachedPath: v.Path, SavedPath: v.SavedPath,
				Width: v.Width, Height: v.Height, Format: v.Format})
		}
	}
	return s
}

// Again is a recorded run as a new queue item doing the same work
// ("Run again", a re-run of one that expired or may have been billed):
// a new library row, sent even if the work was done before.
func Again(r library.Run) run.Spec {
	s := SpecOf(r, false)
	s.ID, s.Force = "", true
	return s
}

// Edited implements run.Recorder: the waiting run's row is replaced by one
// for the new work (nothing was sent for it), so its prompt, options and
// skip key are the ones that will be sent.
func (r *LibraryRecorder) Edited(itemID string, s run.Spec) error {
	old, err := r.runOf(itemID)
	if err != nil {
		return err
	}
	ctx := context.Background()
	id, err := r.store.Added(ctx, r.newRun(s, shotDigest(s.ImageFile)))
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.ids[itemID] = id
	r.mu.Unlock()
	// The old row goes; if that fails it stays as a cancelled run, never
	// as one under way that a later start would pick up.
	if err := r.store.Ended(ctx, old, library.StateCancelled, "edited before it was sent"); err == nil {
		r.store.Delete(ctx, old, library.DeleteOptions{})
	}
	return nil
}
