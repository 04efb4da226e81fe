package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"backdrop/internal/contract"
)

func TestGenerateCompareAndSaveAll(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "red box.png", 120, 90)
	h := newHarness(t, StartOptions{File: shot})
	w := h.w
	if w.source.info.Text != "red box.png · 120 × 90 px · "+strings.Split(w.source.info.Text, " · ")[2] {
		t.Fatalf("source info %q", w.source.info.Text)
	}
	if h.app.Driver().CanvasForObject(w.prompt.entry).Focused() != w.prompt.entry {
		t.Fatal("the prompt box is not focused at start")
	}
	test.Type(w.prompt.entry, "white marble, light from the left")
	if w.prompt.counter.Text != "33 / 1024" {
		t.Fatalf("counter %q", w.prompt.counter.Text)
	}
	w.variants.slider.SetValue(3)
	if w.variants.title.Text != "Variants: 3" || !strings.Contains(w.variants.note.Text, "billed") {
		t.Fatalf("slider says %q, %q", w.variants.title.Text, w.variants.note.Text)
	}
	test.Tap(w.run.generate)
	h.expect("finished")

	if len(w.gallery.tiles) != 4 || w.gallery.tiles[0].result != nil {
		t.Fatalf("gallery has %d tiles, want the original and 3 variants", len(w.gallery.tiles))
	}
	creates := h.srv.Creates()
	if len(creates) != 1 || creates[0].Prompt != "white marble, light from the left" || creates[0].BatchSize != 3 {
		t.Fatalf("server saw %+v", creates)
	}
	if w.selected != 1 || !strings.HasPrefix(w.notice.Text, "Done: 3 variants") {
		t.Fatalf("selected %d, status %q", w.selected, w.notice.Text)
	}

	if w.compare.Left() != 0 || w.compare.Right() != 1 {
		t.Fatalf("after generating, compare shows %d and %d, want the original and variant 1", w.compare.Left(), w.compare.Right())
	}
	w.compareWith(3)
	if w.compare.Left() != 0 || w.compare.Right() != 3 || w.tabs.SelectedIndex() != 1 {
		t.Fatalf("compare shows %d and %d", w.compare.Left(), w.compare.Right())
	}

	w.saveAll()
	h.expect("saved")
	for n := 1; n <= 3; n++ {
		if _, err := os.Stat(filepath.Join(h.out, "red box-bg-"+string(rune('0'+n))+".png")); err != nil {
			t.Fatal(err)
		}
	}
	w.saveAll() // again: nothing is overwritten
	h.expect("saved")
	if entries, _ := os.ReadDir(h.out); len(entries) != 6 {
		t.Fatalf("%d files after saving twice, want 6", len(entries))
	}
}

func TestShortcutSelectsAndSavesOne(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "cup.png", 60, 60)
	h := newHarness(t, StartOptions{File: shot})
	test.Type(h.w.prompt.entry, "pastel pink")
	h.w.startRun()
	h.expect("finished")
	h.w.selectVariant(2)
	h.w.saveSelected()
	h.expect("saved")
	if _, err := os.Stat(filepath.Join(h.out, "cup-bg-2.png")); err != nil {
		t.Fatal(err)
	}
}

func TestSaveAllDuringARunSavesWhenDone(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "vase.png", 60, 60)
	h := newHarness(t, StartOptions{File: shot}, contract.WithScript(contract.Step{State: 0}, contract.Step{State: 4, Progress: 50}))
	test.Type(h.w.prompt.entry, "linen")
	h.w.startRun()
	h.w.saveAll()
	h.expect("finished")
	h.expect("saved")
	if entries, _ := os.ReadDir(h.out); len(entries) != 2 {
		t.Fatalf("%d files, want 2", len(entries))
	}
}

func TestInputIsCheckedBeforeSending(t *testing.T) {
	h := newHarness(t, StartOptions{})
	test.Type(h.w.prompt.entry, "studio")
	h.w.startRun()
	if !h.w.source.problem.Visible() || h.w.cancel != nil {
		t.Fatal("generated with no image")
	}
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h.w.loadFile(shot)
	h.expect("loaded")
	h.w.prompt.entry.SetText(strings.Repeat("x", 1030))
	if !h.w.prompt.problem.Visible() || !strings.Contains(h.w.prompt.problem.Text, "6 characters too long") {
		t.Fatalf("prompt problem %q", h.w.prompt.problem.Text)
	}
	h.w.startRun()
	if h.w.cancel != nil || len(h.srv.Creates()) != 0 {
		t.Fatal("sent an invalid prompt")
	}
}

