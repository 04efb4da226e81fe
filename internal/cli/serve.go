package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"backdrop/internal/contract"
)

// Serve runs `backdrop serve`: the contract server on its own, with the
// offline engine painting the results, until ctx ends.
func Serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8787", "address to listen on")
	token := fs.String("token", "", "bearer token to accept (default: a new random one, printed)")
	quiet := fs.Bool("quiet", false, "do not log each request")
	rateLimit := fs.Int("rate-limit", 0, "answer creates past this many a second with 429 and Retry-After (0: no limit)")
	latency := fs.Duration("latency", 0, "each task answers \"processing\" this long after its create")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: backdrop serve [--addr HOST:PORT] [--token TOKEN] [--rate-limit N] [--latency D]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if *rateLimit < 0 || *latency < 0 {
		fmt.Fprintln(stderr, "backdrop serve: --rate-limit and --latency must not be negative")
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "backdrop serve: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	if *token == "" {
		*token = NewToken()
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "backdrop serve: %v\n", err)
		return ExitFailure
	}
	opts := []contract.Option{contract.WithToken(*token), contract.WithPainter(OfflinePainter())}
	if !*quiet {
		opts = append(opts, contract.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))))
	}
	srv := contract.New(opts...)
	defer srv.Close()
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "Backdrop contract server (offline engine) on %s\n", url)
	fmt.Fprintf(stdout, "token: %s\n", *token)
	fmt.Fprintf(stdout, "try:   BACKDROP_ENDPOINT=%s BACKDROP_TOKEN=%s backdrop generate --image shot.png --prompt \"white marble\"\n", url, *token)

	var handler http.Handler = srv
	if *rateLimit > 0 || *latency > 0 {
		handler = WithKnobs(srv, Knobs{RateLimit: *rateLimit, TaskLatency: *latency})
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "backdrop serve: %v\n", err)
		return ExitFailure
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hs.Shutdown(shutdown)
	return ExitOK
}

// NewToken makes a random token for a local server.
func NewToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "local-" + hex.EncodeToString(b)
}
