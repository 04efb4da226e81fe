package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Every error text the client makes is one line, at most a few hundred
// characters, and free of the token: the window and the CLI may show
// Error() as it is.

// Error is an answer of the service that is not a success: an HTTP error,
// a non-200 "status" in the body, or the gateway's {"error":{...}} shape.
type Error struct {
	HTTPStatus int    // the HTTP status code
	Status     int    // the body's "status", when it has one
	Message    string // the service's own words, on one line, token removed
	Type       string // the gateway's error type, when given
	Code       string // the gateway's error code, when given
	RetryAfter string // the Retry-After header of a 429, if any
	// MayHaveBeenCreated is set on a create answered with a server fault
	// (5xx, 408) after the upload: the service may have made, and billed,
	// the task before failing. Such a create is never sent again.
	MayHaveBeenCreated bool

	redact func(string) string
}

// code returns the most telling status: the body's, else the HTTP one.
func (e *Error) code() int {
	if e.Status != 0 && e.Status != http.StatusOK {
		return e.Status
	}
	return e.HTTPStatus
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.code())
	}
	s := fmt.Sprintf("%s (%d)", errorSummary(e.code()), e.code())
	if msg != "" {
		s += ": " + msg
	}
	if e.MayHaveBeenCreated {
		s += "; the task may still have been made and billed, so it was not sent again"
	}
	return finish(s, e.redact)
}

// errorSummary says in a designer's words what an HTTP status means here.
func errorSummary(code int) string {
	switch {
	case code == http.StatusBadRequest:
		return "the service refused the request"
	case code == http.StatusUnauthorized:
		return "the API token was refused"
	case code == http.StatusForbidden:
		return "no access or no balance left on this account"
	case code == http.StatusNotFound:
		return "the service does not know this task"
	case code == http.StatusRequestEntityTooLarge:
		return "the image is over the service's 15 MB limit"
	case code == http.StatusTooManyRequests:
		return "the service is rate limiting; try again in a moment"
	case code >= 500:
		return "the service had a fault"
	case code >= 300 && code < 400:
		return "the service answered with a redirect the client does not follow"
	default:
		return "the service answered with an error"
	}
}

// TaskError is a task that ended in a failure state (state < 0).
type TaskError struct {
	TaskID string
	State  State
	Detail string // state_detail / err_info from the service, one line, token removed

	redact func(string) string
}

func (e *TaskError) Error() string {
	s := e.State.Describe()
	if e.Detail != "" && e.Detail != s {
		s += ": " + e.Detail
	}
	return finish(s, e.redact)
}

// ValidationError is a request the client refused to send.
type ValidationError struct {
	Field  string // the form field at fault, e.g. "prompt"
	Reason string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Reason }

// ErrTooLarge is returned by Download when a result exceeds the size cap.
var ErrTooLarge = errors.New("api: result image is larger than the download cap")

// ErrTruncated is wrapped (in a *NetworkError) when a result arrived
// shorter than announced or visibly cut, on every try.
var ErrTruncated = errors.New("the result image arrived incomplete")

// ErrNoResults is wrapped when a task is done but the service named no
// image: nothing was delivered, nothing can be fetched later.
var ErrNoResults = errors.New("the service finished the task but sent no image")

// NetworkError is a request that got no usable answer: the connection
// could not be made, broke, or a time limit ran out. The window and the
// CLI word it from Host, Timeout and MayHaveBeenCreated; Error() is a
// short sentence that already says the essentials.
type NetworkError struct {
	Op   string // "create", "poll" or "download"
	Host string // host[:port] of the request, e.g. "api.gpt.ge"
	// Phase is where it failed: "connecting", "TLS handshake", "sending
	// the image", "waiting for the answer" or "reading the answer".
	Phase string
	// Timeout says a time limit of the client ran out (Limit long).
	Timeout bool
	Limit   time.Duration
	// MayHaveBeenCreated is set on a create whose upload was complete when
	// the connection failed: the service may have made (and billed) the
	// task. The client never sends such a create again.
	MayHaveBeenCreated bool
	// Reason is a short description of the cause ("connection refused").
	Reason string
	Err    error // the underlying error, for errors.Is/As

	sent   bool // request headers were written: a create is not retried
	redact func(string) string
}

