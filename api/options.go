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

// WithHTTPClient sets the *http.Client used for every request.
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

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
