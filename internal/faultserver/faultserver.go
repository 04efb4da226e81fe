// Package faultserver is a hostile stand-in for the add-background
// service, for tests in any package: an http.Handler that speaks the
// contract (POST /task/pic/background, GET /task/{id}, result links) and
// injects a fault class on demand — answers that never come, stalls after
// the headers, resets mid-upload or mid-body, truncated, huge, endless or
// invalid JSON, wrong types, 429/5xx storms, every failure state, both
// error shapes, errors inside HTTP 200, redirects to another port or down
// to plain http, the token echoed back — while counting what matters to a
// client's promises: creates that reached it (and were billed), images it
// delivered in full, faults it injected, and tokens that arrived where
// they must not.
//
// A Server is configured once (Config) and is safe for concurrent use.
// Start and StartTLS run it on loopback with a second, plain-http
// listener ("the other server") as a redirect target.
package faultserver

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Kind is a class of fault.
type Kind int

const (
	// Pass is the normal answer.
	Pass Kind = iota
	// Hang never answers; a create reads its whole upload first. The
	// connection is held until the client leaves or the server closes.
	Hang
	// StallUpload (create) reads part of the upload, then stops reading.
	StallUpload
	// ResetMidUpload (create) reads part of the upload, then resets.
	ResetMidUpload
	// Reset closes the connection with a TCP reset and no answer; a
	// create reads its whole upload first.
	Reset
	// StallAfterHeaders sends the headers of the normal answer and the
	// first part of its body, then nothing.
	StallAfterHeaders
	// ResetMidBody sends the headers and half the normal body, then resets.
	ResetMidBody
	// Truncate announces the normal body's length, sends half of it and
	// closes the connection cleanly.
	Truncate
	// Status answers Fault.Status with Fault.Body and Fault.Header.
	Status
	// Endless answers 200 with a body that never ends: Fault.Body (or a
	// JSON start) followed by filler for as long as the client reads.
	Endless
	// Huge answers 200 with the normal JSON answer padded to Fault.Size
	// bytes (a field "pad" in front).
	Huge
	// Redirect answers 302 to the same path on Fault.Location: "other"
	// (the plain-http other server) or an absolute URL prefix.
	Redirect
)

func (k Kind) String() string {
	return [...]string{"pass", "hang", "stall-upload", "reset-mid-upload", "reset", "stall-after-headers",
		"reset-mid-body", "truncate", "status", "endless", "huge", "redirect"}[k]
}

// Fault is what an answer does instead of the normal thing.
type Fault struct {
	Kind Kind
	// Times is how many requests this fault answers before the next one
	// in the list takes over; 0 means every request from then on.
	Times int
	// Status and Body for Status (and the start of Endless). Body may hold
	// placeholders: {id} (the task id), {token} (the bearer token the
	// request carried), {token-head} (its first 12 characters),
	// {token-tail} (its last 9), {token-split} (the token with a line
	// break in the middle), {token-split-json} (the same as a JSON string
	// escape) and {token-zw} (with a zero-width space).
	Status int
	Body   string
	Header map[string]string
	Size   int    // Huge: the answer's size in bytes
	Bill   bool   // a create answered so still makes (and bills) its task
	Target string // Redirect: "other" or an absolute URL prefix
}

// Shape says how result images appear in a task's data.
type Shape int

const (
	ShapeSlots         Shape = iota // image_1..image_4, "" beyond the batch
	ShapeURL                        // data.image: one URL string (the first image only)
	ShapeList                       // data.image: a list of URLs
	ShapeBase64                     // data.image: a list of base64 PNGs (return_type 2)
	ShapeBase64Slots                // image_1..image_4 holding base64 PNGs
	ShapeDataURI                    // data.image: a list of data: URIs
	ShapeRelative                   // data.image: a list of paths ("/results/ID/1.png")
	ShapeRelativeNoExt              // data.image: a list of paths without extension ("/results/ID/1")
)

// Step is one answer of a task while it works.
type Step struct {
	State    int
	Progress int
	Detail   string // "" for none; placeholders as in Fault.Body
}

