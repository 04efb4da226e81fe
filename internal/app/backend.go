package app

import (
	"net/url"
	"slices"
	"sync"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/engine"
	"backdrop/internal/library"
	"backdrop/internal/offline"
	"backdrop/internal/run"
	"backdrop/internal/settings"
)

// Config says which backend to connect to.
type Config struct {
	Token    string // "" means the offline engine
	Endpoint string // the service's base URL; "" means api.DefaultBaseURL
	// CacheDir keeps every downloaded result; "" means run.DefaultCacheDir().
	CacheDir string
	// Painter paints offline results; nil means OfflinePainter().
	Painter contract.Painter
	// ClientOptions are added to the client's (tests: a fast poll, an
	// http.Client of their own).
	ClientOptions []api.Option
}

// Backend is where generations go: the service, or the offline engine
// running in this process behind the same HTTP contract, so both take
// exactly the same client path.
type Backend struct {
	client   *api.Client
	label    string
	cacheDir string
	local    *offline.Server // set for the offline engine
	limits   *relay          // tells the queues of every 429 the client sees
}

// relay passes the client's 429s to the queues on the backend, so that a
// 429 the client absorbs by itself still slows every create down.
type relay struct {
	mu     sync.Mutex
	queues []*run.Queue
}

func (r *relay) add(q *run.Queue) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queues = slices.DeleteFunc(r.queues, (*run.Queue).Closed)
	r.queues = append(r.queues, q)
}

func (r *relay) rateLimited(l api.RateLimit) {
	r.mu.Lock()
	qs := slices.Clone(r.queues)
	r.mu.Unlock()
	for _, q := range qs {
		q.Throttle(l.RetryAfter)
	}
}

// Connect makes the backend for cfg: the service when a token is set,
// else the offline engine on a loopback port. Close it when done.
func Connect(cfg Config) (*Backend, error) {
	if cfg.CacheDir == "" {
		cfg.CacheDir = run.DefaultCacheDir()
	}
	limits := &relay{}
	cfg.ClientOptions = append([]api.Option{api.WithHTTPClient(queueHTTPClient()), api.WithRateLimitHook(limits.rateLimited)}, cfg.ClientOptions...)
	if cfg.Token == "" {
		painter := cfg.Painter
		if painter == nil {
			painter = OfflinePainter()
		}
		local, err := offline.Start(painter)
		if err != nil {
			return nil, err
		}
		opts := append([]api.Option{api.WithPollInterval(offlinePoll)}, cfg.ClientOptions...)
		c, err := NewClient(local.URL, local.Token, opts...)
		if err != nil {
			local.Close()
			return nil, err
		}
		return &Backend{client: c, label: offline.Label, cacheDir: cfg.CacheDir, local: local, limits: limits}, nil
	}
	c, err := NewClient(cfg.Endpoint, cfg.Token, cfg.ClientOptions...)
	if err != nil {
		return nil, err
	}
	label := "Service: " + c.BaseURL()
	if u, err := url.Parse(c.BaseURL()); err == nil {
		label = "Service: " + u.Host
	}
	return &Backend{client: c, label: label, cacheDir: cfg.CacheDir, limits: limits}, nil
}

// NewConnector returns what the window calls with its settings (again
// when the token or endpoint change) to get its backend.
func NewConnector(cacheDir string, painter contract.Painter) func(settings.Settings) (*Backend, error) {
	return func(s settings.Settings) (*Backend, error) {
		return Connect(Config{Token: s.Token, Endpoint: s.Endpoint, CacheDir: cacheDir, Painter: painter})
	}
}

// OfflinePainter paints results when no service is used: the offline
// engine's cut-out and studio backdrops.
func OfflinePainter() contract.Painter { return engine.New() }

// Client is the API client, the run.Backend a queue uses.
func (b *Backend) Client() *api.Client { return b.client }

// Label names the backend in the status bar.
func (b *Backend) Label() string { return b.label }

// LibraryName is how the library records this backend: the service's
// host, or library.OfflineBackend (whose runs cost nothing and are never
// capped).
func (b *Backend) LibraryName() string {
	if b.Offline() {
		return library.OfflineBackend
	}
	if u, err := url.Parse(b.client.BaseURL()); err == nil && u.Host != "" {
		return u.Host
	}
	return b.client.BaseURL()
}

// Offline reports whether this is the built-in engine.
func (b *Backend) Offline() bool { return b.local != nil }

// Endpoint is the base URL the client talks to.
func (b *Backend) Endpoint() string { return b.client.BaseURL() }

// CacheDir is where downloaded results are kept.
func (b *Backend) CacheDir() string { return b.cacheDir }

// NewQueue makes a queue on this backend; cfg's Backend and CacheDir
// default to the backend's. Every 429 the backend's client sees slows the
// queue's creates down, also those the client retried by itself.
func (b *Backend) NewQueue(cfg run.Config) (*run.Queue, error) {
	if cfg.Backend == nil {
		cfg.Backend = b.client
	}
	if cfg.CacheDir == "" {
		cfg.CacheDir = b.cacheDir
	}
	q, err := run.New(cfg)
	if err != nil {
		return nil, err
	}
	b.limits.add(q)
	return q, nil
}

// Close stops the offline engine, if it runs. Close the queues on the
// backend first.
func (b *Backend) Close() {
	if b.local != nil {
		b.local.Close()
	}
}
