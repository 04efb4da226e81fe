package faultmatrix

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"backdrop/api"
	"backdrop/internal/app"
	"backdrop/internal/faultserver"
	"backdrop/internal/library"
	"backdrop/internal/run"
	"backdrop/internal/testshot"
)

// token is long, like a real one, so that its 8+ character parts can be
// looked for in every output.
const token = "sk-Fault-5f1c9a0e7b3d4c2a8e6f1d0b"

// Short time scales: every limit of the client is set far below its
// default so that the whole matrix runs in seconds.
// They stay well above what a loaded machine (two cores, the race
// detector, other tests) needs for a normal answer on loopback.
const (
	runBound = 8 * time.Second         // the run's deadline (the CLI's --timeout)
	slack    = 4 * time.Second         // beyond its bound, a case has hung
	waitFor  = 4 * time.Second         // the client's wait bound (no deadline)
	outage   = 2500 * time.Millisecond // outage tolerance of polling
	headers  = time.Second             // poll and download headers, idle
)

func clientOptions() []api.Option {
	return []api.Option{
		api.WithPollInterval(5 * time.Millisecond),
		api.WithRetry(2, 5*time.Millisecond),
		api.WithMaxRetryWait(200 * time.Millisecond),
		api.WithTimeouts(api.Timeouts{
			Connect: 2 * time.Second, TLS: 2 * time.Second,
			CreateHeaders: headers, SyncCreateHeaders: 1500 * time.Millisecond,
			PollHeaders: headers, DownloadHeaders: headers, Idle: headers,
		}),
		api.WithWaitBound(waitFor),
		api.WithOutageTolerance(outage),
		api.WithPollBackoffCap(40 * time.Millisecond),
		api.WithDownloadRetries(2),
		api.WithAnswerLimits(256<<10, 2<<20),
	}
}

// A case is one fault class against one run.
type tcase struct {
	name      string
	cfg       faultserver.Config
	tls       bool
	batch     int  // 0 means 2
	sync      bool // ask for a sync create
	imageURL  bool // send image_url instead of a file
	bigUpload bool // send a 12 MB file, more than the sockets buffer
	// endpoint replaces the server: "closed" (a port where nothing
	// listens), "blackhole" or "blackhole-tls" (accepts, then silence).
	endpoint   string
	noDeadline bool // run with no deadline: the client's own bounds hold
	bound      time.Duration
	// images is the number of results expected on success; check, when
	// set, judges the error instead (nil error is then a failure).
	images int
	check  func(error) string
	// after judges the server afterwards ("" if fine).
	after func(*faultserver.Server) string
}

// is checks that err is a T, then runs more (if any) on it.
func is[T error](more func(T) string) func(error) string {
	return func(err error) string {
		var target T
		if !errors.As(err, &target) {
			return fmt.Sprintf("want a %T, got %v", target, err)
		}
		if more != nil {
			return more(target)
		}
		return ""
	}
}

func both(checks ...func(error) string) func(error) string {
	return func(err error) string {
		for _, c := range checks {
			if msg := c(err); msg != "" {
				return msg
			}
		}
		return ""
	}
}

func networkErr(created bool) func(error) string {
	return is(func(e *api.NetworkError) string {
		if e.MayHaveBeenCreated != created {
			return fmt.Sprintf("MayHaveBeenCreated %v, want %v (%v)", e.MayHaveBeenCreated, created, e)
		}
		if created && strings.Contains(e.Error(), "cannot reach") {
			return "a dropped create after its upload is worded as unreachable: " + e.Error()
		}
		if e.Host == "" {
			return "no host"
		}
		return ""
	})
}

func timedOut(phase string) func(error) string {
	return is(func(e *api.NetworkError) string {
		if !e.Timeout || (phase != "" && e.Phase != phase) {
			return fmt.Sprintf("want a time-out while %s, got %+v", phase, e)
		}
		return ""
	})
}

func waitErr(cause func(error) string) func(error) string {
	return is(func(e *api.WaitError) string {
		if !strings.HasPrefix(e.TaskID, "task-") || !strings.Contains(e.Error(), e.TaskID) {
			return fmt.Sprintf("the wait error does not carry the task id: %q (%v)", e.TaskID, e)
		}
		if cause != nil {
			return cause(e.Err)
		}
		return ""
	})
}

func deadline(err error) string {
	if !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("want the deadline, got %v", err)
	}
	return ""
}

func taskFailed(state int) func(error) string {
	return is(func(e *api.TaskError) string {
		if int(e.State) != state || e.TaskID == "" {
			return fmt.Sprintf("TaskError %+v, want state %d with its task id", e, state)
		}
		return ""
	})
}

func apiErr(pred func(error) bool, what string) func(error) string {
	return func(err error) string {
		if !pred(err) {
			return fmt.Sprintf("want %s, got %v", what, err)
		}
		return ""
	}
}

func mayExist(err error) string {
	if !api.TaskMayExist(err) {
		return fmt.Sprintf("the error does not say the task may exist: %v", err)
	}
	return ""
}

