package run

import (
	"context"
	"io"

	"backdrop/api"
)

// Backend is the service as the queue uses it. *api.Client satisfies it;
// create and wait are separate calls so that the task id is recorded the
// moment it arrives, before any waiting.
type Backend interface {
	CreateTask(ctx context.Context, req api.CreateRequest) (*api.Task, error)
	// GetTask asks once (with the client's retries) where a task is.
	GetTask(ctx context.Context, id string) (*api.Task, error)
	WaitTask(ctx context.Context, id string, onProgress func(*api.Task)) (*api.Task, error)
	Download(ctx context.Context, ref string, w io.Writer) (int64, error)
}

var _ Backend = (*api.Client)(nil)