// Config is how a Server behaves when it does not inject a fault.
type Config struct {
	// Token is the one accepted bearer token ("" accepts any).
	Token string
	// Shape of the results in a done task.
	Shape Shape
	// Steps are the answers to the polls of a task before its final
	// answer; with Forever the last step is repeated for ever (a task
	// stuck processing, or in a state no client knows).
	Steps   []Step
	Forever bool
	// Final is the final state: 0 means 1 (done); a negative state is a
	// failure with FinalDetail (placeholders as in Fault.Body).
	Final       int
	FinalDetail string
	// IgnoreSync answers a sync create as an async one.
	IgnoreSync bool
	// ExtraLinks adds result links beyond the batch size (ShapeList).
	ExtraLinks int
	// LinkQuery is appended to result links (placeholders as in
	// Fault.Body), e.g. "?sig={token}" for a host that puts the token in
	// its links.
	LinkQuery string
	// ImageWidth × ImageHeight of the results (default 64 × 48).
	ImageWidth, ImageHeight int
	// Faults for each route, used in order; when a list is used up the
	// answers are normal.
	Create, Poll, Result []Fault
	// ResultSlot holds faults for the downloads of one result (by its
	// 1-based number) only; they come before Result's.
	ResultSlot map[int][]Fault
}

// Server is the fault-injecting service. It is an http.Handler.
type Server struct {
	cfg  Config
	quit chan struct{}
	once sync.Once

	mu        sync.Mutex
	tasks     map[string]*task
	seq       int
	cursor    map[string]*cursor // per route
	delivered map[string]bool    // sha256 of every image sent in full
	leaks     []string

	uploads   atomic.Int64 // create bodies read in full, not refused with 429
	billed    atomic.Int64 // tasks made
	posts     atomic.Int64 // create requests seen
	polls     atomic.Int64
	downloads atomic.Int64
	injected  atomic.Int64
	byKind    sync.Map // Kind -> *atomic.Int64

	// Set by Start/StartTLS.
	URL, OtherURL string
	tlsMain       bool
	run           *running
}

type task struct {
	id     string
	batch  int
	polls  int
	images [][]byte
}

type cursor struct {
	i    int // index in the fault list
	used int // answers given by faults[i]
}

// New makes a server; use it as an http.Handler or run it with Start.
func New(cfg Config) *Server {
	if cfg.ImageWidth <= 0 || cfg.ImageHeight <= 0 {
		cfg.ImageWidth, cfg.ImageHeight = 64, 48
	}
	if cfg.Final == 0 {
		cfg.Final = 1
	}
	return &Server{cfg: cfg, quit: make(chan struct{}), tasks: map[string]*task{},
		cursor: map[string]*cursor{}, delivered: map[string]bool{}}
}

// Creates is how many create requests reached the server whole, not
// counting those answered 429 (which make no task): more than one for a
// single run is a duplicate create.
func (s *Server) Creates() int { return int(s.uploads.Load()) }

// Billed is how many tasks were made (each would be billed).
func (s *Server) Billed() int { return int(s.billed.Load()) }

// CreateRequests is how many create requests began to arrive.
func (s *Server) CreateRequests() int { return int(s.posts.Load()) }

// Polls and Downloads count requests to those routes.
func (s *Server) Polls() int     { return int(s.polls.Load()) }
func (s *Server) Downloads() int { return int(s.downloads.Load()) }

// Injected is how many answers were faults.
func (s *Server) Injected() int { return int(s.injected.Load()) }

// InjectedByKind counts the faults injected by kind.
func (s *Server) InjectedByKind() map[Kind]int {
	out := map[Kind]int{}
	s.byKind.Range(func(k, v any) bool {
		out[k.(Kind)] = int(v.(*atomic.Int64).Load())
		return true
	})
	return out
}

// Delivered returns every result image the server sent in full (by a
// whole download, or inline in a whole answer), keyed by Digest.
func (s *Server) Delivered() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]bool, len(s.delivered))
	for k := range s.delivered {
		out[k] = true
	}
	return out
}