func notMayExist(err error) string {
	if api.TaskMayExist(err) {
		return fmt.Sprintf("the error says the task may exist: %v", err)
	}
	return ""
}

func expired(err error) string {
	if !api.IsExpiredLink(err) {
		return fmt.Sprintf("want an expired link, got %v", err)
	}
	return ""
}

func says(words string) func(error) string {
	return func(err error) string {
		if err == nil || !strings.Contains(err.Error(), words) {
			return fmt.Sprintf("the error %v does not say %q", err, words)
		}
		return ""
	}
}

func createRequests(n int) func(*faultserver.Server) string {
	return func(s *faultserver.Server) string {
		if s.CreateRequests() != n {
			return fmt.Sprintf("%d create requests, want %d", s.CreateRequests(), n)
		}
		return ""
	}
}

// f builds a fault list.
func f(k faultserver.Kind, times int) faultserver.Fault {
	return faultserver.Fault{Kind: k, Times: times}
}

func status(code, times int, body string, header ...string) faultserver.Fault {
	h := map[string]string{}
	for i := 0; i+1 < len(header); i += 2 {
		h[header[i]] = header[i+1]
	}
	return faultserver.Fault{Kind: faultserver.Status, Status: code, Times: times, Body: body, Header: h}
}

func list(faults ...faultserver.Fault) []faultserver.Fault { return faults }

const htmlPage = "<!DOCTYPE html>\n<html><head><style>body{color:red}</style><title>502 Bad Gateway for {token}</title></head>\n<body><h1>Bad Gateway</h1>\n<p>nginx</p></body></html>"
const xmlExpired = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>AccessDenied</Code>
  <Message>Request has expired for key {token-tail}</Message>
  <RequestId>65F0</RequestId>
