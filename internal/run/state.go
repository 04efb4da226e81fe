package run

// State is where an item is. An item starts Waiting and ends in one of
// Done, Failed, Cancelled or Skipped; Retry and RunAgain send it back to
// Waiting.
type State int

const (
	Waiting     State = iota // in the queue, not sent yet (or re-queued after a 429)
	Sending                  // the create request is on its way
	Queued                   // the service has the task and has not started it
	Processing               // the service is working: see Snapshot.Percent
	Downloading              // results are coming in: Snapshot.Received of Snapshot.Total
	Done                     // every variant is saved
	Failed                   // see Snapshot.Err; variants that arrived are kept
	Cancelled                // stopped by the user (or the queue closing)
	Skipped                  // already done earlier with the same input and options
)

// Finished reports whether the item will not change any more by itself.
func (s State) Finished() bool { return s >= Done }

// Running reports whether the item holds a place among those in flight.
func (s State) Running() bool { return s >= Sending && s <= Downloading }

func (s State) String() string {
	switch s {
	case Waiting:
		return "waiting"
	case Sending:
		return "sending"
	case Queued:
		return "queued"
	case Processing:
		return "processing"
	case Downloading:
		return "downloading"
	case Done:
		return "done"
	case Failed:
		return "failed"
	case Cancelled:
		return "cancelled"
	case Skipped:
		return "skipped"
	}
	return "unknown"
}
