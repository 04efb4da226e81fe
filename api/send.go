package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// What a request is for; it names the request in errors and picks its
// headers limit.
const (
	opCreate   = "create"
	opPoll     = "poll"
	opDownload = "download"
)

// call is one service request that may be tried several times.
type call struct {
	op      string
	method  string
	url     string
	auth    bool
	body    *uploadBody   // nil for a GET
	header  time.Duration // limit from the end of the upload to the headers
	retries int           // how many times it may be tried again
}

// answer is what came back, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// send makes the call, retrying what the contract allows: a GET on
// connection errors, time-outs, 408, 429 and 5xx; a POST only on 429 or
// when the request surely never left (no header written), so a task is
// never created (and billed) twice.
func (c *Client) send(ctx context.Context, k call) (*answer, error) {
	if k.auth {
		if err := c.checkTokenTransport(); err != nil {
			return nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		ans, err := c.try(ctx, k)
		last := attempt >= k.retries
		if err != nil {
			// A refused connection is tried once more (a server may be
			// restarting), not for the whole backoff: nothing listens.
			if ctx.Err() != nil || last || !retryableFailure(k.method, err) || (attempt >= 1 && errors.Is(err, syscall.ECONNREFUSED)) {
				return nil, err
			}
			if err := sleep(ctx, c.backoff(attempt)); err != nil {
				return nil, err
			}
			continue
		}
		status := effectiveStatus(ans)
		given, hasRetryAfter := retryAfter(ans.header, time.Now())
		wait := given
		if !hasRetryAfter {
			wait = c.backoff(attempt)
		}
		retry := !last && retryableStatus(k.method, status) && wait <= c.maxRetryWait
		if status == http.StatusTooManyRequests && c.onRateLimit != nil {
			c.onRateLimit(RateLimit{Op: k.op, RetryAfter: given, Retried: retry})
		}
		if !retry {
			return ans, nil
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// try makes one request under the watchdog and reads the answer (capped).
func (c *Client) try(ctx context.Context, k call) (*answer, error) {
	rctx, wd := c.watch(ctx, k.header, true)
	defer wd.stop()
	var body io.ReadCloser
	if k.body != nil {
		rc, err := k.body.Open()
		if err != nil {
			return nil, err
		}
		// The transport closes it, perhaps after Do returns.
		body = readCloser{watchedReader{rc, wd}, rc}
	}
	req, err := http.NewRequestWithContext(rctx, k.method, k.url, body)
	if err != nil {
		if body != nil {
			body.Close()
		}
		return nil, err
	}
	if k.body != nil {
		req.ContentLength = k.body.Len()
		req.Header.Set("Content-Type", k.body.contentType)
		// The transport must not replay the body on its own; send decides.
		req.GetBody = nil
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if k.auth && c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.networkError(ctx, rctx, wd, k.op, req.URL, err)
	}
	defer resp.Body.Close()
	r := watchedReader{resp.Body, wd}
	var data []byte
	if resp.StatusCode >= 400 {
		data, err = readError(r)
	} else {
		data, err = readAnswer(r, resp.ContentLength, c.answerLimit, c.inlineLimit)
	}
	if err != nil {
		var big *errAnswerTooLarge
		if errors.As(err, &big) {
			return nil, &ProtocolError{Op: k.op, HTTPStatus: resp.StatusCode, Reason: big.Error(),
				MayHaveBeenCreated: k.op == opCreate, redact: c.Redact}
		}
		return nil, c.networkError(ctx, rctx, wd, k.op, req.URL, err)
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// networkError types a failed request. The caller's own cancellation or
// deadline is returned as it is; a refused redirect as *RedirectError;
// anything else becomes a *NetworkError saying how far the request got.
func (c *Client) networkError(ctx, rctx context.Context, wd *watchdog, op string, u *url.URL, err error) error {
	ph, wroteHeader, wroteAll := wd.state()
	if ctx.Err() != nil {
		if op == opCreate && wroteAll {
			// Stopped by the caller, but after the upload: say the task
			// may exist (errors.Is still finds the cancellation).
			return &NetworkError{Op: op, Host: u.Host, Phase: ph.String(), Reason: stopReason(ctx.Err()),
				MayHaveBeenCreated: true, Err: ctx.Err(), sent: true, redact: c.Redact}
		}
		return ctx.Err()
	}
	var re *RedirectError
	if errors.As(err, &re) {
		re.redact = c.Redact
		return re
	}
	ne := &NetworkError{Op: op, Host: failedHost(u, err), Phase: ph.String(), Err: err, sent: wroteHeader, redact: c.Redact}
	var tc *timeoutCause
	var ue *url.Error
	switch {
	case errors.As(context.Cause(rctx), &tc):
		ne.Timeout, ne.Limit, ne.Phase, ne.Err = true, tc.limit, tc.phase.String(), tc
		ne.Reason = tc.Error()
	case errors.As(err, &ue) && ue.Timeout():
		ne.Timeout, ne.Limit = true, c.http.Timeout
		ne.Reason = "timed out"
	default:
		ne.Reason = c.cleanText(reasonOf(err), 120)
	}
	ne.MayHaveBeenCreated = op == opCreate && wroteAll
	return ne
}

// failedHost is the host the failure happened on: after a redirect, the
// target's, not the first URL's.
func failedHost(u *url.URL, err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if fu, perr := url.Parse(ue.URL); perr == nil && fu.Host != "" {
			return fu.Host
		}
	}
	return u.Host
}

func stopReason(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "the run's time ran out"
	}
	return "cancelled"
}

// reasonOf says in a few words why a connection failed.
func reasonOf(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "host not found"
		}
		return "name lookup failed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EPIPE):
		return "connection closed"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "network unreachable"
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &badHost), errors.As(err, &invalid):
		return "its TLS certificate is not trusted"
	case errors.As(err, &record):
		return "it does not speak TLS"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the connection closed early"
	case errors.Is(err, net.ErrClosed):
		return "connection closed"
	}
	msg := err.Error()
	if ue, ok := err.(*url.Error); ok {
		msg = ue.Err.Error()
	}
	if strings.Contains(msg, "HTTP response to HTTPS client") {
		return "it answers plain http, not https"
	}
	return msg
}

// isCertificateError reports a TLS trust failure: trying again cannot help.
func isCertificateError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	return errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &badHost)
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