</Error>`

func cases() []tcase {
	var cs []tcase
	// Every answer shape, batch sizes, sync and async: the results arrive.
	shapes := map[string]faultserver.Shape{
		"slots": faultserver.ShapeSlots, "list": faultserver.ShapeList, "base64": faultserver.ShapeBase64,
		"base64-slots": faultserver.ShapeBase64Slots, "data-uri": faultserver.ShapeDataURI,
		"relative": faultserver.ShapeRelative, "relative-no-ext": faultserver.ShapeRelativeNoExt,
	}
	for name, shape := range shapes {
		for _, batch := range []int{1, 4} {
			for _, sync := range []bool{false, true} {
				cs = append(cs, tcase{name: fmt.Sprintf("shape/%s/batch%d/sync=%v", name, batch, sync),
					cfg: faultserver.Config{Shape: shape}, batch: batch, sync: sync, images: batch})
			}
		}
	}
	cs = append(cs,
		tcase{name: "shape/url-single", cfg: faultserver.Config{Shape: faultserver.ShapeURL}, batch: 3, images: 1},
		tcase{name: "shape/image-url-source", cfg: faultserver.Config{}, imageURL: true, images: 2},
		tcase{name: "shape/50-links-batch-2", cfg: faultserver.Config{Shape: faultserver.ShapeList, ExtraLinks: 48}, batch: 2, images: 2},
		tcase{name: "shape/50-links-batch-4", cfg: faultserver.Config{Shape: faultserver.ShapeList, ExtraLinks: 46}, batch: 4, images: 4},
		tcase{name: "tls/plain-run", tls: true, cfg: faultserver.Config{}, images: 2},
	)

	// The create.
	cs = append(cs,
		tcase{name: "create/never-answers", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.Hang, Bill: true})},
			check: both(networkErr(true), timedOut("waiting for the answer"), mayExist), after: createRequests(1)},
		tcase{name: "create/never-answers-sync", sync: true, cfg: faultserver.Config{Create: list(f(faultserver.Hang, 0))},
			check: both(networkErr(true), timedOut("waiting for the answer")), after: createRequests(1)},
		tcase{name: "create/stall-after-headers", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.StallAfterHeaders, Bill: true})},
			check: both(networkErr(true), timedOut("reading the answer")), after: createRequests(1)},
		tcase{name: "create/reset-after-upload", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.Reset, Bill: true})},
			check: both(networkErr(true), mayExist, says("may have been billed")), after: createRequests(1)},
		tcase{name: "create/reset-mid-upload", bigUpload: true, cfg: faultserver.Config{Create: list(f(faultserver.ResetMidUpload, 0))},
			check: both(networkErr(false), notMayExist), after: createRequests(1)},
		tcase{name: "create/stall-mid-upload", bigUpload: true, cfg: faultserver.Config{Create: list(f(faultserver.StallUpload, 0))},
			check: both(networkErr(false), timedOut("sending the image")), after: createRequests(1)},
		tcase{name: "create/truncated-answer", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.Truncate, Bill: true})},
			check: both(networkErr(true), mayExist), after: createRequests(1)},
		tcase{name: "create/reset-mid-answer", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.ResetMidBody, Bill: true})},
			check: both(networkErr(true), mayExist), after: createRequests(1)},
		tcase{name: "create/429-storm-then-ok", cfg: faultserver.Config{Create: list(status(429, 2, `{"status":429,"message":"slow down"}`, "Retry-After", "0"))},
			images: 2},
		tcase{name: "create/429-storm-no-retry-after", cfg: faultserver.Config{Create: list(status(429, 2, `{"error":{"message":"rate limited","type":"rate_limit","code":"429"}}`))},
			images: 2},
		tcase{name: "create/429-for-ever", cfg: faultserver.Config{Create: list(status(429, 0, `{"status":429,"message":"slow down"}`, "Retry-After", "0"))},
			check: apiErr(api.IsRateLimited, "a rate limit")},
		tcase{name: "create/429-retry-after-an-hour", cfg: faultserver.Config{Create: list(status(429, 0, `{"status":429,"message":"slow down"}`, "Retry-After", "3600"))},
			check: apiErr(api.IsRateLimited, "a rate limit"), after: createRequests(1)},
		tcase{name: "create/503", cfg: faultserver.Config{Create: list(status(503, 0, `{"status":503,"message":"overloaded"}`))},
			check: both(is[*api.Error](nil), mayExist), after: createRequests(1)},
		tcase{name: "create/502-html-page-with-token", cfg: faultserver.Config{Create: list(status(502, 0, htmlPage))},
			check: both(is[*api.Error](nil), says("502 Bad Gateway for")), after: createRequests(1)},
		tcase{name: "create/invalid-json", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.Status, Status: 200, Body: `{"status":200,"data":{"task_id":"x"`, Bill: true})},
			check: both(is[*api.ProtocolError](nil), mayExist)},
		tcase{name: "create/not-json-200", cfg: faultserver.Config{Create: list(status(200, 0, "<html><title>Captive portal</title></html>"))},
			check: both(is[*api.ProtocolError](nil), says("Captive portal"))},
		tcase{name: "create/huge-json", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.Huge, Size: 1 << 20, Bill: true})},
			check: is[*api.ProtocolError](nil)},
		tcase{name: "create/endless-json", cfg: faultserver.Config{Create: list(f(faultserver.Endless, 0))},
			check: is[*api.ProtocolError](nil)},
		tcase{name: "create/endless-base64", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.Endless, Body: `{"status":200,"data":{"task_id":"x","image":"iVBORw0KGgo`})},
			check: is[*api.ProtocolError](nil)},
		tcase{name: "create/wrong-types", cfg: faultserver.Config{Create: list(status(200, 0, `{"status":200,"data":{"task_id":12,"state":"queued"}}`))},
			check: is[*api.ProtocolError](nil)},
		tcase{name: "create/data-not-object", cfg: faultserver.Config{Create: list(status(200, 0, `{"status":200,"data":[1,2]}`))},
			check: is[*api.ProtocolError](nil)},
		tcase{name: "create/no-task-id", cfg: faultserver.Config{Create: list(status(200, 0, `{"status":200,"data":{"state":0}}`))},
			check: both(is[*api.ProtocolError](nil), mayExist)},
		tcase{name: "create/gateway-401", cfg: faultserver.Config{Create: list(status(401, 0, `{"error":{"message":"invalid key {token}","type":"invalid_request_error","code":"invalid_api_key"}}`))},
			check: apiErr(api.IsAuth, "an auth error")},
		tcase{name: "create/provider-403-in-200", cfg: faultserver.Config{Create: list(status(200, 0, `{"status":403,"message":"no balance for {token-head}"}`))},
			check: apiErr(api.IsAuth, "an auth error")},
		tcase{name: "create/gateway-in-200", cfg: faultserver.Config{Create: list(status(200, 0, `{"error":{"message":"quota exhausted {token-split-json}","type":"insufficient_quota"}}`))},
			check: apiErr(api.IsAuth, "an auth error")},
		tcase{name: "create/400-text-with-token-parts", cfg: faultserver.Config{Create: list(status(400, 0, "bad request\nfrom {token-zw} / {token-tail}\n"))},
			check: is[*api.Error](nil)},
		tcase{name: "create/redirected", cfg: faultserver.Config{Create: list(faultserver.Fault{Kind: faultserver.Redirect, Target: "other"})},
			check: is[*api.RedirectError](nil)},
	)

	// No service at all.
	cs = append(cs,
		tcase{name: "endpoint/closed-port", endpoint: "closed", check: both(networkErr(false), says("cannot reach"), notMayExist)},
		tcase{name: "endpoint/silent", endpoint: "blackhole", check: both(timedOut(""), mayExist)},
		tcase{name: "endpoint/silent-tls", endpoint: "blackhole-tls", check: both(networkErr(false), timedOut("TLS handshake"))},
	)

	// Polling.
	cs = append(cs,
		tcase{name: "poll/never-answers-twice", cfg: faultserver.Config{Poll: list(f(faultserver.Hang, 2))}, images: 2},
		tcase{name: "poll/never-answers", cfg: faultserver.Config{Poll: list(f(faultserver.Hang, 0))},
			check: waitErr(timedOut("waiting for the answer"))},
		tcase{name: "poll/stall-after-headers-twice", cfg: faultserver.Config{Poll: list(f(faultserver.StallAfterHeaders, 2))}, images: 2},
		tcase{name: "poll/stall-after-headers", cfg: faultserver.Config{Poll: list(f(faultserver.StallAfterHeaders, 0))},
			check: waitErr(timedOut("reading the answer"))},
		tcase{name: "poll/503-outage", cfg: faultserver.Config{Poll: list(status(503, 15, `{"status":503,"message":"maintenance"}`))}, images: 2},
		tcase{name: "poll/503-for-ever", cfg: faultserver.Config{Poll: list(status(503, 0, htmlPage))},
			check: waitErr(is[*api.Error](nil))},
		tcase{name: "poll/reset-outage", cfg: faultserver.Config{Poll: list(f(faultserver.Reset, 8))}, images: 2},
		tcase{name: "poll/reset-for-ever", cfg: faultserver.Config{Poll: list(f(faultserver.Reset, 0))},
			check: waitErr(is[*api.NetworkError](nil))},
		tcase{name: "poll/mixed-outage", cfg: faultserver.Config{Poll: list(f(faultserver.Reset, 2), status(502, 3, htmlPage), f(faultserver.Hang, 1),
			status(504, 2, ""), f(faultserver.Truncate, 1))}, images: 2},
		tcase{name: "poll/429-storm-retry-after", cfg: faultserver.Config{Poll: list(status(429, 10, `{"status":429,"message":"slow"}`, "Retry-After", "0"))}, images: 2},
		tcase{name: "poll/5xx-storm", cfg: faultserver.Config{Poll: list(status(500, 4, ""), status(502, 4, "bad gateway"), status(503, 4, ""))}, images: 2},
		tcase{name: "poll/error-in-200", cfg: faultserver.Config{Poll: list(status(200, 3, `{"status":500,"message":"busy"}`))}, images: 2},
		tcase{name: "poll/invalid-json-twice", cfg: faultserver.Config{Poll: list(status(200, 2, `{"status":200,"data":{`))}, images: 2},
		tcase{name: "poll/invalid-json", cfg: faultserver.Config{Poll: list(status(200, 0, `{"status":200,"data":{`))},
			check: waitErr(is[*api.ProtocolError](nil))},
		tcase{name: "poll/truncated", cfg: faultserver.Config{Poll: list(f(faultserver.Truncate, 2))}, images: 2},
		tcase{name: "poll/huge-once", cfg: faultserver.Config{Poll: list(faultserver.Fault{Kind: faultserver.Huge, Times: 1, Size: 1 << 20})}, images: 2},
		tcase{name: "poll/endless-once", cfg: faultserver.Config{Poll: list(f(faultserver.Endless, 1))}, images: 2},
		tcase{name: "poll/wrong-types", cfg: faultserver.Config{Poll: list(status(200, 0, `{"status":200,"data":{"task_id":"{id}","state":"four","progress":"x"}}`))},
			check: waitErr(is[*api.ProtocolError](nil))},
		tcase{name: "poll/stuck-processing", bound: 1500 * time.Millisecond, cfg: faultserver.Config{Steps: []faultserver.Step{{State: 4, Progress: 50}}, Forever: true},
			check: waitErr(deadline)},
		tcase{name: "poll/stuck-processing-no-deadline", noDeadline: true, cfg: faultserver.Config{Steps: []faultserver.Step{{State: 4, Progress: 50}}, Forever: true},
			check: waitErr(deadline)},
		tcase{name: "poll/unknown-state-for-ever", noDeadline: true, cfg: faultserver.Config{Steps: []faultserver.Step{{State: 7}}, Forever: true},
			check: waitErr(deadline)},
		tcase{name: "poll/unknown-states-then-done", cfg: faultserver.Config{Steps: []faultserver.Step{{State: 7}, {State: 9, Progress: 20}, {State: 4, Progress: 60}}}, images: 2},
		tcase{name: "poll/every-state", cfg: faultserver.Config{Steps: []faultserver.Step{{State: 0}, {State: 2}, {State: 3}, {State: 4, Progress: 50}}}, images: 2},
		tcase{name: "poll/sync-ignored", sync: true, cfg: faultserver.Config{IgnoreSync: true, Steps: []faultserver.Step{{State: 4}}}, images: 2},
		tcase{name: "poll/gateway-401", cfg: faultserver.Config{Poll: list(status(401, 0, `{"error":{"message":"token {token} revoked","type":"auth"}}`))},
			check: waitErr(apiErr(api.IsAuth, "an auth error"))},
		tcase{name: "poll/404-for-ever", cfg: faultserver.Config{Poll: list(status(404, 0, `{"status":404,"message":"no such task"}`))},
			check: waitErr(apiErr(api.IsNotFound, "not found"))},
		tcase{name: "poll/404-at-first", cfg: faultserver.Config{Poll: list(status(404, 1, `{"status":404,"message":"no such task"}`))}, images: 2},
		tcase{name: "poll/done-without-images", cfg: faultserver.Config{Poll: list(status(200, 0, `{"status":200,"data":{"task_id":"{id}","state":1,"image":""}}`))},
			check: func(err error) string {
				if !errors.Is(err, api.ErrNoResults) {
					return fmt.Sprintf("want ErrNoResults, got %v", err)
				}
				return ""
			}},
		tcase{name: "poll/redirect-other-port", cfg: faultserver.Config{Poll: list(faultserver.Fault{Kind: faultserver.Redirect, Target: "other", Times: 2})}, images: 2},
		tcase{name: "poll/redirect-https-to-http", tls: true, cfg: faultserver.Config{Poll: list(faultserver.Fault{Kind: faultserver.Redirect, Target: "other"})},
			check: waitErr(is[*api.RedirectError](nil))},
	)
	for _, st := range []int{-1, -2, -3, -5, -7, -8, -9, -42} {
		for _, sync := range []bool{false, true} {
			cs = append(cs, tcase{name: fmt.Sprintf("state/%d/sync=%v", st, sync), sync: sync,
				cfg: faultserver.Config{Final: st, FinalDetail: "failed for {token}", Steps: []faultserver.Step{{State: 4}}}, check: taskFailed(st)})
		}
	}

	// Result downloads.
	cs = append(cs,
		tcase{name: "result/never-answers-once", cfg: faultserver.Config{Result: list(f(faultserver.Hang, 1))}, images: 2},
		tcase{name: "result/stall-after-headers", cfg: faultserver.Config{Result: list(f(faultserver.StallAfterHeaders, 2))}, images: 2},
		tcase{name: "result/reset-mid-download", cfg: faultserver.Config{Result: list(f(faultserver.ResetMidBody, 2))}, images: 2},
		tcase{name: "result/truncated", cfg: faultserver.Config{Result: list(f(faultserver.Truncate, 2))}, images: 2},
		tcase{name: "result/reset", cfg: faultserver.Config{Result: list(f(faultserver.Reset, 3))}, images: 2},
		tcase{name: "result/503-and-429", cfg: faultserver.Config{Result: list(status(503, 2, ""), status(429, 1, "", "Retry-After", "0"))}, images: 2},
		tcase{name: "result/reset-for-ever", cfg: faultserver.Config{Result: list(f(faultserver.ResetMidBody, 0))},
			check: is[*api.NetworkError](nil)},
		tcase{name: "result/never-answers", cfg: faultserver.Config{Result: list(f(faultserver.Hang, 0))},
			check: timedOut("")},
		tcase{name: "result/403-expired-xml", cfg: faultserver.Config{Result: list(status(403, 0, xmlExpired))},
			check: both(expired, says("AccessDenied"))},
		tcase{name: "result/404", cfg: faultserver.Config{Result: list(status(404, 0, "not found"))}, check: expired},
		tcase{name: "result/410", cfg: faultserver.Config{Result: list(status(410, 0, htmlPage))}, check: expired},
		tcase{name: "result/one-expired", cfg: faultserver.Config{ResultSlot: map[int][]faultserver.Fault{2: list(status(403, 0, xmlExpired))}}, images: 1, check: expired},
		tcase{name: "result/one-reset-for-ever", batch: 3, cfg: faultserver.Config{ResultSlot: map[int][]faultserver.Fault{2: list(f(faultserver.ResetMidBody, 0))}}, images: 2,
			check: is[*api.NetworkError](nil)},
		tcase{name: "result/500-html-for-ever", cfg: faultserver.Config{Result: list(status(500, 0, htmlPage))},
			check: is[*api.Error](nil)},
		tcase{name: "result/redirect-other-port", cfg: faultserver.Config{Result: list(faultserver.Fault{Kind: faultserver.Redirect, Target: "other"})}, images: 2},
		tcase{name: "result/redirect-https-to-http", tls: true, cfg: faultserver.Config{Result: list(faultserver.Fault{Kind: faultserver.Redirect, Target: "other"})},
			check: is[*api.RedirectError](nil)},
		tcase{name: "result/token-in-links-expired", cfg: faultserver.Config{LinkQuery: "?sig={token}&k={token-head}", Result: list(status(403, 0, "denied for {token}"))},
			check: expired},
		tcase{name: "result/token-in-links", cfg: faultserver.Config{LinkQuery: "?sig={token}"}, images: 2},
		tcase{name: "result/truncated-base64-links-mixed", cfg: faultserver.Config{Shape: faultserver.ShapeRelativeNoExt, Result: list(f(faultserver.Truncate, 1), f(faultserver.ResetMidBody, 1))},
			batch: 4, images: 4},
	)
	return cs
}

// tally is what the matrix saw, for its closing summary.
type tally struct {
	mu       sync.Mutex
	cases    int
	injected map[string]int
	faults   int
	held     map[string]int
	broken   map[string][]string
}

func (t *tally) add(name string, injected map[string]int, held map[string]bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cases++
	for k, n := range injected {
		t.injected[k] += n
		t.faults += n
	}
	for promise, ok := range held {
		if ok {
			t.held[promise]++
		} else {
			t.broken[promise] = append(t.broken[promise], name)
		}
	}
}

func TestFaultMatrix(t *testing.T) {
	all := &tally{injected: map[string]int{}, held: map[string]int{}, broken: map[string][]string{}}
	dir := t.TempDir()
	shot := testshot.Write(t, dir, "bottle.png", 96, 72)
	big := bigShot(t, dir)
	t.Run("case", func(t *testing.T) {
		for _, tc := range cases() {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				if tc.bigUpload {
					runCase(t, tc, big, all)
				} else {
					runCase(t, tc, shot, all)
				}
			})
		}
	})
	var kinds []string
	for k := range all.injected {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, all.injected[k]))
	}
	sort.Strings(kinds)
	fmt.Printf("fault matrix: %d cases, %d faults injected (%s)\n", all.cases, all.faults, strings.Join(kinds, ", "))
	for _, promise := range promises {
		if broken := all.broken[promise]; len(broken) > 0 {
			fmt.Printf("  %-22s BROKEN in %d: %s\n", promise, len(broken), strings.Join(broken, ", "))
		} else {
			fmt.Printf("  %-22s held in %d/%d\n", promise, all.held[promise], all.cases)
		}
	}
}