// Leaks lists requests that carried an Authorization header where it must
// not go: to the other server, or over plain http while the service is
// https.
func (s *Server) Leaks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.leaks...)
}

// Digest names image data in Delivered.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// ServeHTTP answers as the service would, or with the next fault.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, false)
}

type otherKey struct{}

// serve handles a request; other says it came to the other server.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, other bool) {
	if other {
		r = r.WithContext(context.WithValue(r.Context(), otherKey{}, true))
	}
	if auth := r.Header.Get("Authorization"); auth != "" && (other || (s.tlsMain && r.TLS == nil)) {
		s.mu.Lock()
		s.leaks = append(s.leaks, r.Method+" "+r.URL.Path+" on "+r.Host)
		s.mu.Unlock()
	}
	path := r.URL.Path
	switch {
	case r.Method == http.MethodPost && path == "/task/pic/background" && !other:
		s.posts.Add(1)
		s.handleCreate(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/task/"):
		s.polls.Add(1)
		s.handlePoll(w, r, strings.TrimPrefix(path, "/task/"), !other)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/results/"):
		s.downloads.Add(1)
		s.handleResult(w, r, strings.TrimPrefix(path, "/results/"))
	default:
		http.NotFound(w, r)
	}
}

// next returns the fault for the next request on route.
func (s *Server) next(route string, faults []Fault) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cursor[route]
	if c == nil {
		c = &cursor{}
		s.cursor[route] = c
	}
	for c.i < len(faults) {
		f := faults[c.i]
		if f.Times == 0 || c.used < f.Times {
			c.used++
			return f
		}
		c.i, c.used = c.i+1, 0
	}
	return Fault{Kind: Pass}
}

func (s *Server) count(k Kind) {
	if k == Pass {
		return
	}
	s.injected.Add(1)
	v, _ := s.byKind.LoadOrStore(k, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.Token == "" || r.Header.Get("Authorization") == "Bearer "+s.cfg.Token {
		return true
	}
	writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]any{
		"message": "invalid token", "type": "invalid_request_error", "code": "invalid_api_key"}})
	return false
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	f := s.next("create", s.cfg.Create)
	s.count(f.Kind)
	switch f.Kind {
	case StallUpload, ResetMidUpload:
		io.CopyN(io.Discard, r.Body, max(r.ContentLength/3, 1))
		if f.Kind == ResetMidUpload {
			s.reset(w, false)
			return
		}
		s.hang(r)
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"status": 400, "message": "bad form: " + err.Error()})
		return
	}
	defer r.MultipartForm.RemoveAll()
	if f.Kind != Status || f.Status != http.StatusTooManyRequests {
		s.uploads.Add(1)
	}
	if !s.authorized(w, r) {
		return
	}
	batch, err := strconv.Atoi(r.FormValue("batch_size"))
	if err != nil || batch < 1 || batch > 4 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"status": 400, "message": "batch_size must be 1 to 4"})
		return
	}
	if f.Kind == Pass || f.Bill {
		t := s.newTask(batch)
		r = withTask(r, t.id)
		if f.Kind == Pass {
			sync := r.FormValue("sync") == "1" && !s.cfg.IgnoreSync && !s.cfg.Forever
			if sync {
				s.answer(w, r, f, s.finalData(t, r), t)
				return
			}
			s.answer(w, r, f, map[string]any{"task_id": t.id, "state": 0}, nil)
			return
		}
	}
	s.answer(w, r, f, map[string]any{"task_id": "never-made", "state": 0}, nil)
}

