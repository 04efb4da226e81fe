package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/faultserver"
)

// shortLimits make every time limit of the client small, so that tests of
// hangs end quickly.
var shortLimits = api.WithTimeouts(api.Timeouts{
	Connect: 300 * time.Millisecond, TLS: 300 * time.Millisecond, CreateHeaders: 300 * time.Millisecond, SyncCreateHeaders: 300 * time.Millisecond,
	PollHeaders: 300 * time.Millisecond, DownloadHeaders: 300 * time.Millisecond, Idle: 300 * time.Millisecond,
})

func startFaults(t *testing.T, cfg faultserver.Config) *faultserver.Server {
	t.Helper()
	cfg.Token = testToken
	s := faultserver.New(cfg).Start()
	t.Cleanup(s.Close)
	return s
}

func run(t *testing.T, c *api.Client, batch int) (*api.Task, error) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	return c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p", BatchSize: batch}, nil)
}

// blockingTransport never answers until the request is cancelled: a
// custom RoundTripper that reports no httptrace events at all.
type blockingTransport struct{}

func (blockingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

func TestTimeLimitsHoldForAnInjectedClient(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:9", shortLimits, api.WithRetry(0, time.Millisecond),
		api.WithHTTPClient(&http.Client{Transport: blockingTransport{}}))
	_, err := c.GetTask(context.Background(), "t1")
	var ne *api.NetworkError
	if !errors.As(err, &ne) || !ne.Timeout || ne.Op != "poll" {
		t.Fatalf("got %v, want a poll time-out", err)
	}
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a time-out of the client is a net.Error time-out, not the caller's cancellation or deadline: %v", err)
	}
}

func TestStalledAnswerFailsAfterTheIdleLimit(t *testing.T) {
	s := startFaults(t, faultserver.Config{Poll: []faultserver.Fault{{Kind: faultserver.StallAfterHeaders}}})
	c := newClient(t, s.URL, shortLimits, api.WithRetry(0, time.Millisecond))
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	task, err := c.CreateTask(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetTask(context.Background(), task.ID)
	var ne *api.NetworkError
	if !errors.As(err, &ne) || !ne.Timeout || ne.Phase != "reading the answer" {
		t.Fatalf("got %v", err)
	}
}

// A body that trickles a byte at a time never trips the idle limit, but
// a JSON answer must arrive whole within its headers limit.
func TestTricklingAnswerIsBounded(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}))
	defer hs.Close()
	c := newClient(t, hs.URL, shortLimits, api.WithRetry(0, time.Millisecond))
	_, err := c.GetTask(context.Background(), "t")
	if !api.IsNetwork(err) {
		t.Fatalf("got %v", err)
	}
}

