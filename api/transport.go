package api

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// defaultHTTPClient is shared by every client made without WithHTTPClient
// (so that they share one connection pool, as http.DefaultClient would),
// but tuned: bounded dials and handshakes, keep-alives, no overall
// timeout (the run's context and the per-phase Timeouts bound each call).
var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: DefaultTimeouts.Connect, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = DefaultTimeouts.TLS
	tr.MaxIdleConnsPerHost = 8 // downloads of a batch run side by side
	tr.IdleConnTimeout = 90 * time.Second
	tr.ExpectContinueTimeout = time.Second
	return &http.Client{Transport: tr}
})

// withRedirectPolicy returns a copy of h (the caller's client is not
// changed) that follows redirects only under the client's policy:
//   - a create (POST) is never redirected: it would be resent as a GET,
//     or its upload replayed somewhere else;
//   - https never goes down to plain http;
//   - Authorization is sent only to the service's own scheme, host and
//     port (Go itself would send it to the same host name on any port or
//     scheme);
//   - at most 10 hops.
//
// The caller's own CheckRedirect, if any, runs after these checks.
func (c *Client) withRedirectPolicy(h *http.Client) *http.Client {
	cp := *h
	inner := h.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		prev := via[len(via)-1]
		if len(via) >= 10 {
			return &RedirectError{From: origin(prev.URL), To: origin(req.URL), Reason: "too many redirects"}
		}
		if via[0].Method != http.MethodGet && via[0].Method != http.MethodHead {
			return &RedirectError{From: origin(prev.URL), To: origin(req.URL), Reason: "a create is never redirected; set the endpoint it points to"}
		}
		if prev.URL.Scheme == "https" && req.URL.Scheme != "https" {
			return &RedirectError{From: origin(prev.URL), To: origin(req.URL), Reason: "it leaves https for plain http"}
		}
		if !sameOrigin(req.URL, c.baseURL) {
			req.Header.Del("Authorization")
		}
		if w := watchdogOf(req.Context()); w != nil {
			w.redirected()
		}
		if inner != nil {
			return inner(req, via)
		}
		return nil
	}
	return &cp
}

// sameOrigin reports whether a and b share scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// origin is scheme://host[:port] of u, for messages.
func origin(u *url.URL) string {
	return u.Scheme + "://" + u.Host
}

// CloseIdleConnections closes the idle connections of the client's HTTP
// client (as http.Client.CloseIdleConnections does).
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }
