package api

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// WaitTask polls a task about once a second (the poll interval) until it
// is done or failed, calling onProgress (when not nil) with each answer.
//
// It never waits forever. Any state that is not done or failed — queued,
// processing, or one the client does not know — counts as still working
// until the context's deadline, or without one the client's wait bound
// (WithWaitBound, 10 minutes by default). Failed polls (time-outs, broken
// connections, 408, 429, 5xx, unreadable answers) are tried again with a
// growing delay (up to WithPollBackoffCap) for as long as the outage lasts
// less than WithOutageTolerance. When it gives up, or is cancelled, the
// error is a *WaitError carrying the task id (and wrapping the cause:
// context.DeadlineExceeded, context.Canceled or the last poll's error), so
// the results can be fetched later. A failed task is a *TaskError.
func (c *Client) WaitTask(ctx context.Context, id string, onProgress func(*Task)) (*Task, error) {
	t, err := c.waitTask(ctx, id, onProgress)
	return t, c.seal(err)
}

func (c *Client) waitTask(ctx context.Context, id string, onProgress func(*Task)) (*Task, error) {
	if strings.TrimSpace(id) == "" {
		return nil, &ValidationError{"task_id", "must not be empty"}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.waitBound)
		defer cancel()
	}
	last := StateQueued
	giveUp := func(err error) (*Task, error) {
		return nil, &WaitError{TaskID: id, LastState: last, Err: err, redact: c.Redact}
	}
	delay := c.pollInterval
	var failingSince time.Time
	seen := false // the service has answered for this task at least once
	odd := 0      // answers in a row that could not be used as they are
	for {
		if err := sleep(ctx, delay); err != nil {
			return giveUp(err)
		}
		t, err := c.getTask(ctx, id, 0)
		if err != nil && ctx.Err() != nil {
			return giveUp(ctx.Err())
		}
		if err == nil && t.State == StateDone && len(t.Images) == 0 && odd < c.maxRetries {
			// Done, but the results may not be attached yet: ask again.
			odd++
			delay = c.pollInterval
			continue
		}
		var te *TaskError
		if err == nil || errors.As(err, &te) {
			seen, odd, failingSince, delay = true, 0, time.Time{}, c.pollInterval
			last = t.State
			if over, err := settle(t, err, onProgress); over {
				return t, err
			}
			continue
		}
		if !transientPollError(err, seen) {
			return giveUp(err)
		}
		var pe *ProtocolError
		if errors.As(err, &pe) || IsNotFound(err) {
			if odd++; odd > c.maxRetries {
				return giveUp(err)
			}
		}
		now := time.Now()
		if failingSince.IsZero() {
			failingSince = now
		}
		if now.Sub(failingSince) >= c.outage {
			return giveUp(err)
		}
		delay = c.pollDelay(delay, err, now)
	}
}

// transientPollError reports whether a failed poll may work next time
// (IsTemporary), or is a 404 before the service has ever shown the task
// (it may not be visible yet).
func transientPollError(err error, seen bool) bool {
	return IsTemporary(err) || (IsNotFound(err) && !seen)
}

// pollDelay is the wait before the next poll after a failed one: twice the
// last, capped, with jitter; a Retry-After within reason wins.
func (c *Client) pollDelay(prev time.Duration, err error, now time.Time) time.Duration {
	var ae *Error
	if errors.As(err, &ae) && ae.RetryAfter != "" {
		h := http.Header{}
		h.Set("Retry-After", ae.RetryAfter)
		if d, ok := retryAfter(h, now); ok && d <= c.maxRetryWait {
			return max(d, c.pollInterval)
		}
	}
	d := min(prev*2, c.pollBackoffCap)
	if d <= 0 {
		d = c.pollBackoffCap
	}
	return d*3/4 + time.Duration(rand.Int64N(int64(d)/2+1))
}
