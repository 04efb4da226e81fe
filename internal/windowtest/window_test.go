package windowtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

func TestKeyboardFlowInARealWindow(t *testing.T) {
	shot := testshot.Write(t, t.TempDir(), "blue box.png", 200, 160)
	s := start(t, nil, shot)
	s.waitFor("event loaded")
	prompt := "white marble tabletop"
	s.xdo("type", "--delay", "20", prompt)
	s.waitFor("status Loaded blue box.png")
	s.xdo("key", "ctrl+Return")
	s.xdo("key", "ctrl+shift+s")
	s.waitFor("event saved")
	for _, name := range []string{"blue box-bg-1.png", "blue box-bg-2.png"} {
		if _, err := os.Stat(filepath.Join(s.out, name)); err != nil {
			entries, _ := os.ReadDir(s.out)
			t.Fatalf("%s was not saved (found %v)", name, entries)
		}
	}
	creates := s.srv.Creates()
	if len(creates) != 1 || creates[0].Prompt != prompt || creates[0].BatchSize != 2 {
		t.Fatalf("server saw %+v", creates)
	}
}

// xclip puts data on the clipboard of the session's display as target and
// keeps serving it (in the foreground, so that the test can end it).
func (s *session) xclip(target string, data []byte) {
	s.t.Helper()
	need(s.t, "xclip")
	cmd := exec.CommandContext(s.ctx, "xclip", "-quiet", "-selection", "clipboard", "-t", target, "-i")
	cmd.Env = s.env
	cmd.Stdin = strings.NewReader(string(data))
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// xclip owns the selection once it answers a request for it.
	for {
		probe := exec.CommandContext(s.ctx, "xclip", "-selection", "clipboard", "-t", "TARGETS", "-o")
		probe.Env = s.env
		if out, err := probe.Output(); err == nil && strings.Contains(string(out), target) {
			return
		}
		if s.ctx.Err() != nil {
			s.t.Fatal("xclip never owned the clipboard")
		}
	}
}

func TestCtrlVPastesAnImageAndACopiedFile(t *testing.T) {
	dir := t.TempDir()
	s := start(t, nil)

	// An image (as a browser or an editor copies one), with the prompt
	// focused: Ctrl+V loads it rather than pasting text.
	image, err := os.ReadFile(testshot.Write(t, dir, "copied.png", 320, 200))
	if err != nil {
		t.Fatal(err)
	}
	s.xclip("image/png", image)
	from := s.mark()
	s.xdo("key", "ctrl+v")
	s.waitAfter(from, "event loaded")
	if line := s.waitAfter(from, "status Loaded pasted-"); !strings.HasSuffix(line, ".png.") {
		t.Fatalf("status %q", line)
	}

	// A file copied in a file manager (GNOME's target, then the plain
	// URI list): that file is opened.
	first := testshot.Write(t, dir, "first shot.png", 240, 180)
	s.xclip("x-special/gnome-copied-files", []byte("copy\nfile://"+strings.ReplaceAll(first, " ", "%20")))
	from = s.mark()
	s.xdo("key", "ctrl+v")
	s.waitAfter(from, "status Loaded first shot.png")

	second := testshot.Write(t, dir, "second.png", 240, 180)
	s.xclip("text/uri-list", []byte("file://"+second+"\r\n"))
	from = s.mark()
	s.xdo("key", "ctrl+v")
	s.waitAfter(from, "status Loaded second.png")

	// Text, with the prompt focused: it goes into the prompt.
	s.xclip("UTF8_STRING", []byte("soft shadow"))
	from = s.mark()
	s.xdo("key", "ctrl+v")
	s.waitAfter(from, "event pasted-text")
	s.xdo("key", "ctrl+Return")
	s.waitAfter(from, "event finished")
	if creates := s.srv.Creates(); len(creates) != 1 || creates[0].Prompt != "soft shadow" {
		t.Fatalf("server saw %+v", creates)
	}
}

// TestEscCancelsFromEveryFocusableWidget starts a run that never ends,
// moves the focus on with Tab, presses Esc and checks the run stopped;
// round the focus cycle of the gallery and then of Compare.
func TestEscCancelsFromEveryFocusableWidget(t *testing.T) {
	shot := testshot.Write(t, t.TempDir(), "box.png", 200, 160)
	s := start(t, []contract.Option{contract.WithScript(make([]contract.Step, 1_000_000)...)}, shot)
	s.waitFor("event loaded")
	s.xdo("type", "--delay", "20", "linen")
	seen := map[string]int{}
	for _, view := range []string{"ctrl+g", "ctrl+k"} {
		s.xdo("key", view)
		// Thirty steps go round the whole focus cycle of either view.
		for i := 0; i < 30; i++ {
			from := s.mark()
			s.xdo("key", "ctrl+Return")
			s.waitAfter(from, "status Queued")
			s.xdo("key", "Escape")
			line := s.waitAfter(from, "escape ")
			s.waitAfter(from, "status Cancelled.")
			s.waitAfter(from, "event finished")
			seen[strings.TrimPrefix(line, "escape ")]++
			s.xdo("key", "Tab")
		}
	}
	for _, want := range []string{"*keyed.Entry", "*keyed.Slider", "*ui.tipButton", "*keyed.Button", "*keyed.Select", "*keyed.Hyperlink", "*compare.View"} {
		if seen[want] == 0 {
			t.Errorf("Esc was never tried from a %s (saw %v)", want, seen)
		}
	}
	t.Logf("Esc cancelled from: %v", seen)
	if n := len(s.srv.Creates()); n < 5 {
		t.Fatalf("only %d runs were started", n)
	}
}

// TestWindowKeepsItsMinimumSize shrinks the window below its minimum (no
// window manager enforces it under Xvfb) and checks it comes back to
// 900×600, then that it works there.
func TestWindowKeepsItsMinimumSize(t *testing.T) {
	shot := testshot.Write(t, t.TempDir(), "small.png", 200, 160)
	s := start(t, nil, shot)
	s.waitFor("event loaded")
	s.xdo("windowsize", s.win, "640", "420")
	s.waitFor("status The window is kept at its minimum size.")
	deadline := time.Now().Add(30 * time.Second)
	for {
		w, h := s.geometry()
		if w >= 900 && h >= 600 && w <= 910 && h <= 610 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window is %dx%d, want its minimum, about 900x600", w, h)
		}
		time.Sleep(50 * time.Millisecond)
	}
	from := s.mark()
	s.xdo("type", "--delay", "20", "paper")
	s.xdo("key", "ctrl+Return")
	s.waitAfter(from, "status Done: 2 variants.")
}
