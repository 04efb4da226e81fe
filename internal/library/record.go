package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// The recorder: one method per event of a run, each committed when it
// returns (safe from a crash or kill of the app; Sending and Created are
// also flushed to the disk against a power cut). The queue calls each
// before the side effect it announces (Sending before the create goes
// out), so a crash leaves enough behind to resume without paying twice.

// StateError is returned when an event does not fit the run's state, e.g.
// Created for a run that already ended, or Sending for one that ended with
// images: retrying that is a new run (Added again), so the first attempt
// keeps its images.
type StateError struct {
	ID    ID
	State State
	Event string
}

func (e *StateError) Error() string {
	return fmt.Sprintf("run %d is %s: %s does not apply", e.ID, e.State, e.Event)
}

// Added records a run entering a queue (state waiting) and returns its ID.
func (s *Store) Added(ctx context.Context, run NewRun) (ID, error) {
	if run.Variants < 1 {
		return 0, fmt.Errorf("a run needs at least one variant, got %d", run.Variants)
	}
	opts, err := canonicalJSON(run.Options)
	if err != nil {
		return 0, err
	}
	key, err := run.Key().Digest()
	if err != nil {
		return 0, err
	}
	res, err := s.stmt.addRun.ExecContext(ctx, s.session.token, run.Source.Path, run.Source.Hash, run.Source.URL, run.Source.Name(),
		run.Prompt, run.Variants, opts, key, run.Backend, StateWaiting, ms(s.now()))
	if err != nil {
		return 0, fmt.Errorf("library: recording a run: %w", err)
	}
	id, err := res.LastInsertId()
	return ID(id), err
}

// Sending records that the create is about to go out. Call it right before
// sending: a run found in this state with no task ID may have been billed.
// It is flushed to the disk (it must survive even a power cut). It may be
// called again for the same run: after a 429, or to retry a run that ended
// without images (failed, cancelled, expired, maybe billed), which starts
// it afresh.
func (s *Store) Sending(ctx context.Context, id ID) error {
	return s.advance(ctx, id, "Sending", true, []State{StateWaiting, StateSending},
		"state = ?, sent_ms = ?, task_id = '', error = '', created_ms = 0, finished_ms = 0", StateSending, ms(s.now()))
}

// NotSent records that the create of a sending run was refused without
// making a task (the service's 429): the run waits again, and a process
// that ends now leaves nothing that may have been billed.
func (s *Store) NotSent(ctx context.Context, id ID) error {
	return s.advance(ctx, id, "NotSent", false, []State{StateWaiting, StateSending},
		"state = ?, sent_ms = 0", StateWaiting)
}

// Created records the task the service made for the run, the moment its
// answer arrives. It is flushed to the disk: the task ID is the only way
// back to paid images.
func (s *Store) Created(ctx context.Context, id ID, taskID string) error {
	if taskID == "" {
		return errors.New("library: Created needs the task ID")
	}
	now := ms(s.now())
	return s.advance(ctx, id, "Created", true, []State{StateWaiting, StateSending, StateCreated},
		"state = ?, task_id = ?, created_ms = ?, sent_ms = CASE WHEN sent_ms = 0 THEN ? ELSE sent_ms END",
		StateCreated, taskID, now, now)
}

// Ended records how a run finished: done, failed (errText says why) or
// cancelled — or expired / maybe-billed when the queue finds that out.
func (s *Store) Ended(ctx context.Context, id ID, state State, errText string) error {
	if !state.Final() {
		return fmt.Errorf("library: Ended with %q, which is not a final state", state)
	}
	err := s.advance(ctx, id, "Ended", false, []State{StateWaiting, StateSending, StateCreated, state},
		"state = ?, error = ?, finished_ms = ?", state, errText, ms(s.now()))
	s.wakeThumbnails()
	return err
}

// advance updates a run whose state is one of from, in one statement
// (flushed to the disk if durable).
func (s *Store) advance(ctx context.Context, id ID, event string, durable bool, from []State, set string, args ...any) error {
	q := "UPDATE runs SET " + set + " WHERE id = ? AND (state IN (?" + strings.Repeat(", ?", len(from)-1) + ")"
	if event == "Sending" { // a retry of a run that ended without images
		q += " OR (state IN ('failed', 'cancelled', 'expired', 'maybe-billed') AND NOT EXISTS (SELECT 1 FROM variants WHERE run_id = runs.id))"
	}
	q += ")"
	args = append(args, id)
	for _, st := range from {
		args = append(args, st)
	}
	stmt, err := s.stmt.cached(ctx, s.w, q)
	if err != nil {
		return fmt.Errorf("library: %s for run %d: %w", event, id, err)
	}
	res, err := stmt.ExecContext(ctx, args...)
	if err == nil && durable {
		err = s.flushWAL(ctx)
	}
	if err != nil {
		return fmt.Errorf("library: %s for run %d: %w", event, id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var st State
	switch err := s.r.QueryRowContext(ctx, "SELECT state FROM runs WHERE id = ?", id).Scan(&st); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("run %d: %w", id, ErrNotFound)
	case err != nil:
		return err
	}
	return &StateError{ID: id, State: st, Event: event}
}

// VariantSaved records variant v of a run once its file is on disk. The
// library keeps its own copy (a hard link to the downloaded file where it
// can, else a copy), so the image outlives cache cleaning and the output
// folder. Its thumbnail is made in the background once the run has ended
// (so the worker does not compete with the run's other images), or on
// demand by Thumbnail.
func (s *Store) VariantSaved(ctx context.Context, id ID, v SavedVariant) error {
	if v.N < 1 {
		return fmt.Errorf("library: variant number %d", v.N)
	}
	// No run, or one deleted meanwhile: the insert says so, and the file
	// kept for it is removed (cheaper than asking first, every time).
	kept, err := s.keep(id, v)
	if err != nil {
		return fmt.Errorf("library: keeping variant %d of run %d: %w", v.N, id, err)
	}
	res, err := s.stmt.saveVariant.ExecContext(ctx, id, v.N, kept.rel, v.CachedPath, v.SavedPath, kept.width, kept.height, kept.format, ms(s.now()), id)
	if err != nil {
		return fmt.Errorf("library: recording variant %d of run %d: %w", v.N, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 { // no such run, or deleted meanwhile
		s.removeRunFiles(id)
		return fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	return nil
}