var promises = []string{"ends within its bound", "no lost result", "no partial file", "no duplicate create", "no token in output", "token not redirected", "expected outcome"}

// A leg runs one case through one of the app's paths and reports what
// came out of it, for the checks every path shares.
type leg struct {
	name string
	// skips says a case does not apply to this path.
	skips func(tc tcase) bool
	run   func(t *testing.T, env legEnv) legOut
	// judge says whether the outcome is the expected one ("" if so).
	judge func(tc tcase, out legOut) string
}

// legEnv is what a leg gets: the endpoint, the request, and the run's
// bound (a context deadline unless the case has none).
type legEnv struct {
	tc     tcase
	base   string
	req    api.CreateRequest
	opts   []api.Option
	ctx    context.Context
	bound  time.Duration
	cache  string // the cache folder
	outDir string // the output folder, for paths that save
	srv    *faultserver.Server
}

// legOut is what came out of a run.
type legOut struct {
	err     error    // the run's error
	images  [][]byte // every result the caller holds, as the service sent it
	texts   []string // everything shown or printed
	clean   []error  // the api errors, each meant to be one bounded line
	n       int      // results kept
	elapsed time.Duration
	// A command's exit code and what it printed.
	exit           int
	stdout, stderr string
	snap           run.Snapshot // a queue item as it ended
}

