package api

import "fmt"

// State is a task's "state" as the provider defines it.
type State int

// The provider's states.
const (
	StateDone         State = 1
	StateQueued       State = 0
	StatePreparing    State = 2
	StateWaiting      State = 3
	StateProcessing   State = 4
	StateFailed       State = -1
	StateStoreFailed  State = -2
	StateURLFailed    State = -3
	StateTooLarge     State = -5
	StateInvalidImage State = -7
	StateTimedOut     State = -8
)

// Finished reports whether the task will not change any more.
func (s State) Finished() bool { return s == StateDone || s < 0 }

// Failed reports whether the task ended without a result.
func (s State) Failed() bool { return s < 0 }

// String is a short label for progress displays.
func (s State) String() string {
	switch s {
	case StateDone:
		return "done"
	case StateQueued:
		return "queued"
	case StatePreparing:
		return "preparing"
	case StateWaiting:
		return "waiting"
	case StateProcessing:
		return "processing"
	}
	if s < 0 {
		return fmt.Sprintf("failed (%d)", int(s))
	}
	return fmt.Sprintf("state %d", int(s))
}

// Describe says what a state means to someone who made the request.
func (s State) Describe() string {
	switch s {
	case StateFailed:
		return "the service could not make the images"
	case StateStoreFailed:
		return "the images were made but the service failed to store them; try again"
	case StateURLFailed:
		return "the service could not download the image URL; check that it is public"
	case StateTooLarge:
		return "the image is over the service's 15 MB limit"
	case StateInvalidImage:
		return "the service says this is not a valid image (corrupt or an unsupported format)"
	case StateTimedOut:
		return "the service timed out making the images; try again or use a smaller image"
	}
	if s < 0 {
		return fmt.Sprintf("the task failed (state %d)", int(s))
	}
	return s.String()
}
