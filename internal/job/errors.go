package job

import (
	"errors"
	"fmt"
	"net/http"

	"backdrop/api"
)

// IncompleteError is a run that stopped after its task was created: the
// service may hold images that were paid for and did not arrive (the wait
// gave up, was cancelled or timed out, or downloads failed). Fetch gets
// them later with TaskID while their links live, about an hour.
type IncompleteError struct {
	TaskID string
	Err    error
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("%v (task %s)", e.Err, e.TaskID)
}

func (e *IncompleteError) Unwrap() error { return e.Err }

// Failure is one result that could not be kept.
type Failure struct {
	Variant int    // 1-based
	URL     string // the result link; "" for inline data
	Err     error
}

// Error names the variant, not its link: a link may carry secrets (a
// signature, or a token a hostile service put there), and the job cannot
// redact them. Callers print URL through their own redaction.
func (f Failure) Error() string {
	return fmt.Sprintf("variant %d: %v", f.Variant, f.Err)
}

func (f Failure) Unwrap() error { return f.Err }

// LinkExpiredError is a result link the host refused (403, 404 or 410):
// presigned links die about an hour after the task ends.
type LinkExpiredError struct {
	TaskID string
	Status int
	Host   string // the result host, when known
	Detail string // the host's own words, one line, when it gave some
	Err    error  // the client's error
}

func (e *LinkExpiredError) Error() string {
	from := ""
	if e.Host != "" {
		from = " from " + e.Host
	}
	s := fmt.Sprintf("the result link has expired (HTTP %d%s; links last about an hour after task %s ends)", e.Status, from, e.TaskID)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *LinkExpiredError) Unwrap() error { return e.Err }

// linkError words a download failure for a designer.
func linkError(taskID string, err error) error {
	var ee *api.ExpiredLinkError
	if errors.As(err, &ee) {
		return &LinkExpiredError{TaskID: taskID, Status: ee.HTTPStatus, Host: ee.Host, Detail: ee.Detail, Err: err}
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		switch ae.HTTPStatus {
		case http.StatusForbidden, http.StatusNotFound, http.StatusGone:
			return &LinkExpiredError{TaskID: taskID, Status: ae.HTTPStatus, Err: err}
		}
	}
	return err
}
