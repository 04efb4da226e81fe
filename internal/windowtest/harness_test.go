package windowtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"backdrop/internal/contract"
)

const token = "sk-window-test"

// need skips when a tool is missing, or fails under `make test`, which
// installs them.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("BACKDROP_WINDOW_TESTS") == "required" {
				t.Fatalf("%s is not installed: `make deps` installs it", tool)
			}
			t.Skipf("%s is not installed (make deps installs it)", tool)
		}
	}
}

// startXvfb runs a virtual display and returns its DISPLAY value. Xvfb
// picks a free display number itself and writes it on -displayfd once it
// accepts connections.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1440x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb did not start")
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb did not report its display")
	}
	return ""
}

var buildOnce struct {
	sync.Once
	bin string
	err error
	out []byte
}

// buildBinary builds backdrop once for all the tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		dir, err := os.MkdirTemp("", "backdrop-windowtest-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.bin = filepath.Join(dir, "backdrop")
		cmd := exec.Command("go", "build", "-o", buildOnce.bin, ".")
		cmd.Dir = root
		buildOnce.out, buildOnce.err = cmd.CombinedOutput()
	})
	if buildOnce.err != nil {
		t.Fatalf("build: %v\n%s", buildOnce.err, buildOnce.out)
	}
	return buildOnce.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildOnce.bin != "" {
		os.RemoveAll(filepath.Dir(buildOnce.bin))
	}
	os.Exit(code)
}

// session is one app running in its own Xvfb against a contract server.
type session struct {
	t       *testing.T
	ctx     context.Context
	env     []string
	srv     *contract.Server
	dir     string
	out     string
	log     string
	win     string
	bin     string
	url     string
	app     *exec.Cmd
	logs    bytes.Buffer
	display string
}

// start runs the app with args after the service flags.
func start(t *testing.T, srvOpts []contract.Option, args ...string) *session {
	t.Helper()
	need(t, "Xvfb", "xdotool")
	s := &session{t: t, bin: buildBinary(t), display: startXvfb(t), dir: t.TempDir()}
	s.srv = contract.New(append([]contract.Option{contract.WithToken(token), contract.WithRecords(true)}, srvOpts...)...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(s.srv)
	hs.Listener = ln
	hs.Start()
	s.url = hs.URL
	t.Cleanup(func() { hs.Close(); s.srv.Close() })

	s.out = filepath.Join(s.dir, "out")
	s.log = filepath.Join(s.dir, "events.log")
	home := filepath.Join(s.dir, "home")
	for _, sub := range []string{".config", ".cache"} {
		os.MkdirAll(filepath.Join(home, sub), 0o755)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	s.ctx = ctx
	s.env = append(os.Environ(), "DISPLAY="+s.display, "LANG=en_US.UTF-8", "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"BACKDROP_EVENT_LOG="+s.log)
	s.launch(args...)
	return s
}

// launch runs the app with args after the service flags and waits until
// its window shows and the service answered.
func (s *session) launch(args ...string) {
	t := s.t
	t.Helper()
	from := s.mark()
	app := exec.CommandContext(s.ctx, s.bin, append([]string{"--endpoint", s.url, "--token", token, "--out", s.out}, args...)...)
	app.Env = s.env
	app.Stdout, app.Stderr = &s.logs, &s.logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	s.app = app
	t.Cleanup(func() {
		app.Process.Kill()
		app.Wait()
		if t.Failed() && app == s.app {
			events, _ := os.ReadFile(s.log)
			t.Logf("app output:\n%s\nevents:\n%s", s.logs.String(), events)
		}
	})
	s.win = strings.Fields(s.xdo("search", "--sync", "--onlyvisible", "--name", "Backdrop$"))[0]
	// Xvfb has no window manager: the only window has the keyboard once
	// the pointer is over it.
	s.xdo("mousemove", "--window", s.win, "700", "15")
	s.waitAfter(from, "event connected")
}

// kill ends the app at once, as a crash or `kill -9` would.
func (s *session) kill() {
	s.app.Process.Kill()
	s.app.Wait()
}

// xdo runs xdotool on the session's display.
func (s *session) xdo(args ...string) string {
	s.t.Helper()
	cmd := exec.CommandContext(s.ctx, "xdotool", args...)
	cmd.Env = s.env
	b, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("xdotool %v: %v\n%s", args, err, b)
	}
	return strings.TrimSpace(string(b))
}

// events is the event log so far, one entry a line.
func (s *session) events() []string {
	data, _ := os.ReadFile(s.log)
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// waitFor waits until a line of the event log starts with prefix and
// returns it. Lines already matched by an earlier wait still count, so
// use marks (see mark) to wait for a new one.
func (s *session) waitFor(prefix string) string {
	s.t.Helper()
	return s.waitAfter(0, prefix)
}

// mark is the number of log lines so far.
func (s *session) mark() int { return len(s.events()) }

// waitAfter waits for a line starting with prefix after line from.
func (s *session) waitAfter(from int, prefix string) string {
	s.t.Helper()
	deadline := time.Now().Add(90 * time.Second) // a hang guard; the machine may be busy
	for {
		lines := s.events()
		for i := from; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], prefix) {
				return lines[i]
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the window never logged %q after line %d", prefix, from)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// geometry is the window's size in pixels.
func (s *session) geometry() (int, int) {
	s.t.Helper()
	var w, h int
	for _, line := range strings.Split(s.xdo("getwindowgeometry", s.win), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "Geometry:" {
			fmt.Sscanf(f[1], "%dx%d", &w, &h)
		}
	}
	return w, h
}
