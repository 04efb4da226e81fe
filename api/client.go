// Package api is a Go client of the add-background service
// (POST /task/pic/background, GET /task/{id}).
//
// Every call takes a context first; failures are typed (*Error, *TaskError,
// *ValidationError) for errors.As. The client never logs its token, never
// puts it in an error, and sends it only over https or to a loopback address.
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
	baseURL      *url.URL
	token        string
	http         *http.Client
	userAgent    string
	maxRetries   int
	retryBase    time.Duration
	retryCap     time.Duration
	maxRetryWait time.Duration
	pollInterval time.Duration
	maxDownload  int64
}

// NewClient makes a client. With no options it talks to DefaultBaseURL with
// http.DefaultClient and no token.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{
		http:         http.DefaultClient,
		userAgent:    DefaultUserAgent,
		maxRetries:   4,
		retryBase:    500 * time.Millisecond,
		retryCap:     8 * time.Second,
		maxRetryWait: 2 * time.Minute,
		pollInterval: time.Second,
		maxDownload:  64 << 20,
	}
	if err := WithBaseURL(DefaultBaseURL)(c); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
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

// redact removes the token from a text the service sent back, in case it
// echoes it.
func (c *Client) redact(s string) string {
	if c.token == "" || len(c.token) < 4 {
		return s
	}
	return strings.ReplaceAll(s, c.token, "[token]")
}
