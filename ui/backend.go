package ui

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/job"
	"backdrop/internal/offline"
	"backdrop/internal/settings"
)

// clientBackend generates through an api.Client: the service, or the
// in-process offline server.
type clientBackend struct {
	client   *api.Client
	http     *http.Client // for the reachability probe
	cacheDir string
	label    string
	local    *offline.Server // set for the offline engine
}

func (b *clientBackend) Generate(ctx context.Context, req api.CreateRequest, onProgress func(job.Progress), onTask func(string)) (*job.Result, error) {
	// A closed port or a wrong host is said at once, not after the
	// create's retries have run their course.
	if b.local == nil {
		if err := b.Check(ctx); err != nil {
			return nil, err
		}
	}
	return job.Run(ctx, taskSpy{b.client, onTask}, req, b.cacheDir, onProgress)
}

// Fetch downloads the results of a task made earlier, waiting for it if it
// is still at work.
func (b *clientBackend) Fetch(ctx context.Context, taskID string, onProgress func(job.Progress)) (*job.Result, error) {
	return job.Run(ctx, taskFetcher{b.client, taskID}, api.CreateRequest{}, b.cacheDir, onProgress)
}

// Check asks the endpoint for anything: an answer of any status means it
// is reachable; only the network failing is an error.
func (b *clientBackend) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.client.BaseURL(), nil)
	if err != nil {
		return err
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return nil
}

const probeTimeout = 8 * time.Second

func (b *clientBackend) Label() string    { return b.label }
func (b *clientBackend) Offline() bool    { return b.local != nil }
func (b *clientBackend) Endpoint() string { return b.client.BaseURL() }

func (b *clientBackend) Close() {
	if b.local != nil {
		b.local.Close()
	}
}

// taskSpy passes the task id on as soon as the service gives it, so that
// a run failing later can still offer the paid task's results.
type taskSpy struct {
	*api.Client
	onTask func(string)
}

func (s taskSpy) Generate(ctx context.Context, req api.CreateRequest, onProgress func(*api.Task)) (*api.Task, error) {
	told := ""
	return s.Client.Generate(ctx, req, func(t *api.Task) {
		if t.ID != "" && t.ID != told && s.onTask != nil {
			told = t.ID
			s.onTask(t.ID)
		}
		if onProgress != nil {
			onProgress(t)
		}
	})
}

// taskFetcher is a job client whose "generate" follows an existing task.
type taskFetcher struct {
	*api.Client
	id string
}

func (f taskFetcher) Generate(ctx context.Context, _ api.CreateRequest, onProgress func(*api.Task)) (*api.Task, error) {
	t, err := f.Client.GetTask(ctx, f.id)
	if err != nil {
		return t, err
	}
	if onProgress != nil {
		onProgress(t)
	}
	if t.State == api.StateDone {
		return t, nil
	}
	return f.Client.WaitTask(ctx, f.id, onProgress)
}

// NewConnector returns the Connector of the real app: the service when a
// token is set, else the offline engine painted by painter.
func NewConnector(cacheDir string, painter contract.Painter) Connector {
	return func(s settings.Settings) (Backend, error) {
		if s.Token == "" {
			local, err := offline.Start(painter)
			if err != nil {
				return nil, err
			}
			c, err := api.NewClient(api.WithBaseURL(local.URL), api.WithToken(local.Token), api.WithPollInterval(250e6))
			if err != nil {
				local.Close()
				return nil, err
			}
			return &clientBackend{client: c, http: http.DefaultClient, cacheDir: cacheDir, label: offline.Label, local: local}, nil
		}
		return serviceBackend(s, cacheDir, &http.Client{})
	}
}

// serviceBackend is the backend of the service at the settings' endpoint.
func serviceBackend(s settings.Settings, cacheDir string, hc *http.Client, opts ...api.Option) (*clientBackend, error) {
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = api.DefaultBaseURL
	}
	c, err := api.NewClient(append([]api.Option{api.WithBaseURL(endpoint), api.WithToken(s.Token), api.WithHTTPClient(hc)}, opts...)...)
	if err != nil {
		return nil, err
	}
	label := "Service: " + endpoint
	if u, err := url.Parse(endpoint); err == nil {
		label = "Service: " + u.Host
	}
	return &clientBackend{client: c, http: hc, cacheDir: cacheDir, label: label}, nil
}
