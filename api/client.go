// Package api is a Go client of the add-background service
// (POST /task/pic/background, GET /task/{id}).
//
// Every call takes a context first; failures are typed for errors.As:
// *Error (the service said no), *TaskError (the task failed),
// *ValidationError (not sent), *NetworkError (no usable answer),
// *ProtocolError (an answer that cannot be read), *WaitError (stopped
// waiting; carries the task id), *ExpiredLinkError (a result link the host
// refuses), *RedirectError. Every error text is one line, bounded, and
// never holds the token or any 8+ character part of it.
//
// Nothing waits or retries forever: every request has time limits of its
// own per phase (Timeouts), retries are counted, and WaitTask stops at the
// context's deadline or, without one, after the client's wait bound
// (10 minutes by default). The token is sent only over https or to a
// loopback address, and never follows a redirect to another scheme, host
// or port.
package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the service's public endpoint.
const DefaultBaseURL = "https://api.gpt.ge"

// DefaultUserAgent names this client to the service.
const DefaultUserAgent = "backdrop/1.0"

// Client talks to the add-background service. It is safe for concurrent use.
type Client struct {
	baseURL         *url.URL
	token           string
	http            *http.Client // as given (or the shared default)
	hc              *http.Client // a copy of http under the redirect policy
	userAgent       string
	maxRetries      int
	retryBase       time.Duration
	retryCap        time.Duration
	maxRetryWait    time.Duration
	pollInterval    time.Duration
	pollBackoffCap  time.Duration
	outage          time.Duration
	waitBound       time.Duration
	maxDownload     int64
	downloadRetries int
	timeouts        Timeouts
	answerLimit     int64
	inlineLimit     int64
	onRateLimit     func(RateLimit)
}

// Defaults of a client, each settable by an option.
const (
	DefaultWaitBound       = 10 * time.Minute // WithWaitBound
	DefaultOutageTolerance = 5 * time.Minute  // WithOutageTolerance
	DefaultPollBackoffCap  = 15 * time.Second // WithPollBackoffCap
	DefaultDownloadRetries = 4                // WithDownloadRetries
)

// DefaultOptions are applied by every NewClient before its own options
// (which win): one place for a program, or a test that drives the app's
// real paths, to tune every client at once (say, short time limits). Set
// it before any client is made; it is read without a lock.
var DefaultOptions []Option

// NewClient makes a client. With no options it talks to DefaultBaseURL with
// a shared, tuned HTTP client (not http.DefaultClient), DefaultTimeouts
// and no token.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{
		http:            defaultHTTPClient(),
		userAgent:       DefaultUserAgent,
		maxRetries:      4,
		retryBase:       500 * time.Millisecond,
		retryCap:        8 * time.Second,
		maxRetryWait:    2 * time.Minute,
		pollInterval:    time.Second,
		pollBackoffCap:  DefaultPollBackoffCap,
		outage:          DefaultOutageTolerance,
		waitBound:       DefaultWaitBound,
		maxDownload:     64 << 20,
		downloadRetries: DefaultDownloadRetries,
		timeouts:        DefaultTimeouts,
		answerLimit:     DefaultAnswerLimit,
		inlineLimit:     DefaultInlineAnswerLimit,
	}
	if err := WithBaseURL(DefaultBaseURL)(c); err != nil {
		return nil, err
	}
	for _, opt := range append(append([]Option(nil), DefaultOptions...), opts...) {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	c.hc = c.withRedirectPolicy(c.http)
	return c, nil
}

// BaseURL returns the endpoint the client talks to.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// endpoint joins path to the base URL, keeping any path prefix of the base.
func (c *Client) endpoint(path string) string {
	u := *c.baseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawPath = ""
	return u.String()
}

// checkTokenTransport refuses to send the token in clear text to anything
// but this machine.
func (c *Client) checkTokenTransport() error {
	if c.token == "" || c.baseURL.Scheme == "https" || isLoopback(c.baseURL.Hostname()) {
		return nil
	}
	return &ValidationError{"endpoint", fmt.Sprintf("refusing to send the API token over plain http to %s; use https", c.baseURL.Host)}
}
