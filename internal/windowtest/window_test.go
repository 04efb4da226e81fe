package windowtest

import (
	"fmt"
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
	s.waitFor("event finished")
	// Every variant was saved as it arrived; Ctrl+Shift+S says where.
	s.xdo("key", "ctrl+shift+s")
	s.waitFor("event saved")
	s.waitFor("status Already saved in " + s.out)
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
			s.waitAfter(from, "status box.png: Queued")
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
	s.waitAfter(from, "status Done: 2 variants")
}

// shotFolder writes n shots into a folder (one in a sub-folder) beside a
// note that is not an image.
func shotFolder(t *testing.T, n int) string {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "more"), 0o755)
	for i := range n {
		sub := dir
		if i == n-1 {
			sub = filepath.Join(dir, "more")
		}
		testshot.Write(t, sub, fmt.Sprintf("shot %02d.png", i), 120+i, 90)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("monday"), 0o644)
	return dir
}

// savedPerShot counts the images in the output folder by shot.
func savedPerShot(t *testing.T, out string) map[string]int {
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".png") {
			got[name[:strings.LastIndex(name, "-bg-")]]++
		}
	}
	return got
}

// TestAFolderGivenAtStartFillsTheQueue starts `backdrop DIR`: every image
// in it (sub-folders too) is queued, the note is listed as skipped, and
// Ctrl+Enter sends each shot once, every variant saved into the output
// folder.
func TestAFolderGivenAtStartFillsTheQueue(t *testing.T) {
	const n = 6
	dir := shotFolder(t, n)
	s := start(t, nil, dir)
	s.waitFor("skipped notes.txt: not an image")
	s.waitFor("event added")
	s.xdo("key", "Escape") // closes the list of skipped files
	from := s.mark()
	s.xdo("type", "--delay", "20", "walnut desk")
	s.xdo("key", "ctrl+Return")
	s.waitAfter(from, "event idle")
	got := savedPerShot(t, s.out)
	if len(got) != n {
		t.Fatalf("saved %v, want %d shots", got, n)
	}
	for shot, files := range got {
		if files != 2 {
			t.Fatalf("%s has %d files, want 2 (%v)", shot, files, got)
		}
	}
	creates := s.srv.Creates()
	for _, c := range creates {
		if c.Prompt != "walnut desk" {
			t.Fatalf("create %+v", c)
		}
	}
	if len(creates) != n {
		t.Fatalf("%d creates for %d shots", len(creates), n)
	}
}

// TestKilledMidQueueEveryShotEndsDoneOnce kills the window (SIGKILL) while
// its queue runs and starts it again: the tasks already made are fetched,
// the shots not sent come back paused and Ctrl+Enter sends them. Every
// shot ends with its two files, none twice, and the service saw one
// create per shot (a create that may have been billed is never re-sent
// by itself: such a shot is left to the designer).
func TestKilledMidQueueEveryShotEndsDoneOnce(t *testing.T) {
	const n = 8
	dir := shotFolder(t, n)
	// Each task answers "processing" for a few polls, so the kill lands
	// while some are at the service and others still wait.
	s := start(t, []contract.Option{contract.WithScript(make([]contract.Step, 4)...)}, dir)
	s.waitFor("event added")
	s.xdo("key", "Escape")
	s.xdo("type", "--delay", "20", "walnut desk")
	s.xdo("key", "ctrl+Return")
	deadline := time.Now().Add(60 * time.Second)
	for len(s.srv.Creates()) < 3 {
		if time.Now().After(deadline) {
			t.Fatal("the queue never got going")
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.kill()
	if got := savedPerShot(t, s.out); len(got) == n {
		t.Skip("every shot was done before the kill landed")
	}

	from := s.mark()
	s.launch()
	s.waitAfter(from, "event resumed")
	billed := 0
	for _, line := range s.events()[from:] {
		if strings.HasPrefix(line, "picked-up ") && strings.Contains(line, "may have been billed") {
			billed++
		}
	}
	s.xdo("key", "Escape")      // the list of what was picked up
	s.xdo("key", "ctrl+Return") // sends the shots that were waiting
	deadline = time.Now().Add(2 * time.Minute)
	for {
		got := savedPerShot(t, s.out)
		done := 0
		for _, files := range got {
			if files == 2 {
				done++
			}
		}
		if done >= n-billed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart: %v", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for shot, files := range savedPerShot(t, s.out) {
		if files != 2 {
			t.Fatalf("%s has %d files", shot, files)
		}
	}
	entries, _ := os.ReadDir(s.out)
	for _, e := range entries {
		if strings.Contains(e.Name(), "_2") {
			t.Fatalf("a variant was saved twice: %s", e.Name())
		}
	}
	perShot := map[string]int{}
	for _, c := range s.srv.Creates() {
		perShot[c.FileName]++
	}
	for shot, creates := range perShot {
		if creates != 1 {
			t.Fatalf("%s was created %d times (%v)", shot, creates, perShot)
		}
	}
	// A shot reported "may have been billed" was killed between its create
	// and the answer's record: its create may or may not have reached the
	// server, and it is never sent again by itself.
	if len(perShot) < n-billed || len(perShot) > n {
		t.Fatalf("creates %v, want one for each of the %d shots not reported billed (and at most one for the %d that were)", perShot, n-billed, billed)
	}
}
