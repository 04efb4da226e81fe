package app

import (
	"context"
	"errors"
	"fmt"

	"backdrop/internal/library"
	"backdrop/internal/run"
)

// CapError is a create the daily cap stopped: nothing was sent.
type CapError struct {
	Cap  int    // images a day
	Used int    // billed today, with those of creates under way
	Hint string // where the cap is set ("raise it in Settings")
	Err  *library.CapError
}

func (e *CapError) Error() string {
	return fmt.Sprintf("Daily cap of %d images reached (%d billed today) — %s", e.Cap, e.Used, e.Hint)
}

func (e *CapError) Unwrap() error { return e.Err }

// CapHintWindow is what the window's cap message says to do.
const CapHintWindow = "raise it in Settings"

// CapGate is a queue's run.Config.BeforeCreate that stops a create which
// would take today's images on the service past dailyCap() (read at each
// create, so a new setting holds at once; ≤ 0 means no cap). hint says
// where the cap is raised. Nothing is sent for an item it stops; Retry
// sends it once the cap allows.
func CapGate(store *library.Store, dailyCap func() int, hint string) func(context.Context, run.Spec) error {
	if hint == "" {
		hint = CapHintWindow
	}
	return func(ctx context.Context, s run.Spec) error {
		limit := dailyCap()
		if limit <= 0 {
			return nil
		}
		err := store.CheckCap(ctx, limit, variantsOf(s))
		var ce *library.CapError
		if errors.As(err, &ce) {
			return &CapError{Cap: ce.Cap, Used: ce.Used, Hint: hint, Err: ce}
		}
		if err != nil {
			return fmt.Errorf("the daily cap could not be checked in the library: %w", err)
		}
		return nil
	}
}

// QueueOptions connect a queue to the library.
type QueueOptions struct {
	// Library records every item and answers skip-done; nil records
	// nothing and keeps skip-done in each output folder (run.Manifest).
	Library *library.Store
	// DailyCap is read before each create on the service (≤ 0 or nil:
	// no cap); the offline engine is never capped. Needs Library.
	DailyCap func() int
	CapHint  string // "" means CapHintWindow
}

// NewLibraryQueue makes a queue on this backend recording into the
// library (when opts.Library is set) with the daily cap gate, and returns
// its recorder (nil without a library) to map items to library runs.
// cfg's Recorder, Done and BeforeCreate are set here; its other fields
// keep their meaning (Backend and CacheDir default to the backend's).
func (b *Backend) NewLibraryQueue(cfg run.Config, opts QueueOptions) (*run.Queue, *LibraryRecorder, error) {
	var rec *LibraryRecorder
	if opts.Library != nil {
		rec = Recorder(opts.Library, b.LibraryName())
		cfg.Recorder, cfg.Done = rec, rec
		if opts.DailyCap != nil && !b.Offline() {
			cfg.BeforeCreate = CapGate(opts.Library, opts.DailyCap, opts.CapHint)
		}
	}
	q, err := b.NewQueue(cfg)
	if err != nil {
		return nil, nil, err
	}
	return q, rec, nil
}