func TestDefaultClientIsTunedNotTheDefault(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"status":200,"data":{"task_id":"t","state":2}}`))
	}))
	defer hs.Close()
	before := http.DefaultTransport.(*http.Transport)
	var used atomic.Bool
	old := http.DefaultClient.Transport
	http.DefaultClient.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return before.RoundTrip(r)
	})
	defer func() { http.DefaultClient.Transport = old }()
	c, _ := api.NewClient(api.WithBaseURL(hs.URL), api.WithToken(testToken))
	defer c.CloseIdleConnections()
	if _, err := c.GetTask(context.Background(), "t"); err != nil {
		t.Fatal(err)
	}
	if used.Load() {
		t.Fatal("the client went through http.DefaultClient")
	}
}

func TestClosedPortIsCannotReach(t *testing.T) {
	ln := httptest.NewServer(http.NotFoundHandler())
	addr := ln.URL
	ln.Close()
	c := newClient(t, addr, shortLimits)
	_, err := run(t, c, 1)
	var ne *api.NetworkError
	if !errors.As(err, &ne) || ne.MayHaveBeenCreated || api.TaskMayExist(err) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("got %v", err)
	}
	if !strings.HasPrefix(err.Error(), "cannot reach 127.0.0.1:") || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("worded %q", err)
	}
}

func TestDroppedAfterFullUploadMayHaveBeenBilled(t *testing.T) {
	s := startFaults(t, faultserver.Config{Create: []faultserver.Fault{{Kind: faultserver.Reset, Bill: true}}})
	_, err := run(t, newClient(t, s.URL, shortLimits), 2)
	var ne *api.NetworkError
	if !errors.As(err, &ne) || !ne.MayHaveBeenCreated || !api.TaskMayExist(err) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "cannot reach") || !strings.Contains(err.Error(), "may have been billed") {
		t.Fatalf("worded %q", err)
	}
	if s.CreateRequests() != 1 {
		t.Fatalf("%d creates sent; a create that may exist is never sent again", s.CreateRequests())
	}
}

func TestWaitBoundWithoutDeadline(t *testing.T) {
	s := startFaults(t, faultserver.Config{Steps: []faultserver.Step{{State: 6}}, Forever: true})
	c := newClient(t, s.URL, api.WithWaitBound(200*time.Millisecond))
	_, err := run(t, c, 1)
	var we *api.WaitError
	if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) || we.TaskID == "" || we.LastState != 6 {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), we.TaskID) || api.TaskIDOf(err) != we.TaskID {
		t.Fatalf("the task id is not in %q", err)
	}
}

func TestWaitSurvivesAnOutage(t *testing.T) {
	s := startFaults(t, faultserver.Config{Poll: []faultserver.Fault{
		{Kind: faultserver.Status, Status: 503, Times: 6}, {Kind: faultserver.Reset, Times: 4}, {Kind: faultserver.Hang, Times: 1},
	}})
	c := newClient(t, s.URL, shortLimits, api.WithPollBackoffCap(20*time.Millisecond), api.WithOutageTolerance(time.Minute))
	task, err := run(t, c, 2)
	if err != nil || len(task.Images) != 2 {
		t.Fatalf("%v %v", task, err)
	}
	if s.Polls() < 12 {
		t.Fatalf("%d polls", s.Polls())
	}
}

func TestWaitGivesUpAfterTheOutageTolerance(t *testing.T) {
	s := startFaults(t, faultserver.Config{Poll: []faultserver.Fault{{Kind: faultserver.Status, Status: 503, Body: "<title>down</title>"}}})
	c := newClient(t, s.URL, shortLimits, api.WithPollBackoffCap(20*time.Millisecond), api.WithOutageTolerance(200*time.Millisecond))
	_, err := run(t, c, 2)
	var we *api.WaitError
	var ae *api.Error
	if !errors.As(err, &we) || !errors.As(err, &ae) || ae.HTTPStatus != 503 || !strings.HasPrefix(we.TaskID, "task-") {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "down") {
		t.Fatalf("the page's title is missing from %q", err)
	}
}

func TestCancelledWaitCarriesTheTaskID(t *testing.T) {
	s := startFaults(t, faultserver.Config{Steps: []faultserver.Step{{State: 4}}, Forever: true})
	c := newClient(t, s.URL)
	ctx, cancel := context.WithCancel(context.Background())
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	polls := 0
	_, err := c.Generate(ctx, api.CreateRequest{ImageFile: shot, Prompt: "p"}, func(*api.Task) {
		if polls++; polls == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || api.TaskIDOf(err) == "" {
		t.Fatalf("got %v", err)
	}
}

func TestGenerateCapsResultsAtTheBatch(t *testing.T) {
	s := startFaults(t, faultserver.Config{Shape: faultserver.ShapeList, ExtraLinks: 48})
	task, err := run(t, newClient(t, s.URL), 3)
	if err != nil || len(task.Images) != 3 {
		t.Fatalf("%d images, %v", len(task.Images), err)
	}
	got, err := newClient(t, s.URL).GetTask(context.Background(), task.ID)
	if err != nil || len(got.Images) != api.MaxBatchSize {
		t.Fatalf("GetTask: %d images, %v", len(got.Images), err)
	}
}

// recordingWriter keeps every Write apart.
type recordingWriter struct{ writes [][]byte }

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, append([]byte(nil), p...))
	return len(p), nil
}

func TestDownloadWritesTheWholeImageOnce(t *testing.T) {
	for _, kind := range []faultserver.Kind{faultserver.Truncate, faultserver.ResetMidBody, faultserver.StallAfterHeaders, faultserver.Reset} {
		t.Run(kind.String(), func(t *testing.T) {
			s := startFaults(t, faultserver.Config{Result: []faultserver.Fault{{Kind: kind, Times: 2}}})
			c := newClient(t, s.URL, shortLimits)
			task, err := run(t, c, 1)
			if err != nil {
				t.Fatal(err)
			}
			var w recordingWriter
			if _, err := c.Download(context.Background(), task.Images[0], &w); err != nil {
				t.Fatal(err)
			}
			if len(w.writes) != 1 || !s.Delivered()[faultserver.Digest(w.writes[0])] {
				t.Fatalf("%d writes; the image is not the one delivered", len(w.writes))
			}
		})
	}
}

// A close-delimited body (no Content-Length) cut short is recognised by
// the image's own structure, and fetched again.
func TestDownloadRefetchesAVisiblyCutImage(t *testing.T) {
	whole := pngBytes(40, 30)
	var tries atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, _ := w.(http.Hijacker).Hijack()
		defer conn.Close()
		body := whole
		if tries.Add(1) == 1 {
			body = whole[:len(whole)-20]
		}
		fmt.Fprintf(buf, "HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n")
		buf.Write(body)
		buf.Flush()
	}))
	defer hs.Close()
	var w recordingWriter
	if _, err := newClient(t, hs.URL).Download(context.Background(), hs.URL+"/r.png", &w); err != nil {
		t.Fatal(err)
	}
	if tries.Load() != 2 || len(w.writes) != 1 || !bytes.Equal(w.writes[0], whole) {
		t.Fatalf("%d tries, %d writes", tries.Load(), len(w.writes))
	}
}

func TestDownloadGivesUpAfterBoundedRetries(t *testing.T) {
	s := startFaults(t, faultserver.Config{Result: []faultserver.Fault{{Kind: faultserver.ResetMidBody}}})
	c := newClient(t, s.URL, shortLimits, api.WithDownloadRetries(2))
	task, err := run(t, c, 1)
	if err != nil {
		t.Fatal(err)
	}
	var w recordingWriter
	before := s.Downloads()
	_, err = c.Download(context.Background(), task.Images[0], &w)
	if !api.IsNetwork(err) || len(w.writes) != 0 || s.Downloads()-before != 3 {
		t.Fatalf("%v after %d tries, %d writes", err, s.Downloads()-before, len(w.writes))
	}
}

func TestExpiredResultLink(t *testing.T) {
	for _, code := range []int{403, 404, 410} {
		s := startFaults(t, faultserver.Config{Result: []faultserver.Fault{{Kind: faultserver.Status, Status: code,
			Body: `<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`}}})
		c := newClient(t, s.URL)
		task, err := run(t, c, 1)
		if err != nil {
			t.Fatal(err)
		}
		before := s.Downloads()
		_, err = c.Download(context.Background(), task.Images[0], io.Discard)
		var ee *api.ExpiredLinkError
		if !errors.As(err, &ee) || ee.HTTPStatus != code || s.Downloads()-before != 1 {
			t.Fatalf("%d: %v", code, err)
		}
		if !strings.Contains(err.Error(), "the result link has expired") || !strings.Contains(err.Error(), "Request has expired") {
			t.Fatalf("worded %q", err)
		}
		if api.IsAuth(err) || api.IsNotFound(err) || api.IsTemporary(err) {
			t.Fatalf("%d on a result link is blamed on the token or the task, or taken for temporary", code)
		}
		var ae *api.Error // code that looks at HTTP statuses still finds it
		if !errors.As(err, &ae) || ae.HTTPStatus != code {
			t.Fatalf("no *api.Error %d in the chain", code)
		}
	}
}

func TestRedirectPolicy(t *testing.T) {
	t.Run("token not sent to another port", func(t *testing.T) {
		s := startFaults(t, faultserver.Config{Poll: []faultserver.Fault{{Kind: faultserver.Redirect, Target: "other", Times: 3}}})
		if _, err := run(t, newClient(t, s.URL), 1); err != nil {
			t.Fatal(err)
		}
		if len(s.Leaks()) > 0 {
			t.Fatalf("leaked: %v", s.Leaks())
		}
	})
	t.Run("https to http refused, for an injected client with its own policy", func(t *testing.T) {
		cfg := faultserver.Config{Token: testToken, Poll: []faultserver.Fault{{Kind: faultserver.Redirect, Target: "other"}}}
		s := faultserver.New(cfg).StartTLS()
		defer s.Close()
		hc := s.Client()
		var calls atomic.Int32
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { calls.Add(1); return nil }
		c := newClient(t, s.URL, api.WithHTTPClient(hc))
		_, err := run(t, c, 1)
		var re *api.RedirectError
		if !errors.As(err, &re) || len(s.Leaks()) > 0 || api.TaskIDOf(err) == "" {
			t.Fatalf("got %v, leaks %v", err, s.Leaks())
		}
		if hc.CheckRedirect == nil || calls.Load() != 0 {
			t.Fatal("the caller's client was changed, or its policy ran on a refused redirect")
		}
	})
	t.Run("the caller's policy still runs", func(t *testing.T) {
		s := startFaults(t, faultserver.Config{Result: []faultserver.Fault{{Kind: faultserver.Redirect, Target: "other"}}})
		var calls atomic.Int32
		hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { calls.Add(1); return nil }}
		c := newClient(t, s.URL, api.WithHTTPClient(hc))
		task, err := run(t, c, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Download(context.Background(), task.Images[0], io.Discard); err != nil || calls.Load() != 1 {
			t.Fatalf("%v, %d calls", err, calls.Load())
		}
	})
	t.Run("a create is never redirected", func(t *testing.T) {
		s := startFaults(t, faultserver.Config{Create: []faultserver.Fault{{Kind: faultserver.Redirect, Target: "other"}}})
		_, err := run(t, newClient(t, s.URL), 1)
		var re *api.RedirectError
		if !errors.As(err, &re) || s.Billed() != 0 || s.CreateRequests() != 1 || len(s.Leaks()) > 0 {
			t.Fatalf("%v; %d creates; leaks %v", err, s.CreateRequests(), s.Leaks())
		}
	})
}

func TestEndlessAnswerFailsEarly(t *testing.T) {
	for name, start := range map[string]string{
		"json":   "",
		"base64": `{"status":200,"data":{"task_id":"x","image":"iVBORw0KGgo`,
	} {
		t.Run(name, func(t *testing.T) {
			s := startFaults(t, faultserver.Config{Create: []faultserver.Fault{{Kind: faultserver.Endless, Body: start}}})
			c := newClient(t, s.URL, api.WithAnswerLimits(64<<10, 1<<20))
			_, err := run(t, c, 1)
			var pe *api.ProtocolError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), "larger than") {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// Four inline results of a realistic size are never refused by the
// default limits.
func TestFourInlineResultsFit(t *testing.T) {
	s := startFaults(t, faultserver.Config{Shape: faultserver.ShapeBase64, ImageWidth: 500, ImageHeight: 420})
	task, err := run(t, newClient(t, s.URL), 4)
	if err != nil || len(task.Images) != 4 {
		t.Fatalf("%v", err)
	}
	for _, ref := range task.Images {
		var buf bytes.Buffer
		if _, err := newClient(t, s.URL).Download(context.Background(), ref, &buf); err != nil || !s.Delivered()[faultserver.Digest(buf.Bytes())] {
			t.Fatalf("%v", err)
		}
	}
}

func TestRelativePathWithoutExtension(t *testing.T) {
	s := startFaults(t, faultserver.Config{Shape: faultserver.ShapeRelativeNoExt})
	task, err := run(t, newClient(t, s.URL), 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range task.Images {
		if !strings.HasPrefix(ref, s.URL+"/results/") {
			t.Fatalf("%q was not taken for a path", ref)
		}
	}
}

func TestFIFOIsRefusedWithoutBlocking(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "shot.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	err := api.CreateRequest{ImageFile: fifo, Prompt: "p"}.Validate()
	if !api.IsValidation(err) || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("got %v", err)
	}
}

func TestImageClaimingTooManyPixelsIsRefused(t *testing.T) {
	// A PNG header claiming 100000 × 100000 pixels, nothing more.
	head := pngBytes(1, 1)
	copy(head[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(head[29:33], crc32.ChecksumIEEE(head[12:29]))
	path := filepath.Join(t.TempDir(), "bomb.png")
	os.WriteFile(path, head, 0o644)
	err := api.CreateRequest{ImageFile: path, Prompt: "p"}.Validate()
	if !api.IsValidation(err) || !strings.Contains(err.Error(), "100000 × 100000") {
		t.Fatalf("got %v", err)
	}
}

// Esc during a create that was fully sent: the run stops, and the error
// still says the task may exist.
func TestCancelAfterTheUploadSaysTheTaskMayExist(t *testing.T) {
	s := startFaults(t, faultserver.Config{Create: []faultserver.Fault{{Kind: faultserver.Hang, Bill: true}}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	_, err := newClient(t, s.URL).Generate(ctx, api.CreateRequest{ImageFile: shot, Prompt: "p", Sync: true}, nil)
	if !errors.Is(err, context.Canceled) || !api.TaskMayExist(err) || !strings.Contains(err.Error(), "may have been billed") {
		t.Fatalf("got %v", err)
	}
	if s.CreateRequests() != 1 {
		t.Fatalf("%d creates", s.CreateRequests())
	}
}

// A JPEG whose size comes after large metadata blocks (a camera's
// thumbnails, an editor's XMP) is read as far as needed, not refused.
func TestJPEGWithLargeMetadataIsAccepted(t *testing.T) {
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 30, 20)), nil)
	data := buf.Bytes()
	var out bytes.Buffer
	out.Write(data[:2]) // SOI
	for range 6 {       // six APP1 blocks of 64 KB: 384 KB before the frame header
		out.Write([]byte{0xff, 0xe1, 0xff, 0xff})
		out.Write(make([]byte, 0xffff-2))
	}
	out.Write(data[2:])
	path := filepath.Join(t.TempDir(), "camera.jpg")
	os.WriteFile(path, out.Bytes(), 0o644)
	if err := (api.CreateRequest{ImageFile: path, Prompt: "p"}).Validate(); err != nil {
		t.Fatal(err)
	}
	info, err := api.InspectImage(out.Bytes())
	if err != nil || info.Width != 30 || info.Height != 20 || info.Format != "image/jpeg" {
		t.Fatalf("%+v %v", info, err)
	}
}
