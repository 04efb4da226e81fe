package contract

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Shape says how result images appear in a task's data, since the vendor
// does not document which form this endpoint uses and clients must take all.
type Shape int

const (
	// ShapeAuto (the default) is ShapeSlots when batch_size > 1, else ShapeURL.
	ShapeAuto Shape = iota
	// ShapeURL: data.image is one URL string, the first image.
	ShapeURL
	// ShapeList: data.image is a JSON list of every image URL.
	ShapeList
	// ShapeSlots: data.image_1 .. data.image_4, "" beyond batch_size; no data.image.
	ShapeSlots
	// ShapeBase64: data.image is a list of base64 PNG strings, return_type 2.
	ShapeBase64
)

// ErrorShape says which of the two error bodies seen in the wild is used.
type ErrorShape int

const (
	// ErrorShapeAuto (the default): the gateway shape for 401 and 403, the
	// provider shape for everything else.
	ErrorShapeAuto ErrorShape = iota
	// ErrorShapeProvider: {"status":4xx,"message":"..."}.
	ErrorShapeProvider
	// ErrorShapeGateway: {"error":{"message":"...","type":"...","code":"..."}}.
	ErrorShapeGateway
)

// Step is one scripted answer to GET /task/{id}; see WithScript.
type Step struct {
	State    int
	Progress int
	Detail   string // "" means StateDetail(State)
}

// Defaults, chosen to match the provider's known limits.
const (
	DefaultMaxFileSize = 15 << 20         // upload limit of the vendor
	DefaultResultTTL   = time.Hour        // presigned URLs live about 1 hour
	DefaultTaskTimeout = 30 * time.Second // the provider times out at about 30 s
)

type config struct {
	token         string
	painter       Painter
	shape         Shape
	script        []Step
	forced        *failure // every task ends so, from WithFailState or the script
	errShape      ErrorShape
	errHTTP200    bool
	rateLimit     int
	retryAfter    time.Duration
	getRateLimit  int
	failGETs      int
	failGETStatus int
	latency       time.Duration
	forceSync     bool
	ignoreSync    bool
	resultTTL     time.Duration
	taskTimeout   time.Duration
	maxFile       int64
	logger        *slog.Logger
	client        *http.Client
	records       bool
	dropServed    bool
}

// Option configures a Server. Options panic on values that can only be a
// programming mistake, since they are set by tests and start-up code.
type Option func(*config)

// WithToken sets the one accepted bearer token; "" (the default) accepts any
// non-empty token.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithPainter sets what makes the images (default PlainPainter{}).
func WithPainter(p Painter) Option {
	if p == nil {
		panic("contract: WithPainter(nil)")
	}
	return func(c *config) { c.painter = p }
}

// WithShape sets how result images appear in answers (default ShapeAuto).
func WithShape(s Shape) Option {
	if s < ShapeAuto || s > ShapeBase64 {
		panic(fmt.Sprintf("contract: unknown shape %d", s))
	}
	return func(c *config) { c.shape = s }
}

// WithScript makes each GET /task/{id} of a task answer the next step, so
// that clients can be shown every state. After the last step GETs answer
// the real task, waiting for its end first; if the last step is a failure
// (negative state) the task ends with that failure. A step with state 1
// answers the real task at once, waiting for its end. Each task has its own
// position in the script; the create answer and sync answers ignore it.
func WithScript(steps ...Step) Option {
	steps = append([]Step(nil), steps...)
	return func(c *config) {
		c.script = steps
		if n := len(steps); n > 0 && steps[n-1].State < 0 && c.forced == nil {
			c.forced = fail(steps[n-1].State, steps[n-1].Detail)
		}
	}
}

// WithFailState makes every task end with the failure state (negative) and
// detail ("" = the state's usual text) instead of painting.
func WithFailState(state int, detail string) Option {
	if state >= 0 {
		panic(fmt.Sprintf("contract: WithFailState(%d): a failure state is negative", state))
	}
	return func(c *config) { c.forced = fail(state, detail) }
}

