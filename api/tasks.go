package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// CreateTask sends one add-background task. The request is validated first;
// nothing is sent when it is invalid. With Sync the answer is normally the
// finished task; otherwise it holds the task id to Wait on. A task that
// already failed is returned with a *TaskError. Task.Images holds at most
// the request's batch size.
//
// A create is sent again only when it surely never reached the service
// (no byte written) or was answered 429. When it may have reached it —
// the upload was complete and then the connection broke, no answer came
// in time, the service had a fault — the error says so
// (TaskMayExist reports it) and nothing is sent again.
func (c *Client) CreateTask(ctx context.Context, req CreateRequest) (*Task, error) {
	t, err := c.createTask(ctx, req)
	return t, c.seal(err)
}

func (c *Client) createTask(ctx context.Context, req CreateRequest) (*Task, error) {
	p, err := req.prepare()
	if err != nil {
		return nil, err
	}
	body, err := newUploadBody(p)
	if err != nil {
		return nil, err
	}
	header := c.timeouts.CreateHeaders
	if p.Sync {
		header = c.timeouts.SyncCreateHeaders
	}
	ans, err := c.send(ctx, call{op: opCreate, method: http.MethodPost, url: c.endpoint("/task/pic/background"),
		auth: true, body: body, header: header, retries: c.maxRetries})
	if err != nil {
		return nil, err
	}
	t, err := c.decode(opCreate, ans)
	if err != nil {
		return nil, err
	}
	if t.ID == "" && !t.State.Finished() {
		return nil, &ProtocolError{Op: opCreate, HTTPStatus: ans.status, Reason: "the service accepted the task but gave no task id",
			MayHaveBeenCreated: true, redact: c.Redact}
	}
	capImages(t, p.BatchSize)
	return t, t.err(c.Redact)
}

// GetTask asks for a task's current state, trying again (a few times, with
// backoff) on time-outs, broken connections, 408, 429 and 5xx. A task in a
// failure state is returned along with its *TaskError. Task.Images holds
// at most MaxBatchSize results.
func (c *Client) GetTask(ctx context.Context, id string) (*Task, error) {
	t, err := c.getTask(ctx, id, c.maxRetries)
	return t, c.seal(err)
}

func (c *Client) getTask(ctx context.Context, id string, retries int) (*Task, error) {
	if strings.TrimSpace(id) == "" {
		return nil, &ValidationError{"task_id", "must not be empty"}
	}
	ans, err := c.send(ctx, call{op: opPoll, method: http.MethodGet, url: c.endpoint("/task/" + url.PathEscape(id)),
		auth: true, header: c.timeouts.PollHeaders, retries: retries})
	if err != nil {
		return nil, err
	}
	t, err := c.decode(opPoll, ans)
	if err != nil {
		return nil, err
	}
	if t.ID == "" {
		t.ID = id
	}
	return t, t.err(c.Redact)
}

// Generate creates a task and, unless the create answer is already final,
// waits for it (see WaitTask for the bounds). onProgress (when not nil)
// sees every state on the way. Task.Images holds at most the request's
// batch size: a service sending more links is not believed (each image
// is billed by the batch size asked for). When the wait gives up, the
// *WaitError carries the task id so that the results can be fetched later.
func (c *Client) Generate(ctx context.Context, req CreateRequest, onProgress func(*Task)) (*Task, error) {
	t, err := c.createTask(ctx, req)
	if over, err := settle(t, err, onProgress); over {
		return t, c.seal(err)
	}
	t, err = c.waitTask(ctx, t.ID, onProgress)
	if t != nil {
		capImages(t, req.batch())
	}
	return t, c.seal(err)
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
		return fmt.Errorf("task %s: %w", t.ID, ErrNoResults)
	}
	return nil
}

// capImages keeps at most n results.
func capImages(t *Task, n int) {
	if n > 0 && len(t.Images) > n {
		t.Images = t.Images[:n]
	}
}

// decode turns an answer into a task, or into the typed error it stands
// for, with every text from the service cleaned.
func (c *Client) decode(op string, ans *answer) (*Task, error) {
	t, err := decodeAnswer(ans.status, ans.body)
	if err != nil {
		var apiErr *Error
		var pe *ProtocolError
		switch {
		case errors.As(err, &apiErr):
			apiErr.Message = c.cleanText(apiErr.Message, maxMessageRunes)
			apiErr.Type = c.cleanText(apiErr.Type, 60)
			apiErr.Code = c.cleanText(apiErr.Code, 60)
			apiErr.RetryAfter = c.cleanText(ans.header.Get("Retry-After"), 60)
			apiErr.redact = c.Redact
			code := apiErr.code()
			apiErr.MayHaveBeenCreated = op == opCreate && (code >= 500 || code == http.StatusRequestTimeout)
		case errors.As(err, &pe):
			pe.Op, pe.Reason, pe.redact = op, c.cleanText(pe.Reason, maxMessageRunes), c.Redact
			pe.MayHaveBeenCreated = op == opCreate && ans.status >= 200 && ans.status < 300
		}
		return nil, err
	}
	t.StateDetail = c.cleanText(t.StateDetail, maxMessageRunes)
	t.ErrInfo = c.cleanText(t.ErrInfo, maxMessageRunes)
	kept := t.Images[:0]
	for _, ref := range t.Images {
		if r := c.resolveResult(ref); r != "" {
			kept = append(kept, r)
		}
	}
	t.Images = kept
	return t, nil
}

// resolveResult makes a result reference usable by Download: an http(s)
// URL or inline image data stay as they are; a path (absolute or not, with
// or without an extension) is taken relative to the service, as a browser
// would. Base64 may look like a path (JPEG's starts with "/9j/"), so data
// is told apart by what it decodes to: image magic bytes. "" if unusable.
func (c *Client) resolveResult(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || IsURL(ref) || isInlineImage(ref) {
		return ref
	}
	if len(ref) > 4096 || strings.ContainsAny(ref, " \t\r\n") {
		return ref // not a path: Download will say it is not image data
	}
	u, err := c.baseURL.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ref
	}
	return u.String()
}