var legs = []leg{
	{name: "window", run: runWindow, judge: judgeStrict},
	{name: "queue", run: runQueue, judge: judgeLoose},
	// The CLI trusts only the system's certificates: the TLS cases, which
	// need the test server's, are for the other paths.
	{name: "cli", run: runCLI, judge: judgeCLI, skips: func(tc tcase) bool { return tc.tls }},
}

func runCase(t *testing.T, tc tcase, shot string, all *tally) {
	for _, l := range legs {
		if l.skips != nil && l.skips(tc) {
			continue
		}
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			runLeg(t, tc, shot, l, all)
		})
	}
}

func runLeg(t *testing.T, tc tcase, shot string, l leg, all *tally) {
	srv := faultserver.New(withToken(tc.cfg))
	if tc.tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	defer srv.Close()
	base := srv.URL
	switch tc.endpoint {
	case "closed":
		base = "http://" + faultserver.ClosedPort()
	case "blackhole", "blackhole-tls":
		hole, err := faultserver.StartBlackhole()
		if err != nil {
			t.Fatal(err)
		}
		defer hole.Close()
		base = "http://" + hole.Addr
		if tc.endpoint == "blackhole-tls" {
			base = "https://" + hole.Addr
		}
	}
	env := legEnv{tc: tc, base: base, srv: srv, cache: t.TempDir(), outDir: t.TempDir(), opts: clientOptions()}
	if tc.tls {
		env.opts = append(env.opts, api.WithHTTPClient(srv.Client()))
	}
	env.req = api.CreateRequest{ImageFile: shot, Prompt: "white marble, soft light", BatchSize: tc.batch, Sync: tc.sync}
	if tc.batch == 0 {
		env.req.BatchSize = 2
	}
	if tc.imageURL {
		env.req.ImageFile, env.req.ImageURL = "", "https://images.example.com/bottle.png"
	}
	env.bound = runBound
	if tc.bound > 0 {
		env.bound = tc.bound
	}
	env.ctx = context.Background()
	if !tc.noDeadline {
		var cancel context.CancelFunc
		env.ctx, cancel = context.WithTimeout(env.ctx, env.bound)
		defer cancel()
	} else {
		env.bound = waitFor + 2*time.Second // the wait bound, plus the create and downloads
	}
	name := tc.name + " (" + l.name + ")"

	done := make(chan legOut, 1)
	start := time.Now()
	go func() { done <- l.run(t, env) }()
	held := map[string]bool{}
	var out legOut
	select {
	case out = <-done:
		out.elapsed = time.Since(start)
		held["ends within its bound"] = out.elapsed < env.bound+slack
	case <-time.After(env.bound + slack):
		all.add(name, injected(srv, tc), map[string]bool{"ends within its bound": false})
		t.Fatalf("hung: no end %v after its bound of %v", slack, env.bound)
	}

	// Every image the server delivered reached the caller.
	got := map[string]bool{}
	for _, img := range out.images {
		got[faultserver.Digest(img)] = true
	}
	lost := 0
	for d := range srv.Delivered() {
		if !got[d] {
			lost++
		}
	}
	held["no lost result"] = lost == 0
	if lost > 0 {
		t.Errorf("%d delivered images did not reach the caller", lost)
	}
	for _, dir := range []string{env.cache, env.outDir} {
		if parts := partials(dir); len(parts) > 0 {
			held["no partial file"] = false
			t.Errorf("partial files left: %v", parts)
		} else if _, ok := held["no partial file"]; !ok {
			held["no partial file"] = true
		}
	}

	held["no duplicate create"] = srv.Creates() <= 1 && srv.Billed() <= 1
	if !held["no duplicate create"] {
		t.Errorf("%d creates reached the server, %d billed", srv.Creates(), srv.Billed())
	}

	held["no token in output"] = true
	for _, s := range append(out.texts, errorTexts(out.err)...) {
		if api.Redact(s, token) != s {
			held["no token in output"] = false
			t.Errorf("the token (or a part of it) is in %q", s)
		}
	}
	held["token not redirected"] = len(srv.Leaks()) == 0
	if leaks := srv.Leaks(); len(leaks) > 0 {
		t.Errorf("the token went where it must not: %v", leaks)
	}
	for _, e := range append(out.clean, clientErrors(out.err)...) {
		if s := e.Error(); strings.ContainsAny(s, "\r\n") || len([]rune(s)) > 500 {
			t.Errorf("error text not one bounded line: %q", s)
		}
	}

	held["expected outcome"] = true
	if msg := l.judge(tc, out); msg != "" {
		held["expected outcome"] = false
		t.Error(msg)
	}
	if tc.after != nil {
		if msg := tc.after(srv); msg != "" {
			held["expected outcome"] = false
			t.Error(msg)
		}
	}
	all.add(name, injected(srv, tc), held)
	if testing.Verbose() {
		t.Logf("%v in %v; %d faults; %d results; error: %v", name, out.elapsed.Round(time.Millisecond), srv.Injected(), out.n, out.err)
	}
}

