package contract

// Task states, as in the provider's table. Success needs state StateDone;
// any negative state is a failure whose text is in state_detail / err_info.
const (
	StateDone           = 1
	StateQueued         = 0
	StatePreparing      = 2
	StateWaiting        = 3
	StateProcessing     = 4
	StateFailed         = -1
	StateStoreFailed    = -2
	StateDownloadFailed = -3
	StateTooLarge       = -5
	StateInvalidImage   = -7
	StateTimedOut       = -8
)

// StateDetail is the text the service shows for a state when no better text
// is known (a failure usually carries its own, more precise text).
func StateDetail(state int) string {
	switch state {
	case StateDone:
		return "Complete"
	case StateQueued:
		return "Queued"
	case StatePreparing:
		return "Preparing"
	case StateWaiting:
		return "Waiting"
	case StateProcessing:
		return "Processing"
	case StateStoreFailed:
		return "Processing finished but storing the result failed"
	case StateDownloadFailed:
		return "Failed to download image_url"
	case StateTooLarge:
		return "Image too large (15 MB at most)"
	case StateInvalidImage:
		return "Invalid image file (corrupt or not an image format)"
	case StateTimedOut:
		return "Processing timed out"
	}
	return "Failed"
}

// failure is how a task ends badly: the state and the text shown for it.
// It is an error so that it can travel through the work pipeline.
type failure struct {
	state  int
	detail string
}

func (f *failure) Error() string { return f.detail }

// fail builds a failure with the state's default text when detail is empty.
func fail(state int, detail string) *failure {
	if detail == "" {
		detail = StateDetail(state)
	}
	return &failure{state: state, detail: detail}
}
