package api

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an answer of the service that is not a success: an HTTP error,
// a non-200 "status" in the body, or the gateway's {"error":{...}} shape.
type Error struct {
	HTTPStatus int    // the HTTP status code
	Status     int    // the body's "status", when it has one
	Message    string // the service's own words
	Type       string // the gateway's error type, when given
	Code       string // the gateway's error code, when given
	RetryAfter string // the Retry-After header of a 429, if any
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
	return fmt.Sprintf("%s (%d): %s", errorSummary(e.code()), e.code(), msg)
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
	default:
		return "the service answered with an error"
	}
}

// TaskError is a task that ended in a failure state (state < 0).
type TaskError struct {
	TaskID string
	State  State
	Detail string // state_detail / err_info from the service
}

func (e *TaskError) Error() string {
	s := e.State.Describe()
	if e.Detail != "" && e.Detail != s {
		s += ": " + e.Detail
	}
	return s
}

// ValidationError is a request the client refused to send.
type ValidationError struct {
	Field  string // the form field at fault, e.g. "prompt"
	Reason string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Reason }

// ErrTooLarge is returned by Download when a result exceeds the size cap.
var ErrTooLarge = errors.New("api: result image is larger than the download cap")

// IsAuth reports whether err is a refused token or an account without access.
func IsAuth(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.code() == http.StatusUnauthorized || e.code() == http.StatusForbidden)
}

// IsRateLimited reports whether err is a 429 answer.
func IsRateLimited(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.code() == http.StatusTooManyRequests
}

// IsNotFound reports whether err is a 404 (an unknown task id).
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.code() == http.StatusNotFound
}

// IsValidation reports whether err is a request refused before sending.
func IsValidation(err error) bool {
	var e *ValidationError
	return errors.As(err, &e)
}
