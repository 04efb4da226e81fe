package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"backdrop/api"
	"backdrop/internal/output"
	"backdrop/internal/run"
)

// Stdin is where --token-file - reads the token; a variable for tests.
var Stdin io.Reader = os.Stdin

// session holds what generate and fetch share: the flags that reach the
// service, place the files and shape the queue, the library, and the
// console they print on.
type session struct {
	endpoint  string
	token     string
	tokenFile string
	outDir    string
	json      bool
	timeout   time.Duration
	cacheDir  string
	con       *console

	jobs       int     // items at the service at once
	rate       float64 // creates per second the service allows
	noLibrary  bool
	dailyCap   int
	libraryDir string // from BACKDROP_LIBRARY; "" means the usual folder
}

// register adds the shared flags to fs.
func (s *session) register(fs *flag.FlagSet, env func(string) string) {
	fs.StringVar(&s.outDir, "out", ".", "folder to write the images into (created if needed)")
	fs.StringVar(&s.endpoint, "endpoint", firstSet(env("BACKDROP_ENDPOINT"), api.DefaultBaseURL), "service base URL (or BACKDROP_ENDPOINT)")
	fs.StringVar(&s.token, "token", "", "API token (or BACKDROP_TOKEN; --token-file keeps it out of the process list)")
	fs.StringVar(&s.tokenFile, "token-file", "", "read the API token from this file, or from standard input with -")
	fs.BoolVar(&s.json, "json", false, "print one JSON object describing the results on stdout")
	fs.DurationVar(&s.timeout, "timeout", run.DefaultRunTimeout, "give up on a shot (create, wait, downloads) after this long")
	fs.BoolVar(&s.noLibrary, "no-library", false, "do not record the runs in the library (skip-done is then kept in the output folder)")
	s.libraryDir = env("BACKDROP_LIBRARY")
}

// registerQueue adds the flags that shape the queue.
func (s *session) registerQueue(fs *flag.FlagSet) {
	fs.IntVar(&s.jobs, "jobs", run.DefaultMaxInFlight, "shots at the service at once (the rate, not this, bounds throughput)")
	fs.Float64Var(&s.rate, "rate", run.DefaultRate, "creates per second the service allows; the queue stays below it")
	fs.IntVar(&s.dailyCap, "daily-cap", 0, "stop sending once this many images were billed today (counted in the library; 0: no cap)")
}

// settleQueue checks the queue's flags.
func (s *session) settleQueue() error {
	switch {
	case s.jobs < 1:
		return fmt.Errorf("--jobs must be at least 1 (got %d)", s.jobs)
	case !(s.rate > 0) || s.rate > 1000:
		return fmt.Errorf("--rate must be a number of creates per second above 0 (got %v)", s.rate)
	case s.dailyCap < 0:
		return fmt.Errorf("--daily-cap must not be negative (got %d)", s.dailyCap)
	case s.dailyCap > 0 && s.noLibrary:
		return errors.New("--daily-cap counts in the library: it cannot go with --no-library")
	}
	return nil
}

// settle checks the shared flags once parsed and finds the token: --token,
// --token-file, then BACKDROP_TOKEN.
func (s *session) settle(ctx context.Context, env func(string) string) error {
	if s.timeout <= 0 {
		return fmt.Errorf("--timeout must be positive (got %v)", s.timeout)
	}
	if s.token != "" && s.tokenFile != "" {
		return errors.New("give the token with --token or --token-file, not both")
	}
	if s.tokenFile != "" {
		t, err := readToken(ctx, s.tokenFile)
		if err != nil {
			return err
		}
		s.token = t
	}
	if s.token == "" {
		s.token = env("BACKDROP_TOKEN")
	}
	s.token = strings.TrimSpace(s.token)
	s.con.setToken(s.token)
	if s.token == "" {
		return errors.New("no API token: pass --token-file, --token or set BACKDROP_TOKEN")
	}
	if strings.ContainsAny(s.token, "\r\n\x00") {
		return errors.New("the API token holds a line break; give one token on one line")
	}
	s.cacheDir = cacheDir(env)
	return nil
}

// maxTokenFile bounds what is read of a token file: a token is short.
const maxTokenFile = 64 << 10

// readToken reads the token from path ("-" for standard input), giving up
// when ctx ends: a pipe that is never written must not make Ctrl-C useless.
func readToken(ctx context.Context, path string) (string, error) {
	type answer struct {
		token string
		err   error
	}
	done := make(chan answer, 1)
	go func() {
		var r io.Reader = Stdin
		if path != "-" {
			f, err := os.Open(path)
			if err != nil {
				done <- answer{err: fmt.Errorf("cannot read the token file: %v", plainPathError(err))}
				return
			}
			defer f.Close()
			r = f
		}
		data, err := io.ReadAll(io.LimitReader(r, maxTokenFile))
		if err != nil {
			done <- answer{err: fmt.Errorf("cannot read the token file: %v", plainPathError(err))}
			return
		}
		line, _, _ := strings.Cut(string(data), "\n")
		done <- answer{token: strings.TrimSpace(line)}
	}()
	select {
	case a := <-done:
		if a.err == nil && a.token == "" {
			a.err = fmt.Errorf("the token file %s is empty", path)
		}
		return a.token, a.err
	case <-ctx.Done():
		return "", errors.New("cancelled while reading the token")
	}
}

// cacheDir is where results are kept the moment they arrive.
func cacheDir(env func(string) string) string {
	if x := env("XDG_CACHE_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "backdrop", "results")
	}
	return run.DefaultCacheDir()
}

// checkFolders makes sure, before anything is paid for, that results can
// be kept in the cache and saved in the output folder.
func (s *session) checkFolders() error {
	if err := output.CheckDir(s.outDir); err != nil {
		return fmt.Errorf("--out: %v", err)
	}
	if err := output.CheckDir(s.cacheDir); err != nil {
		return fmt.Errorf("the cache folder, where results are kept as they arrive: %v (set XDG_CACHE_HOME to use another)", err)
	}
	return nil
}

// parseInterleaved parses flags that may come before or after positional
// arguments ("fetch ID --out DIR" as well as "fetch --out DIR ID").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// tokenInArgs finds a token given on the command line before the flags are
// parsed, so that even a flag error prints none of it.
func tokenInArgs(args []string) string {
	for i, a := range args {
		switch {
		case a == "--token" || a == "-token":
			if i+1 < len(args) {
				return args[i+1]
			}
		case strings.HasPrefix(a, "--token="):
			return strings.TrimPrefix(a, "--token=")
		case strings.HasPrefix(a, "-token="):
			return strings.TrimPrefix(a, "-token=")
		}
	}
	return ""
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Getenv is the environment lookup the commands use outside tests.
var Getenv = os.Getenv

// plainPathError drops the path an *fs.PathError repeats.
func plainPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
