package faultserver

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Start runs s on a loopback port over plain http, with the other server
// (a redirect target on another port) beside it. Close stops both.
func (s *Server) Start() *Server {
	return s.start(false)
}

// StartTLS runs s over https (a self-signed certificate: use Client), with
// the other server on plain http, so that a redirect to it leaves https.
func (s *Server) StartTLS() *Server {
	return s.start(true)
}

type running struct {
	main, other *httptest.Server
}

func (s *Server) start(tls bool) *Server {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, true) }))
	var main *httptest.Server
	if tls {
		main = httptest.NewTLSServer(s)
	} else {
		main = httptest.NewServer(s)
	}
	s.URL, s.OtherURL, s.tlsMain = main.URL, other.URL, tls
	s.run = &running{main: main, other: other}
	return s
}

// Client returns an *http.Client that trusts the server's certificate
// (http.DefaultClient's behaviour otherwise); nil before Start.
func (s *Server) Client() *http.Client {
	if s.run == nil {
		return nil
	}
	return s.run.main.Client()
}

// Close releases every held request and stops the listeners.
func (s *Server) Close() {
	s.once.Do(func() { close(s.quit) })
	if s.run != nil {
		s.run.main.CloseClientConnections()
		s.run.other.CloseClientConnections()
		s.run.main.Close()
		s.run.other.Close()
	}
}

// reset ends the connection of w without a proper answer: a TCP reset, or
// with clean a normal close (the client sees the body end early).
func (s *Server) reset(w http.ResponseWriter, clean bool) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(fmt.Sprintf("faultserver: cannot hijack: %v", err))
	}
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && !clean {
		tc.SetLinger(0)
	}
	conn.Close()
}

// newTask makes (and bills) a task with its result images.
func (s *Server) newTask(batch int) *task {
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	t := &task{id: fmt.Sprintf("task-%d-%08x", seq, uint32(seq)*2654435761), batch: batch}
	for i := range batch {
		t.images = append(t.images, makeImage(seq, i, s.cfg.ImageWidth, s.cfg.ImageHeight))
	}
	s.mu.Lock()
	s.tasks[t.id] = t
	s.mu.Unlock()
	s.billed.Add(1)
	return t
}

// images caches makeImage: encoding is slow under the race detector, and
// every server's task n has the same images.
var images sync.Map // imageKey -> []byte

type imageKey struct{ seq, slot, w, h int }

// makeImage is a PNG of noise (so that it does not compress to nothing),
// different for every task and slot of a server.
func makeImage(seq, slot, w, h int) []byte {
	key := imageKey{seq, slot, w, h}
	if data, ok := images.Load(key); ok {
		return data.([]byte)
	}
	data := encodeImage(seq, slot, w, h)
	images.Store(key, data)
	return data
}

func encodeImage(seq, slot, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	x := uint32(seq*7919 + slot*104729 + 1)
	for i := 0; i < len(img.Pix); i += 4 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = byte(x), byte(x>>8), byte(x>>16), 255
	}
	img.SetNRGBA(0, 0, color.NRGBA{byte(seq), byte(slot), 0, 255})
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.NoCompression}
	enc.Encode(&buf, img)
	return buf.Bytes()
}

type taskKey struct{}

// withTask remembers the task id a request is about, for {id}.
func withTask(r *http.Request, id string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), taskKey{}, id))
}

// fill replaces the placeholders of Fault.Body in text.
func (s *Server) fill(text string, r *http.Request) string {
	if !strings.Contains(text, "{") {
		return text
	}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = s.cfg.Token
	}
	id, _ := r.Context().Value(taskKey{}).(string)
	half := len(token) / 2
	return strings.NewReplacer(
		"{id}", id,
		"{token}", token,
		"{token-head}", token[:min(12, len(token))],
		"{token-tail}", token[max(0, len(token)-9):],
		"{token-split-json}", token[:half]+`\n`+token[half:],
		"{token-split}", token[:half]+"\n"+token[half:],
		"{token-zw}", token[:half]+"\u200b"+token[half:],
	).Replace(text)
}

// base is the scheme and host the request came to, for absolute links.
func (s *Server) base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Blackhole listens on a loopback port and accepts connections but never
// reads or writes on them: a connect that succeeds and then nothing, not
// even a TLS handshake. Close releases the connections and the port.
type Blackhole struct {
	Addr string // host:port
	ln   net.Listener
	mu   sync.Mutex
	held []net.Conn
	done chan struct{}
}

// StartBlackhole starts a Blackhole.
func StartBlackhole() (*Blackhole, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &Blackhole{Addr: ln.Addr().String(), ln: ln, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b.mu.Lock()
			b.held = append(b.held, c)
			b.mu.Unlock()
		}
	}()
	return b, nil
}

// Close stops listening and drops every held connection.
func (b *Blackhole) Close() {
	b.ln.Close()
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.held {
		c.Close()
	}
}

// ClosedPort returns a loopback address where nothing listens.
func ClosedPort() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "127.0.0.1:1"
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
