package job

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultTimeout is the usual bound of a whole run: create, wait and
// downloads. The CLI (--timeout) and the window (a setting) pass theirs to
// WithTimeout.
const DefaultTimeout = 10 * time.Minute

// TimeoutError is a run that reached its time limit.
type TimeoutError struct {
	Limit time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("gave up after %v, the run's time limit", e.Limit)
}

// Timeout makes a TimeoutError a context.DeadlineExceeded for errors.Is.
func (e *TimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// WithTimeout bounds everything done with the returned context to d (d <= 0
// means DefaultTimeout); when the bound is reached the run ends with a
// *TimeoutError. The window and the CLI give their setting or flag here.
func WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		d = DefaultTimeout
	}
	return context.WithTimeoutCause(parent, d, &TimeoutError{Limit: d})
}

// why is the error a call failed with, told with the run's bound when that
// is what ended it: the client's own error stays in the chain (errors.As
// still finds it), with the *TimeoutError before it.
func why(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	var limit *TimeoutError
	if !errors.As(context.Cause(ctx), &limit) || errors.As(err, new(*TimeoutError)) {
		return err
	}
	if err == ctx.Err() {
		return limit // the bare context error says nothing more
	}
	return &boundError{limit: limit, err: err}
}

// boundError is a failure caused by the run's time limit.
type boundError struct {
	limit *TimeoutError
	err   error
}

func (e *boundError) Error() string   { return e.limit.Error() + ": " + e.err.Error() }
func (e *boundError) Unwrap() []error { return []error{e.limit, e.err} }
