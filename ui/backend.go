package ui

import (
	"context"
	"net/url"

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
	cacheDir string
	label    string
	local    *offline.Server // set for the offline engine
}

func (b *clientBackend) Generate(ctx context.Context, req api.CreateRequest, onProgress func(job.Progress)) (*job.Result, error) {
	return job.Run(ctx, b.client, req, b.cacheDir, onProgress)
}

func (b *clientBackend) Label() string    { return b.label }
func (b *clientBackend) Offline() bool    { return b.local != nil }
func (b *clientBackend) Endpoint() string { return b.client.BaseURL() }

func (b *clientBackend) Close() {
	if b.local != nil {
		b.local.Close()
	}
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
			return &clientBackend{client: c, cacheDir: cacheDir, label: offline.Label, local: local}, nil
		}
		endpoint := s.Endpoint
		if endpoint == "" {
			endpoint = api.DefaultBaseURL
		}
		c, err := api.NewClient(api.WithBaseURL(endpoint), api.WithToken(s.Token))
		if err != nil {
			return nil, err
		}
		label := "Service: " + endpoint
		if u, err := url.Parse(endpoint); err == nil {
			label = "Service: " + u.Host
		}
		return &clientBackend{client: c, cacheDir: cacheDir, label: label}, nil
	}
}
