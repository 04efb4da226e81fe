package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// CreateTask sends one add-background task. The request is validated first;
// nothing is sent when it is invalid. With Sync the answer is normally the
// finished task; otherwise it holds the task id to Wait on. A task that
// already failed is returned with a *TaskError.
func (c *Client) CreateTask(ctx context.Context, req CreateRequest) (*Task, error) {
	p, err := req.prepare()
	if err != nil {
		return nil, err
	}
	body, err := newUploadBody(p)
	if err != nil {
		return nil, err
	}
	ans, err := c.send(ctx, call{method: http.MethodPost, url: c.endpoint("/task/pic/background"), auth: true, body: body})
	if err != nil {
		return nil, err
	}
	t, err := c.decode(ans)
	if err != nil {
		return nil, err
	}
	if t.ID == "" && !t.State.Finished() {
		return nil, errors.New("api: the service accepted the task but gave no task id")
	}
	return t, t.err()
}

// GetTask asks for a task's current state. A task in a failure state is
// returned along with its *TaskError.
func (c *Client) GetTask(ctx context.Context, id string) (*Task, error) {
	if strings.TrimSpace(id) == "" {
		return nil, &ValidationError{"task_id", "must not be empty"}
	}
	ans, err := c.send(ctx, call{method: http.MethodGet, url: c.endpoint("/task/" + url.PathEscape(id)), auth: true})
	if err != nil {
		return nil, err
	}
	t, err := c.decode(ans)
	if err != nil {
		return nil, err
	}
	if t.ID == "" {
		t.ID = id
	}
	return t, t.err()
}

// WaitTask polls a task about once a second until it is done or failed,
// calling onProgress (when not nil) with each answer.
func (c *Client) WaitTask(ctx context.Context, id string, onProgress func(*Task)) (*Task, error) {
	tick := time.NewTicker(c.pollInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
		t, err := c.GetTask(ctx, id)
		if over, err := settle(t, err, onProgress); over {
			return t, err
		}
	}
}

// Generate creates a task and, unless the create answer is already final,
// waits for it. onProgress (when not nil) sees every state on the way.
func (c *Client) Generate(ctx context.Context, req CreateRequest, onProgress func(*Task)) (*Task, error) {
	t, err := c.CreateTask(ctx, req)
	if over, err := settle(t, err, onProgress); over {
		return t, err
	}
	return c.WaitTask(ctx, t.ID, onProgress)
}

// settle shows an answer to onProgress and says whether the task is over:
// failed, or done with its results.
func settle(t *Task, err error, onProgress func(*Task)) (bool, error) {
	if t != nil && onProgress != nil {
		onProgress(t)
	}
	if err != nil {
		return true, err
	}
	if t.State == StateDone {
		return true, checkResults(t)
	}
	return false, nil
}

func checkResults(t *Task) error {
	if len(t.Images) == 0 {
		return fmt.Errorf("api: task %s finished but the service returned no image", t.ID)
	}
	return nil
}

// decode turns an answer into a task, or into the *Error it stands for.
func (c *Client) decode(ans *answer) (*Task, error) {
	t, err := decodeAnswer(ans.status, ans.body)
	if err != nil {
		var apiErr *Error
		if errors.As(err, &apiErr) {
			apiErr.Message = c.redact(apiErr.Message)
			apiErr.RetryAfter = ans.header.Get("Retry-After")
		}
		return nil, err
	}
	t.StateDetail, t.ErrInfo = c.redact(t.StateDetail), c.redact(t.ErrInfo)
	for i, ref := range t.Images {
		// A path is taken relative to the service, like a browser would;
		// base64 data may also start with "/" (JPEG's "/9j/") but holds
		// none of a path's dots, dashes or underscores.
		if strings.HasPrefix(ref, "/") && strings.ContainsAny(ref, ".-_?") {
			if u, err := c.baseURL.Parse(ref); err == nil {
				t.Images[i] = u.String()
			}
		}
	}
	return t, nil
}
