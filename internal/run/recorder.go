package run

import "time"

// Recorder is told of every step of every item, synchronously, before the
// step's side effect where there is one: the library implements it, so
// that a crash at any moment leaves enough to resume without paying twice.
// A nil Recorder records nothing. It is called from the queue's
// goroutines, possibly at once for different items or variants, so it
// must be safe for concurrent use.
//
// An error from Added or Sending stops the item before anything is sent
// (it fails, saying why); errors from the later calls cannot undo what the
// service did and become the item's Warning.
type Recorder interface {
	// Added: the item entered the queue with its durable id (also for an
	// item resumed with Spec.ID or Spec.TaskID set).
	Added(r AddedRecord) error
	// Edited: a waiting item that was never sent now does other work
	// (Queue.Edit); spec is the new one. An error keeps the old spec.
	Edited(id string, spec Spec) error
	// Sending: the create is about to be sent (each time it is, after a 429).
	Sending(id string, r SendingRecord) error
	// Created: the service answered the create with this task id; called
	// before any waiting or downloading.
	Created(id, taskID string) error
	// Progress: the item moved to another state (not every percent).
	// Waiting after Sending means the create was refused without making
	// a task (a 429): nothing is out for it until the next Sending.
	Progress(id string, state State) error
	// VariantSaved: a variant is on disk (cache, and output folder if any).
	VariantSaved(id string, v Variant) error
	// Ended: the item finished (see EndRecord).
	Ended(id string, e EndRecord) error
}

// EndRecord says how an item finished.
type EndRecord struct {
	State State  // Done, Failed, Cancelled or Skipped
	Err   string // why it failed or was cancelled; "" for Done and Skipped
	// MayBeBilled: a create went out and no answer came (Failed only): the
	// service may have made and billed the task; it is never sent again
	// by itself.
	MayBeBilled bool
	// Files are the saved files of the earlier work a Skipped item stands
	// for.
	Files []string
}

// AddedRecord is an item as it enters the queue.
type AddedRecord struct {
	ID   string
	Spec Spec
	At   time.Time
}

// SendingRecord says what is about to be sent.
type SendingRecord struct {
	Key          string // the skip-done key of this work
	SourceSHA256 string // hex digest of the shot file; "" for a URL
	Attempt      int    // 1 for the first create of this item, more after a 429 or a retry
	At           time.Time
}
