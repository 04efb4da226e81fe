package app

import (
	"context"
	"fmt"

	"backdrop/internal/library"
	"backdrop/internal/run"
)

// Resumed is what Resume did with one run that a process left under way
// (a crash, a kill, a window closed with its queue full).
type Resumed struct {
	Run    library.Run // as it is now (expired and maybe-billed runs are marked so)
	Action library.Action
	// ItemID is the queue item now fetching its task (ActionPoll) or
	// holding it paused (ActionRequeuePaused); "" when it is not in the
	// queue (expired, maybe billed, or left waiting by ResumeOptions).
	ItemID string
	Err    error // it could not be put in the queue
}

// Describe says in one line what became of the run.
func (r Resumed) Describe() string {
	name := r.Run.Source.Name()
	if name == "" {
		name = "task " + r.Run.TaskID
	}
	what := ""
	switch {
	case r.Err != nil:
		what = fmt.Sprintf("could not be picked up again: %v", r.Err)
	case r.Action == library.ActionPoll:
		what = fmt.Sprintf("task %s was under way: its images are fetched now", r.Run.TaskID)
	case r.Action == library.ActionExpired:
		what = fmt.Sprintf("task %s is over an hour old and expired at the service: run it again to get images", r.Run.TaskID)
	case r.Action == library.ActionMaybeBilled:
		what = "its create was sent but no answer was recorded: it may have been billed, and is not sent again by itself"
	case r.ItemID != "":
		what = "was waiting: back in the queue, paused (nothing had been sent)"
	default:
		what = "was waiting: left in the library, nothing sent"
	}
	return fmt.Sprintf("%s (run %d): %s", name, r.Run.ID, what)
}

// ResumeOptions change what Resume puts back in the queue.
type ResumeOptions struct {
	// Requeue says whether a run that was waiting (nothing sent) goes back
	// into the queue; nil means all of them. A run left out stays waiting
	// in the library, for a later start.
	Requeue func(library.Run) bool
}

// Resume picks up, at start, the runs that processes which have ended
// left under way: a task under an hour old is fetched again into its
// output folder (a queue item from its task id, keeping the variants
// already saved; it runs even while the queue is paused); an older one is
// marked expired at the service (offered for a re-run); a create that may
// have reached the service without its answer recorded is marked "may
// have been billed" and never re-sent by itself; runs that were waiting
// come back into q, which is paused so nothing is sent until the user
// says so. Items keep their library rows (ItemID). q must record into
// store (NewLibraryQueue) for the rest of their life to be recorded.
func Resume(ctx context.Context, store *library.Store, q *run.Queue) ([]Resumed, error) {
	return ResumeWith(ctx, store, q, ResumeOptions{})
}

// ResumeWith is Resume with options.
func ResumeWith(ctx context.Context, store *library.Store, q *run.Queue, opts ResumeOptions) ([]Resumed, error) {
	picks, err := store.Resume(ctx)
	if err != nil {
		return nil, fmt.Errorf("picking up unfinished runs: %w", err)
	}
	out := make([]Resumed, 0, len(picks))
	paused := false
	for _, p := range picks {
		r := Resumed{Run: p.Run, Action: p.Action}
		switch p.Action {
		case library.ActionPoll:
			r.ItemID, r.Err = q.Add(SpecOf(p.Run, true))
		case library.ActionRequeuePaused:
			if opts.Requeue != nil && !opts.Requeue(p.Run) {
				break
			}
			if !paused {
				q.Pause()
				paused = true
			}
			r.ItemID, r.Err = q.Add(SpecOf(p.Run, false))
		}
		out = append(out, r)
	}
	return out, nil
}
