package app

import (
	"net"
	"net/http"
	"sync"
	"time"

	"backdrop/api"
	"backdrop/internal/run"
)

// UserAgent names the app to the service.
const UserAgent = "backdrop/1.0"

// offlinePoll is how often the in-process engine is asked about a task:
// it is on this machine, so often costs nothing.
const offlinePoll = 250 * time.Millisecond

// NewClient builds every API client of the app, for the window and the
// CLI alike: the endpoint ("" means the service's own), the token, and the
// app's standard options, then extra (tests, the offline engine). The
// client's time limits and retry policy are set here, in one place.
func NewClient(endpoint, token string, extra ...api.Option) (*api.Client, error) {
	if endpoint == "" {
		endpoint = api.DefaultBaseURL
	}
	opts := []api.Option{
		api.WithBaseURL(endpoint),
		api.WithToken(token),
		api.WithUserAgent(UserAgent),
	}
	return api.NewClient(append(opts, extra...)...)
}

// queueHTTPClient is the HTTP client of every backend: tuned as the API
// client's own default, its transport tells the queue of each try of a
// create (run.CreateTries), so that a 429 the client waits out leaves the
// run waiting in the library, not possibly billed. ClientOptions with an
// http.Client of their own replace it.
var queueHTTPClient = sync.OnceValue(func() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: api.DefaultTimeouts.Connect, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = api.DefaultTimeouts.TLS
	tr.MaxIdleConnsPerHost = 8 // downloads of a batch run side by side
	tr.IdleConnTimeout = 90 * time.Second
	tr.ExpectContinueTimeout = time.Second
	return &http.Client{Transport: run.CreateTries(tr)}
})