func (e *NetworkError) Error() string {
	stopped := errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded)
	var s string
	switch {
	case e.MayHaveBeenCreated && stopped:
		s = fmt.Sprintf("stopped (%s) after the image was sent to %s; the task may exist and may have been billed", e.Reason, e.Host)
	case e.MayHaveBeenCreated:
		s = e.what() + " after the image was sent; the task may exist and may have been billed, so it was not sent again"
	case e.Op == opDownload && errors.Is(e.Err, ErrTruncated):
		s = fmt.Sprintf("downloading a result from %s: %s", e.Host, ErrTruncated)
	case e.Op == opDownload:
		s = "downloading a result: " + e.what()
	default:
		s = e.what()
	}
	return finish(s, e.redact)
}

// what says what went wrong, naming the host.
func (e *NetworkError) what() string {
	if e.Timeout {
		switch e.Phase {
		case phaseConnecting.String():
			return fmt.Sprintf("could not connect to %s within %s", e.Host, e.Limit)
		case phaseTLS.String():
			return fmt.Sprintf("the secure connection to %s was not set up within %s", e.Host, e.Limit)
		case phaseSending.String():
			return fmt.Sprintf("sending the image to %s stalled for %s", e.Host, e.Limit)
		case phaseReading.String():
			return fmt.Sprintf("the answer from %s stopped arriving (nothing for %s)", e.Host, e.Limit)
		}
		return fmt.Sprintf("no answer from %s within %s", e.Host, e.Limit)
	}
	switch {
	case e.MayHaveBeenCreated:
		return fmt.Sprintf("the connection to %s broke (%s)", e.Host, e.Reason)
	case e.sent:
		return fmt.Sprintf("the connection to %s broke while %s (%s)", e.Host, e.Phase, e.Reason)
	}
	return fmt.Sprintf("cannot reach %s (%s)", e.Host, e.Reason)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// Unreachable reports that no connection to Host could be made (refused,
// unknown host, no route, or the connect or TLS time limit ran out), so
// nothing of the request reached the service.
func (e *NetworkError) Unreachable() bool {
	if e.MayHaveBeenCreated {
		return false
	}
	// A dial that failed, even after the transport found a pooled
	// connection dead and dialled again, reached nobody.
	var op *net.OpError
	var dns *net.DNSError
	if errors.As(e.Err, &dns) || (errors.As(e.Err, &op) && op.Op == "dial") {
		return true
	}
	return !e.sent && (e.Phase == phaseConnecting.String() || e.Phase == phaseTLS.String())
}

// ProtocolError is an answer that arrived whole but cannot be read: not
// JSON, cut short, the wrong types, no task data, too large.
type ProtocolError struct {
	Op         string // "create", "poll" or "download"
	HTTPStatus int
	Reason     string // one line, token removed
	// MayHaveBeenCreated is set on a create whose answer was a success
	// that cannot be read: the task may exist and may have been billed.
	MayHaveBeenCreated bool

	redact func(string) string
}

func (e *ProtocolError) Error() string {
	s := fmt.Sprintf("the service's answer cannot be read (HTTP %d): %s", e.HTTPStatus, e.Reason)
	if e.MayHaveBeenCreated {
		s += "; the task may have been made and billed, so it was not sent again"
	}
	return finish(s, e.redact)
}

// WaitError is a task the client stopped waiting for: the run's time
// bound ran out, the service stayed unreachable for too long, or the wait
// was cancelled. The task may still finish: its results can be fetched
// later with TaskID (GetTask/WaitTask, `backdrop fetch TASK_ID`) while
// their links live (about an hour after it ends).
type WaitError struct {
	TaskID    string
	LastState State // the last state seen (StateQueued if none)
	Err       error // why: context.DeadlineExceeded, context.Canceled, or the last poll's error

	redact func(string) string
}

func (e *WaitError) Error() string {
	var s string
	switch {
	case errors.Is(e.Err, context.DeadlineExceeded):
		s = fmt.Sprintf("task %s did not finish in time (last state: %s)", e.TaskID, e.LastState)
	case errors.Is(e.Err, context.Canceled):
		s = fmt.Sprintf("stopped waiting for task %s (last state: %s)", e.TaskID, e.LastState)
	default:
		s = fmt.Sprintf("stopped waiting for task %s: %v", e.TaskID, e.Err)
	}
	return finish(s, e.redact)
}

func (e *WaitError) Unwrap() error { return e.Err }

// ExpiredLinkError is a result link the host refuses (403, 404 or 410):
// presigned links expire about an hour after the task ends. The caller
// adds the task id to its message. It wraps the host's answer as an
// *Error (for code that looks at HTTP statuses), but IsAuth and IsNotFound
// are false for it: neither the token nor the task is at fault.
type ExpiredLinkError struct {
	HTTPStatus int
	Host       string
	Detail     string // the host's own words, one line, token removed

	answer *Error
	redact func(string) string
}

func (e *ExpiredLinkError) Unwrap() error {
	if e.answer == nil {
		return nil
	}
	return e.answer
}

func (e *ExpiredLinkError) Error() string {
	s := fmt.Sprintf("the result link has expired (HTTP %d from %s); results are kept about an hour", e.HTTPStatus, e.Host)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return finish(s, e.redact)
}

// RedirectError is a redirect the client refused to follow: from https
// to plain http, or of a create.
type RedirectError struct {
	From, To string // scheme://host[:port] of each side
	Reason   string

	redact func(string) string
}

func (e *RedirectError) Error() string {
	return finish(fmt.Sprintf("refused a redirect from %s to %s: %s", e.From, e.To, e.Reason), e.redact)
}

// finish makes an error text: one line, without the token, bounded.
func finish(s string, redact func(string) string) string {
	s = oneLine(s)
	if redact != nil {
		s = redact(s)
	}
	return bound(s, maxErrorRunes)
}

// IsAuth reports whether err is a refused token or an account without
// access (never a result link that has expired).
func IsAuth(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.code() == http.StatusUnauthorized || e.code() == http.StatusForbidden) && !IsExpiredLink(err)
}

// IsRateLimited reports whether err is a 429 answer.
func IsRateLimited(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.code() == http.StatusTooManyRequests
}

// IsNotFound reports whether err is a 404 (an unknown task id; never a
// result link that has expired).
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.code() == http.StatusNotFound && !IsExpiredLink(err)
}

// IsValidation reports whether err is a request refused before sending.
func IsValidation(err error) bool {
	var e *ValidationError
	return errors.As(err, &e)
}

// IsNetwork reports whether err is a *NetworkError.
func IsNetwork(err error) bool {
	var e *NetworkError
	return errors.As(err, &e)
}

// IsExpiredLink reports whether err is an *ExpiredLinkError.
func IsExpiredLink(err error) bool {
	var e *ExpiredLinkError
	return errors.As(err, &e)
}

// TaskMayExist reports whether a failed create may nevertheless have made
// (and billed) a task: the upload was complete and then the connection
// broke, no answer came in time, the service had a fault, or its success
// answer could not be read. The user should look before sending again.
func TaskMayExist(err error) bool {
	var ne *NetworkError
	var pe *ProtocolError
	var ae *Error
	return (errors.As(err, &ne) && ne.MayHaveBeenCreated) ||
		(errors.As(err, &pe) && pe.MayHaveBeenCreated) ||
		(errors.As(err, &ae) && ae.MayHaveBeenCreated)
}

// TaskIDOf returns the id of the task an error is about, when it knows
// one (a *WaitError or a *TaskError), else "".
func TaskIDOf(err error) string {
	var we *WaitError
	if errors.As(err, &we) {
		return we.TaskID
	}
	var te *TaskError
	if errors.As(err, &te) {
		return te.TaskID
	}
	return ""
}

// IsTemporary reports whether the same call may work if tried again a
// little later: no usable answer (except an untrusted certificate or an
// unknown host), 408, 429, a server fault, an answer that could not be
// read, or a wait that gave up during an outage. It is false for what will
// not change by waiting: a refused request, a failed task, a refused
// token, an unknown task, an expired link, a result over the cap, a
// refused redirect, a cancelled or timed-out run. A create for which
// TaskMayExist is true must still not be sent again.
func IsTemporary(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne *NetworkError
	var pe *ProtocolError
	var ae *Error
	switch {
	case errors.As(err, new(*TaskError)), errors.As(err, new(*ValidationError)), errors.As(err, new(*ExpiredLinkError)),
		errors.As(err, new(*RedirectError)), errors.Is(err, ErrTooLarge), errors.Is(err, ErrNoResults):
		return false
	case errors.As(err, &ne):
		return !hopeless(ne) || ne.Timeout
	case errors.As(err, &pe):
		return true
	case errors.As(err, &ae):
		code := ae.code()
		return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500
	}
	return false
}
