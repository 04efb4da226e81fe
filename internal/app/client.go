package app

import (
	"time"

	"backdrop/api"
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