// WithErrorShape sets the body of error answers (default ErrorShapeAuto).
func WithErrorShape(s ErrorShape) Option {
	if s < ErrorShapeAuto || s > ErrorShapeGateway {
		panic(fmt.Sprintf("contract: unknown error shape %d", s))
	}
	return func(c *config) { c.errShape = s }
}

// WithErrorHTTP200 sends provider-shaped errors with HTTP 200 outside (the
// real status stays in the body), as the provider sometimes does.
func WithErrorHTTP200(on bool) Option { return func(c *config) { c.errHTTP200 = on } }

// WithRateLimit answers the first n create requests 429 with Retry-After
// (whole seconds, rounded up; 0 is sent as "0") without creating a task.
// retryAfter is also the Retry-After of WithGetRateLimit.
func WithRateLimit(n int, retryAfter time.Duration) Option {
	return func(c *config) { c.rateLimit, c.retryAfter = n, retryAfter }
}

// WithGetRateLimit answers the first n GET /task requests 429, with the
// Retry-After set by WithRateLimit (0 by default).
func WithGetRateLimit(n int) Option { return func(c *config) { c.getRateLimit = n } }

// WithFailGETs answers the first n GET /task requests with httpStatus
// (e.g. 503), to test retries. These ignore WithErrorHTTP200: they stand for
// a failing proxy, not for the provider's own answer.
func WithFailGETs(n, httpStatus int) Option {
	if httpStatus < 400 || httpStatus > 599 {
		panic(fmt.Sprintf("contract: WithFailGETs status %d is not an error", httpStatus))
	}
	return func(c *config) { c.failGETs, c.failGETStatus = n, httpStatus }
}

// WithLatency delays every answer by d (cut short if the client goes away).
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithForceSync answers every create synchronously, even when sync=0.
func WithForceSync(on bool) Option { return func(c *config) { c.forceSync = on } }

// WithIgnoreSync answers every create asynchronously, even when sync=1, as a
// real service may do. It wins over WithForceSync.
func WithIgnoreSync(on bool) Option { return func(c *config) { c.ignoreSync = on } }

// WithResultTTL sets how long result images stay downloadable after the task
// ends (default DefaultResultTTL); later they answer 410 Gone.
func WithResultTTL(d time.Duration) Option {
	if d <= 0 {
		panic("contract: WithResultTTL needs a positive duration")
	}
	return func(c *config) { c.resultTTL = d }
}

// WithTaskTimeout sets how long a task may work before it ends with state
// -8 (default DefaultTaskTimeout); 0 means no limit.
func WithTaskTimeout(d time.Duration) Option { return func(c *config) { c.taskTimeout = d } }

// WithMaxFileSize sets the largest accepted image (default
// DefaultMaxFileSize); larger ones end with state -5. The whole request
// body may be 1 MiB more than this, beyond which the answer is HTTP 413.
func WithMaxFileSize(n int64) Option {
	if n <= 0 {
		panic("contract: WithMaxFileSize needs a positive size")
	}
	return func(c *config) { c.maxFile = n }
}

// WithLogger logs every request (never its token) and every task's end.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithHTTPClient sets the client that downloads image_url and posts
// callbacks (default: a client of the server's own, closed by Close).
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.client = hc } }

// WithRecords keeps a CreateRecord of every create request, for tests to
// read with Creates. Off by default: a server that runs for long (serve,
// the in-app engine) keeps nothing of its requests.
func WithRecords(on bool) Option { return func(c *config) { c.records = on } }

// WithDropServed forgets each result image once it has been served whole
// (later requests for it answer 410 Gone, as an expired link does), so that
// a long-running server keeps images only until its client has them.
func WithDropServed(on bool) Option { return func(c *config) { c.dropServed = on } }