func (s *Server) handlePoll(w http.ResponseWriter, r *http.Request, id string, main bool) {
	f := s.next("poll", s.cfg.Poll)
	s.count(f.Kind)
	if main && f.Kind != Redirect && !s.authorized(w, r) {
		return
	}
	s.mu.Lock()
	t := s.tasks[id]
	var data map[string]any
	if t != nil {
		if f.Kind == Pass || f.Kind == StallAfterHeaders || f.Kind == ResetMidBody || f.Kind == Truncate || f.Kind == Huge {
			t.polls++
		}
		n := t.polls
		s.mu.Unlock()
		data = s.pollData(t, n, r)
	} else {
		s.mu.Unlock()
	}
	if t == nil && (f.Kind == Pass || f.Kind == Huge) {
		writeJSON(w, http.StatusNotFound, map[string]any{"status": 404, "message": "task not found"})
		return
	}
	r = withTask(r, id)
	var keep *task
	if data != nil && data["state"] == 1 {
		keep = t
	}
	s.answer(w, r, f, data, keep)
}

// pollData is a task's n-th poll answer (n from 1).
func (s *Server) pollData(t *task, n int, r *http.Request) map[string]any {
	n = max(n, 1)
	if n <= len(s.cfg.Steps) || (s.cfg.Forever && len(s.cfg.Steps) > 0) {
		st := s.cfg.Steps[min(n, len(s.cfg.Steps))-1]
		d := map[string]any{"task_id": t.id, "state": st.State, "progress": st.Progress, "state_detail": s.fill(st.Detail, r)}
		return d
	}
	return s.finalData(t, r)
}

// finalData is a task's last answer: done with its results, or failed.
func (s *Server) finalData(t *task, r *http.Request) map[string]any {
	d := map[string]any{"task_id": t.id, "state": s.cfg.Final, "progress": 100,
		"image_width": s.cfg.ImageWidth, "image_height": s.cfg.ImageHeight}
	if s.cfg.Final < 0 {
		d["state_detail"] = s.fill(s.cfg.FinalDetail, r)
		d["err_info"] = s.fill(s.cfg.FinalDetail, r)
		d["progress"] = 0
		return d
	}
	d["state_detail"] = "Complete"
	query := s.fill(s.cfg.LinkQuery, r)
	link := func(i int, ext string) string {
		return fmt.Sprintf("%s/results/%s/%d%s%s", s.base(r), t.id, i+1, ext, query)
	}
	b64 := func(i int) string { return base64.StdEncoding.EncodeToString(t.images[i]) }
	var list []string
	for i := range t.batch {
		switch s.cfg.Shape {
		case ShapeSlots:
			d[fmt.Sprintf("image_%d", i+1)] = link(i, ".png")
		case ShapeBase64Slots:
			d[fmt.Sprintf("image_%d", i+1)] = b64(i)
		case ShapeURL, ShapeList:
			list = append(list, link(i, ".png"))
		case ShapeBase64:
			list = append(list, b64(i))
		case ShapeDataURI:
			list = append(list, "data:image/png;base64,"+b64(i))
		case ShapeRelative:
			list = append(list, fmt.Sprintf("/results/%s/%d.png", t.id, i+1))
		case ShapeRelativeNoExt:
			list = append(list, fmt.Sprintf("/results/%s/%d", t.id, i+1))
		}
	}
	for i := t.batch; i < 4 && (s.cfg.Shape == ShapeSlots || s.cfg.Shape == ShapeBase64Slots); i++ {
		d[fmt.Sprintf("image_%d", i+1)] = ""
	}
	for i := range s.cfg.ExtraLinks {
		list = append(list, fmt.Sprintf("%s/results/%s/extra-%d.png", s.base(r), t.id, i+1))
	}
	switch {
	case s.cfg.Shape == ShapeURL:
		d["image"] = list[0]
	case list != nil:
		d["image"] = list
	}
	if s.cfg.Shape == ShapeBase64 || s.cfg.Shape == ShapeBase64Slots || s.cfg.Shape == ShapeDataURI {
		d["return_type"] = 2
	}
	return d
}

