package windowtest

import (
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
	"testing"
	"time"

	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

const token = "sk-window-test"

// need skips when a tool is missing; `make test` installs them.
func need(t *testing.T, tools ...string) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs it)", tool)
		}
	}
}

// startXvfb runs a virtual display and returns its DISPLAY value.
func startXvfb(t *testing.T) string {
	for n := 90 + os.Getpid()%100; ; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		cmd := exec.Command("Xvfb", fmt.Sprintf(":%d", n), "-screen", "0", "1440x900x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		display := fmt.Sprintf(":%d", n)
		for i := 0; i < 100; i++ {
			if exec.Command("xdotool", "getmouselocation").Run() == nil || fileExists(fmt.Sprintf("/tmp/.X11-unix/X%d", n)) {
				return display
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("Xvfb did not start")
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func buildBinary(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	bin := filepath.Join(t.TempDir(), "backdrop")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func TestKeyboardFlowInARealWindow(t *testing.T) {
	need(t, "Xvfb", "xdotool")
	bin := buildBinary(t)
	display := startXvfb(t)

	srv := contract.New(contract.WithToken(token), contract.WithRecords(true))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv)
	hs.Listener = ln
	hs.Start()
	defer hs.Close()
	defer srv.Close()

	dir := t.TempDir()
	shot := testshot.Write(t, dir, "blue box.png", 200, 160)
	out := filepath.Join(dir, "out")
	home := filepath.Join(dir, "home")
	for _, sub := range []string{".config", ".cache"} {
		os.MkdirAll(filepath.Join(home, sub), 0o755)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	app := exec.CommandContext(ctx, bin, "--endpoint", hs.URL, "--token", token, "--out", out, shot)
	env := append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
	app.Env = env
	var logs bytes.Buffer
	app.Stdout, app.Stderr = &logs, &logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		app.Process.Kill()
		app.Wait()
		if t.Failed() {
			t.Logf("app output:\n%s", logs.String())
		}
	}()

	xdo := func(args ...string) string {
		cmd := exec.CommandContext(ctx, "xdotool", args...)
		cmd.Env = env
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, b)
		}
		return strings.TrimSpace(string(b))
	}
	win := strings.Fields(xdo("search", "--sync", "--onlyvisible", "--name", "^Backdrop$"))[0]
	// Xvfb has no window manager: the only window has the keyboard.
	xdo("mousemove", "--window", win, "600", "20")
	time.Sleep(500 * time.Millisecond) // let the first frame and the loaded shot settle
	prompt := "white marble tabletop"
	xdo("type", "--delay", "20", prompt)
	xdo("key", "ctrl+Return")
	xdo("key", "ctrl+shift+s")

	deadline := time.Now().Add(60 * time.Second)
	want := []string{"blue box-bg-1.png", "blue box-bg-2.png"}
	for {
		missing := 0
		for _, name := range want {
			if !fileExists(filepath.Join(out, name)) {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(out)
			t.Fatalf("variants did not arrive in %s (found %v)", out, entries)
		}
		time.Sleep(100 * time.Millisecond)
	}
	creates := srv.Creates()
	if len(creates) != 1 || creates[0].Prompt != prompt || creates[0].BatchSize != 2 {
		t.Fatalf("server saw %+v", creates)
	}
}