// judgeStrict wants exactly the case's outcome: its images, or its error.
func judgeStrict(tc tcase, out legOut) string {
	switch {
	case tc.check == nil && out.err != nil:
		return fmt.Sprintf("want %d images, got error %v", tc.images, out.err)
	case tc.check == nil && out.n != tc.images:
		return fmt.Sprintf("got %d images, want %d", out.n, tc.images)
	case tc.check != nil:
		if msg := tc.check(out.err); msg != "" {
			return msg
		}
		if tc.images > 0 && out.n != tc.images {
			return fmt.Sprintf("got %d images, want %d", out.n, tc.images)
		}
	}
	return ""
}

// judgeLoose wants the case's images when it should succeed, and a
// failure (keeping what arrived) when it should not; the words are the
// path's own.
func judgeLoose(tc tcase, out legOut) string {
	switch {
	case tc.check == nil && (out.err != nil || out.n != tc.images):
		return fmt.Sprintf("want %d images, got %d and error %v", tc.images, out.n, out.err)
	case tc.check != nil && out.err == nil:
		return fmt.Sprintf("want a failure, got %d images", out.n)
	case tc.check != nil && tc.images > 0 && out.n != tc.images:
		return fmt.Sprintf("got %d images, want %d", out.n, tc.images)
	}
	return ""
}

