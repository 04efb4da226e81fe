package api

import "time"

// Task is the service's view of one add-background job.
type Task struct {
	ID          string
	State       State
	StateDetail string
	Progress    int // 0..100
	// Images holds the results in slot order: http(s) URLs (presigned,
	// expiring about an hour after completion) or base64 image data.
	// Download accepts either. A path the service gives is already made
	// absolute against the base URL. There are never more than
	// MaxBatchSize, nor (from CreateTask and Generate) more than the
	// request's batch size.
	Images         []string
	Width, Height  int
	ForegroundRect *Rect
	CreatedAt      time.Time
	ProcessedAt    time.Time
	CompletedAt    time.Time
	Elapsed        time.Duration
	ErrInfo        string
}

// Rect is the product's bounding box in the result images, in pixels.
type Rect struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// err returns the task's failure as a *TaskError, or nil.
func (t *Task) err(redact func(string) string) error {
	if !t.State.Failed() {
		return nil
	}
	detail := t.StateDetail
	if t.ErrInfo != "" {
		detail = t.ErrInfo
	}
	return &TaskError{TaskID: t.ID, State: t.State, Detail: detail, redact: redact}
}