func TestRefusesFilesThatAreNotImages(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.png")
	os.WriteFile(notes, []byte("just text"), 0o644)
	h := newHarness(t, StartOptions{})
	h.w.loadFile(notes)
	h.expect("refused")
	if !strings.Contains(h.w.source.problem.Text, "not a JPEG, PNG, WebP or BMP") {
		t.Fatalf("problem %q", h.w.source.problem.Text)
	}
}

func TestPasteLoadsClipboardImage(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 40, 30)
	data, _ := os.ReadFile(shot)
	h := newHarness(t, StartOptions{})
	h.clip.data = data
	h.w.paste()
	h.expect("loaded")
	if h.w.shot == nil || h.w.shot.Width != 40 {
		t.Fatal("pasted image not loaded")
	}
}

func TestErrorsShowTheRightDialog(t *testing.T) {
	cases := []struct {
		name  string
		start StartOptions
		opts  []contract.Option
		words []string
	}{
		{"bad token", StartOptions{Token: "wrong"}, nil, []string{"refused the API token", "Open settings"}},
		{"state -7", StartOptions{}, []contract.Option{contract.WithFailState(-7, "")}, []string{"could not make the images", "not a valid image", "export it again"}},
		{"network down", StartOptions{Endpoint: "http://127.0.0.1:1"}, nil, []string{"Cannot reach 127.0.0.1:1", "connection was refused", "Check the connection or the endpoint in Settings", "Open settings"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.start.File = writeShot(t, t.TempDir(), "a.png", 30, 30)
			h := newHarness(t, tc.start, tc.opts...)
			test.Type(h.w.prompt.entry, "p")
			h.w.startRun()
			h.expect("finished")
			texts := overlayTexts(h.w.win.Canvas())
			for _, want := range tc.words {
				if !strings.Contains(texts, want) {
					t.Fatalf("dialog lacks %q:\n%s", want, texts)
				}
			}
		})
	}
}

func TestCancelLeavesNoGoroutineBehind(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h := newHarness(t, StartOptions{File: shot}, contract.WithScript(make([]contract.Step, 100000)...))
	test.Type(h.w.prompt.entry, "p")
	h.w.startRun()
	h.w.cancelRun()
	h.expect("finished")
	if h.w.notice.Text != "Cancelled." || !h.w.run.cancel.Disabled() || h.w.run.generate.Disabled() {
		t.Fatalf("status %q", h.w.notice.Text)
	}
	h.http.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "backdrop/internal/job") && !strings.Contains(stacks, "backdrop/api.") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines left after cancel:\n%s", stacks)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestGenerateAskedWhileTheShotLoadsRunsWhenLoaded(t *testing.T) {
	h := newHarness(t, StartOptions{})
	shot := writeShot(t, t.TempDir(), "late.png", 50, 50)
	test.Type(h.w.prompt.entry, "concrete")
	h.w.loading++ // as if a load were under way
	h.w.startRun()
	h.w.saveAll()
	if !h.w.runPending || !h.w.saveAllPending || h.w.cancel != nil {
		t.Fatal("the run did not wait for the shot")
	}
	h.w.loading--
	h.w.loadFile(shot)
	h.expect("loaded")
	h.expect("finished")
	h.expect("saved")
	if entries, _ := os.ReadDir(h.out); len(entries) != 2 {
		t.Fatalf("%d files saved, want 2", len(entries))
	}
}

func TestEscInAFocusedEntryCancels(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h := newHarness(t, StartOptions{File: shot}, contract.WithScript(make([]contract.Step, 100000)...))
	test.Type(h.w.prompt.entry, "p")
	h.w.startRun()
	h.w.source.url.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.expect("finished")
	if h.w.notice.Text != "Cancelled." {
		t.Fatalf("status %q", h.w.notice.Text)
	}
}

func TestClosingDuringARunAsksFirst(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h := newHarness(t, StartOptions{File: shot}, contract.WithScript(make([]contract.Step, 100000)...))
	test.Type(h.w.prompt.entry, "p")
	h.w.startRun()
	h.w.confirmClose()
	if !strings.Contains(overlayTexts(h.w.win.Canvas()), "paid for") {
		t.Fatal("closing during a run did not ask")
	}
	h.w.cancelRun()
	h.expect("finished")
}
