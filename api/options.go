package api

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL sets the service endpoint, e.g. "https://api.gpt.ge" or
// "http://127.0.0.1:8787" for a local server.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return fmt.Errorf("api: base URL %q must be an http(s) URL", raw)
		}
		u.RawQuery, u.Fragment = "", ""
		c.baseURL = u
		return nil
	}
}

// WithToken sets the bearer token.
func WithToken(token string) Option {
	return func(c *Client) error {
		c.token = strings.TrimSpace(token)
		return nil
	}
}

// WithHTTPClient sets the *http.Client used for every request. The client
// is not changed: requests go through a copy that adds the redirect policy
// (the caller's CheckRedirect still runs after it), and the Timeouts hold
// whatever its Transport. Its Timeout, if set, also applies.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) error {
		if h == nil {
			return errors.New("api: nil http.Client")
		}
		c.http = h
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		c.userAgent = ua
		return nil
	}
}

// WithRetry sets how many times a retryable request is tried again and the
// first backoff delay (doubled each time, capped, with jitter).
func WithRetry(maxRetries int, base time.Duration) Option {
	return func(c *Client) error {
		if maxRetries < 0 || base <= 0 {
			return fmt.Errorf("api: invalid retry policy (%d, %v)", maxRetries, base)
		}
		c.maxRetries, c.retryBase = maxRetries, base
		if c.retryCap < base {
			c.retryCap = base
		}
		return nil
	}
}

// WithMaxRetryWait bounds how long a Retry-After answer may make the client
// wait; a longer one is returned as the rate-limit error instead.
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *Client) error {
		c.maxRetryWait = d
		return nil
	}
}

// WithPollInterval sets how often Wait asks for a task (default 1 s).
func WithPollInterval(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("api: poll interval must be positive")
		}
		c.pollInterval = d
		return nil
	}
}

// WithMaxDownload caps the size of one downloaded result (default 64 MB).
func WithMaxDownload(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("api: download cap must be positive")
		}
		c.maxDownload = n
		return nil
	}
}

// WithWaitBound bounds WaitTask (and the waiting part of Generate) when its
// context has no deadline (default DefaultWaitBound): a task still working
// then, or in a state the client does not know, ends in a *WaitError.
func WithWaitBound(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("api: wait bound must be positive")
		}
		c.waitBound = d
		return nil
	}
}

// WithOutageTolerance sets how long WaitTask keeps polling through
// failures in a row (5xx, 429, timeouts, broken connections, unreadable
// answers) before it gives up with a *WaitError (default
// DefaultOutageTolerance), always within the wait bound.
func WithOutageTolerance(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("api: outage tolerance must be positive")
		}
		c.outage = d
		return nil
	}
}

// WithPollBackoffCap caps the delay between polls during an outage: the
// poll interval doubles from one failure to the next up to this (default
// DefaultPollBackoffCap).
func WithPollBackoffCap(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("api: poll backoff cap must be positive")
		}
		c.pollBackoffCap = d
		return nil
	}
}

// WithDownloadRetries sets how many times Download starts a result again
// after a reset, a stall, a cut body or a 5xx (default
// DefaultDownloadRetries).
func WithDownloadRetries(n int) Option {
	return func(c *Client) error {
		if n < 0 {
			return fmt.Errorf("api: download retries must not be negative")
		}
		c.downloadRetries = n
		return nil
	}
}

// WithAnswerLimits caps the size of a JSON answer: plain for one with no
// inline image data, inline for one carrying base64 images (defaults
// DefaultAnswerLimit and DefaultInlineAnswerLimit).
func WithAnswerLimits(plain, inline int64) Option {
	return func(c *Client) error {
		if plain <= 0 || inline < plain {
			return fmt.Errorf("api: answer limits must be positive, inline at least plain")
		}
		c.answerLimit, c.inlineLimit = plain, inline
		return nil
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RateLimit is a 429 answer the client received, told to WithRateLimitHook.
type RateLimit struct {
	Op         string        // "create", "poll" or "download"
	RetryAfter time.Duration // the answer's Retry-After; 0 when it gave none
	// Retried says the client waits and asks again by itself; otherwise
	// the 429 is returned to the caller (IsRateLimited).
	Retried bool
}

// WithRateLimitHook has fn told of every 429 answer, those the client
// absorbs by waiting and asking again included, so that a caller pacing
// many requests (the queue) slows down as a whole. fn is called from the
// request's goroutine and must not block.
func WithRateLimitHook(fn func(RateLimit)) Option {
	return func(c *Client) error {
		c.onRateLimit = fn
		return nil
	}
}
