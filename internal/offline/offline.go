// Package offline runs the contract server inside the app, on a loopback
// port, so that with no API token the whole flow works on the built-in
// engine through exactly the same client code as the real service.
package offline

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"time"

	"backdrop/internal/contract"
)

// Label is how the window names this engine.
const Label = "Offline engine — studio backdrops, no AI"

// ResultTTL is how long the in-app server keeps images nobody downloaded.
const ResultTTL = 10 * time.Minute

// Server is a running in-process contract server.
type Server struct {
	URL   string
	Token string
	http  *http.Server
	srv   *contract.Server
}

// Start listens on a free loopback port.
func Start(painter contract.Painter) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	rand.Read(b)
	s := &Server{URL: "http://" + ln.Addr().String(), Token: "offline-" + hex.EncodeToString(b)}
	s.srv = contract.New(contract.WithToken(s.Token), contract.WithPainter(painter), contract.WithTaskTimeout(2*time.Minute),
		// Keep images only until the app has them: the job downloads
		// (and caches) them the moment the task ends. Requests are not
		// recorded (contract.WithRecords stays off).
		contract.WithDropServed(true), contract.WithResultTTL(ResultTTL))
	s.http = &http.Server{Handler: s.srv, ReadHeaderTimeout: 10 * time.Second}
	go s.http.Serve(ln)
	return s, nil
}

// Close stops the server and its running work.
func (s *Server) Close() {
	s.http.Close()
	s.srv.Close()
}
