package library

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// TaskLifetime is how long the service keeps a task's results.
const TaskLifetime = time.Hour

// Action is what to do with a run found under way at start.
type Action string

const (
	// ActionPoll: its task is under an hour old; poll it again and fetch
	// the images not yet in Run.Images.
	ActionPoll Action = "poll again and fetch"
	// ActionExpired: its task is older than the service keeps results; the
	// run is marked expired and can be offered for a re-run.
	ActionExpired Action = "expired at the service"
	// ActionMaybeBilled: the create went out but its answer was never
	// recorded; marked, and never sent again by itself.
	ActionMaybeBilled Action = "may have been billed"
	// ActionRequeuePaused: nothing was sent; put it back in the queue,
	// paused.
	ActionRequeuePaused Action = "re-queue paused"
)

// Pickup is a run left under way by a session that ended (a crash, a kill,
// or a window closed with its queue still full), with what to do about it.
type Pickup struct {
	Run    Run
	Action Action
}

// Texts recorded with the marks Resume makes.
const (
	expiredText     = "the service keeps a task's images for an hour, and this one is older: run it again to get images"
	maybeBilledText = "Backdrop stopped after sending this create and before its answer came: the service may have made (and billed) it. It is not sent again by itself; run it again if no images come"
)

// classify decides what to do with an under-way run at time now.
func classify(r Run, now time.Time) Action {
	switch {
	case r.TaskID != "":
		since := r.Created
		if since.IsZero() {
			since = r.Sent
		}
		if now.Sub(since) < TaskLifetime {
			return ActionPoll
		}
		return ActionExpired
	case r.State == StateSending:
		return ActionMaybeBilled
	}
	return ActionRequeuePaused
}

// Unfinished lists the runs that were under way in sessions that have
// ended, and what Resume would do with each, changing no run.
// Runs of sessions still open (this one, or another process's) are left
// out: they are not lost, just busy.
func (s *Store) Unfinished(ctx context.Context) ([]Pickup, error) {
	picks, release, err := s.findUnfinished(ctx, s.r)
	release()
	return picks, err
}

// Resume claims the runs that were under way in sessions that have ended,
// in one transaction (so two processes starting at once never pick up the
// same run), marks those expired at the service or that may have been
// billed, and returns every one with its Action. The caller then polls,
// re-queues (paused) or shows them; the runs now belong to this Store.
func (s *Store) Resume(ctx context.Context) ([]Pickup, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	picks, release, err := s.findUnfinished(ctx, tx)
	defer release()
	if err != nil {
		return nil, err
	}
	now := s.now()
	for i := range picks {
		p := &picks[i]
		state, text, finished := p.Run.State, p.Run.Error, int64(0)
		switch p.Action {
		case ActionExpired:
			state, text, finished = StateExpired, expiredText, ms(now)
		case ActionMaybeBilled:
			state, text, finished = StateMaybeBilled, maybeBilledText, ms(now)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE runs SET owner = ?, state = ?, error = ?, finished_ms = ? WHERE id = ?",
			s.session.token, state, text, finished, p.Run.ID); err != nil {
			return nil, fmt.Errorf("library: resume: %w", err)
		}
		p.Run.State, p.Run.Error, p.Run.Finished = state, text, s.fromMS(finished)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("library: resume: %w", err)
	}
	for _, p := range picks {
		s.sweepPartial(p.Run.ID)
	}
	return picks, nil
}

// sweepPartial removes the files a process that ended left half-written
// in the folder of a run it had under way (a kill while keeping a
// variant). The run is this store's now: no one else writes there.
func (s *Store) sweepPartial(id ID) {
	entries, err := os.ReadDir(s.imagesDir(id))
	if err != nil {
		return
	}
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".part") {
			os.Remove(filepath.Join(s.imagesDir(id), name))
		}
	}
}

// findUnfinished lists under-way runs whose session has ended and
// classifies them. The ended sessions' locks stay held until release, so
// no one else can take them for live ones meanwhile.
func (s *Store) findUnfinished(ctx context.Context, q querier) (picks []Pickup, release func(), err error) {
	var releases []func()
	release = func() {
		for _, r := range releases {
			r()
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT owner FROM runs
		WHERE state IN ('waiting', 'sending', 'created') AND owner <> ?`, s.session.token)
	if err != nil {
		return nil, release, err
	}
	var owners []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			rows.Close()
			return nil, release, err
		}
		owners = append(owners, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, release, err
	}
	now := s.now()
	for _, o := range owners {
		dead, rel, err := claimDead(s.dir, o)
		if err != nil {
			return nil, release, fmt.Errorf("library: session %s: %w", o, err)
		}
		if !dead {
			continue
		}
		releases = append(releases, rel)
		runs, err := s.queryRuns(ctx, q, "SELECT "+runColumns+` FROM runs
			WHERE state IN ('waiting', 'sending', 'created') AND owner = ? ORDER BY id`, o)
		if err != nil {
			return nil, release, err
		}
		for _, r := range runs {
			picks = append(picks, Pickup{Run: r, Action: classify(r, now)})
		}
	}
	return picks, release, nil
}

// FindDone returns the newest done run with this skip key whose images are
// all still on disk (the saved file where one was saved, else the
// library's copy), so the queue can skip the work; ok is false if none.
func (s *Store) FindDone(ctx context.Context, key SkipKey) (run Run, ok bool, err error) {
	digest, err := key.Digest()
	if err != nil {
		return Run{}, false, err
	}
	runs, err := s.queryRuns(ctx, s.r, "SELECT "+runColumns+` FROM runs
		WHERE skip_key = ? AND state = 'done' ORDER BY id DESC LIMIT 20`, digest)
	if err != nil {
		return Run{}, false, err
	}
	for _, r := range runs {
		if filesPresent(r) {
			return r, true, nil
		}
	}
	return Run{}, false, nil
}

func filesPresent(r Run) bool {
	if len(r.Images) == 0 {
		return false
	}
	for _, v := range r.Images {
		p := v.SavedPath
		if p == "" {
			p = v.Path
		}
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}