// runWindow is the window's path: the queue on the app's backend (its one
// client builder, with the matrix's short limits added) recording into a
// library, as the window runs it; the library's record must agree with
// the item.
func runWindow(t *testing.T, env legEnv) legOut {
	backend, err := app.Connect(app.Config{Token: token, Endpoint: env.base, CacheDir: env.cache, ClientOptions: env.opts})
	if err != nil {
		t.Error(err)
		return legOut{err: err}
	}
	defer backend.Close()
	defer backend.Client().CloseIdleConnections()
	store, err := app.OpenLibraryIn(t.TempDir())
	if err != nil {
		t.Error(err)
		return legOut{err: err}
	}
	defer store.Close()
	q, rec, err := backend.NewLibraryQueue(run.Config{RunTimeout: env.bound, Rate: 100},
		app.QueueOptions{Library: store, DailyCap: func() int { return 100 }})
	if err != nil {
		t.Error(err)
		return legOut{err: err}
	}
	defer q.Close()
	out := queueItem(t, env, q)
	snap := out.snap
	id, ok := rec.RunID(snap.ID)
	if !ok {
		t.Error("the item is not in the library")
		return out
	}
	r, err := store.Get(context.Background(), id)
	if err != nil {
		t.Error(err)
		return out
	}
	want := map[run.State]library.State{run.Done: library.StateDone, run.Failed: library.StateFailed, run.Cancelled: library.StateCancelled}[snap.State]
	if snap.MayBeBilled {
		want = library.StateMaybeBilled
	}
	if r.State != want || r.TaskID != snap.TaskID || len(r.Images) != len(snap.Variants) {
		t.Errorf("the library holds %s, task %q, %d images; the item ended %s, task %q, %d variants",
			r.State, r.TaskID, len(r.Images), snap.State, snap.TaskID, len(snap.Variants))
	}
	// Marked "may have been billed" exactly when the client says the
	// task may exist and no task id came back.
	if billed := snap.TaskID == "" && api.TaskMayExist(snap.Err); snap.MayBeBilled != billed {
		t.Errorf("the item is marked may-be-billed %v, the client's error says %v: %v", snap.MayBeBilled, billed, snap.Err)
	}
	out.texts = append(out.texts, r.Error)
	return out
}