func (s *Server) handleResult(w http.ResponseWriter, r *http.Request, rest string) {
	id, name, _ := strings.Cut(rest, "/")
	num, _ := strings.CutSuffix(name, ".png")
	n, err := strconv.Atoi(num)
	f := s.next(fmt.Sprintf("result/%d", n), s.cfg.ResultSlot[n])
	if f.Kind == Pass {
		f = s.next("result", s.cfg.Result)
	}
	s.count(f.Kind)
	s.mu.Lock()
	t := s.tasks[id]
	s.mu.Unlock()
	r = withTask(r, id)
	if t == nil || err != nil || n < 1 || n > len(t.images) {
		if f.Kind == Pass {
			http.Error(w, "no such result", http.StatusNotFound)
			return
		}
		s.raw(w, r, f, []byte("no such result"), "text/plain", nil)
		return
	}
	img := t.images[n-1]
	s.raw(w, r, f, img, "image/png", img)
}

// answer sends a JSON task answer, or the fault instead. done, when not
// nil, is a finished task whose inline images this answer delivers.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, f Fault, data map[string]any, done *task) {
	if f.Kind == Huge {
		body, _ := json.Marshal(map[string]any{"status": 200, "data": data})
		pad := max(f.Size-len(body)-10, 0)
		body = append([]byte(`{"pad":"`+strings.Repeat("x", pad)+`",`), body[1:]...)
		s.raw(w, r, Fault{Kind: Pass}, body, "application/json", nil)
		return
	}
	body, _ := json.Marshal(map[string]any{"status": 200, "data": data})
	var inline [][]byte
	if done != nil && (s.cfg.Shape == ShapeBase64 || s.cfg.Shape == ShapeBase64Slots || s.cfg.Shape == ShapeDataURI) {
		inline = done.images
	}
	s.raw(w, r, f, body, "application/json", inline...)
}

// raw sends body with its content type, or the fault instead; delivered
// names the images a whole body hands over.
func (s *Server) raw(w http.ResponseWriter, r *http.Request, f Fault, body []byte, ctype string, delivered ...[]byte) {
	switch f.Kind {
	case Hang:
		if r.Method == http.MethodPost {
			io.Copy(io.Discard, r.Body)
		}
		s.hang(r)
		return
	case Reset:
		if r.Method == http.MethodPost {
			io.Copy(io.Discard, r.Body)
		}
		s.reset(w, false)
		return
	case Status:
		for k, v := range f.Header {
			w.Header().Set(k, s.fill(v, r))
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", sniffType(f.Body))
		}
		w.WriteHeader(f.Status)
		io.WriteString(w, s.fill(f.Body, r))
		return
	case Redirect:
		if other, _ := r.Context().Value(otherKey{}).(bool); other {
			break // the other server answers normally: no redirect loops
		}
		target := f.Target
		if target == "other" {
			target = s.OtherURL
		}
		http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusFound)
		return
	case Endless:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		start := f.Body
		if start == "" {
			start = `{"status":200,"data":{"task_id":"x","pad":"`
		}
		io.WriteString(w, s.fill(start, r))
		filler := []byte(strings.Repeat("A", 32<<10))
		for {
			if _, err := w.Write(filler); err != nil {
				return
			}
			select {
			case <-s.quit:
				return
			case <-r.Context().Done():
				return
			default:
			}
		}
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	switch f.Kind {
	case StallAfterHeaders:
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/3])
		w.(http.Flusher).Flush()
		s.hang(r)
		return
	case ResetMidBody, Truncate:
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		s.reset(w, f.Kind == Truncate)
		return
	}
	// Counted as delivered before the write, so that a client that has
	// the image never finds it missing; taken back if the write fails.
	s.deliver(delivered, true)
	if _, err := w.Write(body); err != nil {
		s.deliver(delivered, false)
		return
	}
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
}

func (s *Server) deliver(images [][]byte, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, img := range images {
		if img == nil {
			continue
		}
		if on {
			s.delivered[Digest(img)] = true
		} else {
			delete(s.delivered, Digest(img))
		}
	}
}

// hang holds the request until the client leaves or the server closes.
func (s *Server) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.quit:
	}
}

func sniffType(body string) string {
	t := strings.TrimSpace(body)
	switch {
	case strings.HasPrefix(t, "{"):
		return "application/json"
	case strings.HasPrefix(t, "<?xml"):
		return "application/xml"
	case strings.HasPrefix(t, "<"):
		return "text/html; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
