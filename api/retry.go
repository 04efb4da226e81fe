package api

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// backoff is the delay before try number attempt+1: base·2ⁿ, capped, with
// jitter so that many clients do not retry in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retryBase << min(attempt, 16)
	if d > c.retryCap || d <= 0 {
		d = c.retryCap
	}
	// Between 75 % and 125 % of d.
	return d*3/4 + time.Duration(rand.Int64N(int64(d)/2+1))
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryableFailure reports whether a request that got no answer may be
// tried again at once: a GET always, a create only when no byte of it was
// written — but never when trying again cannot help soon (an untrusted
// certificate, an unknown host) or would only wait as long again (a
// connect or handshake that ran out of time).
func retryableFailure(method string, err error) bool {
	var ne *NetworkError
	if !errors.As(err, &ne) || hopeless(ne) {
		return false
	}
	return method == http.MethodGet || !ne.sent
}

// hopeless reports a failure that the next try would meet again.
func hopeless(ne *NetworkError) bool {
	var dnsErr *net.DNSError
	return isCertificateError(ne.Err) ||
		(errors.As(ne.Err, &dnsErr) && dnsErr.IsNotFound) ||
		(ne.Timeout && (ne.Phase == phaseConnecting.String() || ne.Phase == phaseTLS.String()))
}

// retryableStatus reports whether an answer with this status may be asked
// again. A create is retried only on 429, which creates no task.
func retryableStatus(method string, status int) bool {
	if status == http.StatusTooManyRequests {
		return true
	}
	return method == http.MethodGet && (status == http.StatusRequestTimeout || status >= 500)
}
