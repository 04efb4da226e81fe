package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// Caps on what is read of an answer: a task answer may carry base64 images.
const (
	maxAnswerBytes = 256 << 20
	maxErrorBytes  = 64 << 10
)

// call is one service request that may be tried several times.
type call struct {
	method string
	url    string
	auth   bool
	body   *uploadBody // nil for a GET
}

// answer is what came back, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// send makes the call, retrying what the contract allows: a GET on
// connection errors, 408, 429 and 5xx; a POST only on 429 or when the
// request surely never left, so a task is never created (and billed) twice.
func (c *Client) send(ctx context.Context, k call) (*answer, error) {
	if k.auth {
		if err := c.checkTokenTransport(); err != nil {
			return nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		ans, wroteHeaders, err := c.try(ctx, k)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		last := attempt >= c.maxRetries
		if err != nil {
			if last || (k.method != http.MethodGet && !notSent(err, wroteHeaders)) {
				return nil, fmt.Errorf("api: cannot reach the service at %s: %w", c.baseURL.Host, err)
			}
			if err := sleep(ctx, c.backoff(attempt)); err != nil {
				return nil, err
			}
			continue
		}
		status := effectiveStatus(ans)
		if last || !retryableStatus(k.method, status) {
			return ans, nil
		}
		wait, ok := retryAfter(ans.header, time.Now())
		if !ok {
			wait = c.backoff(attempt)
		}
		if wait > c.maxRetryWait {
			return ans, nil
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// try makes one request and reads the answer (capped).
func (c *Client) try(ctx context.Context, k call) (*answer, bool, error) {
	// The transport calls WroteHeaders from its own goroutine.
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }}
	ctx = httptrace.WithClientTrace(ctx, trace)
	var body io.ReadCloser
	var length int64
	if k.body != nil {
		var err error
		if body, err = k.body.Open(); err != nil {
			return nil, false, err
		}
		length = k.body.Len()
	}
	req, err := http.NewRequestWithContext(ctx, k.method, k.url, body)
	if err != nil {
		if body != nil {
			body.Close()
		}
		return nil, false, err
	}
	if k.body != nil {
		req.ContentLength = length
		req.Header.Set("Content-Type", k.body.contentType)
		// The transport must not replay the body on its own; send decides.
		req.GetBody = nil
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if k.auth && c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, wrote.Load(), err
	}
	defer resp.Body.Close()
	limit := int64(maxAnswerBytes)
	if resp.StatusCode >= 400 {
		limit = maxErrorBytes
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, true, fmt.Errorf("reading the answer: %w", err)
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: data}, true, nil
}

// effectiveStatus is the HTTP status, or the body's "status" when the
// provider wrapped an error in HTTP 200.
func effectiveStatus(a *answer) int {
	if a.status != http.StatusOK || len(a.body) > maxErrorBytes {
		return a.status
	}
	var env struct {
		Status json.RawMessage `json:"status"`
	}
	if json.Unmarshal(a.body, &env) == nil {
		if st, ok := flexInt(env.Status); ok && st >= 400 {
			return st
		}
	}
	return a.status
}