// runQueue is the queue's path without a library (as `--no-library`
// runs it): one item through a run.Queue on the app's backend, saving
// into an output folder.
func runQueue(t *testing.T, env legEnv) legOut {
	backend, err := app.Connect(app.Config{Token: token, Endpoint: env.base, CacheDir: env.cache, ClientOptions: env.opts})
	if err != nil {
		t.Error(err)
		return legOut{err: err}
	}
	defer backend.Close()
	defer backend.Client().CloseIdleConnections()
	q, err := backend.NewQueue(run.Config{RunTimeout: env.bound, Rate: 100})
	if err != nil {
		t.Error(err)
		return legOut{err: err}
	}
	defer q.Close()
	return queueItem(t, env, q)
}

// queueItem runs the case's request as one item of q and reports it.
func queueItem(t *testing.T, env legEnv, q *run.Queue) legOut {
	id, err := q.Add(run.Spec{ImageFile: env.req.ImageFile, ImageURL: env.req.ImageURL, Prompt: env.req.Prompt,
		Variants: env.req.BatchSize, Options: run.Options{Sync: env.req.Sync, OutDir: env.outDir}})
	if err != nil {
		t.Error(err)
		return legOut{err: err}
	}
	ctx, cancel := context.WithTimeout(context.Background(), env.bound+slack)
	defer cancel()
	if err := q.Wait(ctx); err != nil {
		return legOut{err: fmt.Errorf("the queue did not finish: %w", err)}
	}
	snap, _ := q.Item(id)
	out := legOut{err: snap.Err, n: len(snap.Variants), texts: []string{snap.Label(), snap.Warning, snap.TaskID}, snap: snap}
	if snap.State != run.Done && out.err == nil {
		out.err = fmt.Errorf("the item ended %v", snap.State)
	}
	for _, v := range snap.Variants {
		data, err := os.ReadFile(v.CachedPath)
		if err != nil {
			t.Errorf("variant %d: no cached copy: %v", v.N, err)
			continue
		}
		out.images = append(out.images, data)
		if _, err := os.Stat(v.SavedPath); err != nil {
			t.Errorf("variant %d: not saved: %v", v.N, err)
		}
	}
	return out
}

// partials lists files of dir left half-written.
func partials(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".part") || strings.Contains(filepath.Base(path), ".tmp")) {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// injected counts the faults of a case by kind: the server's, and the
// missing or silent service of an endpoint case.
func injected(srv *faultserver.Server, tc tcase) map[string]int {
	out := map[string]int{}
	for k, n := range srv.InjectedByKind() {
		out[k.String()] = n
	}
	if tc.endpoint != "" {
		out[tc.endpoint]++
	}
	return out
}

// bigShot is a valid PNG header followed by padding: 12 MB, within the
// service's 15 MB, and more than loopback sockets buffer, so that a reset
// or a stall can happen in the middle of the upload.
func bigShot(t *testing.T, dir string) string {
	small, err := os.ReadFile(testshot.Write(t, dir, "small.png", 32, 32))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "big.png")
	if err := os.WriteFile(path, append(small, make([]byte, 12<<20)...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// errorTexts is the text of err and of every error it wraps: a caller may
// print any of them.
func errorTexts(err error) []string {
	var out []string
	eachError(err, func(e error) { out = append(out, e.Error()) })
	return out
}

// clientErrors are the errors of the api package in err's tree (the job
// joins one per variant, on lines of their own).
func clientErrors(err error) []error {
	var out []error
	eachError(err, func(e error) {
		if strings.HasPrefix(fmt.Sprintf("%T", e), "*api.") {
			out = append(out, e)
		}
	})
	return out
}

// eachError calls f on err and on every error in its tree, parents first.
func eachError(err error, f func(error)) {
	if err == nil {
		return
	}
	f(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		eachError(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			eachError(e, f)
		}
	}
}

func withToken(cfg faultserver.Config) faultserver.Config {
	cfg.Token = token
	return cfg
}

func TestMain(m *testing.M) {
	// The cases mostly wait on short timers: run many side by side so the
	// matrix takes seconds, not minutes, on two cores.
	// A -parallel given on the command line still wins: flags are parsed
	// in m.Run.
	flag.Set("test.parallel", "16")
	// Every client of the process gets the short limits, those the
	// commands make for themselves included.
	api.DefaultOptions = clientOptions()
	goleak.VerifyTestMain(m)
}
