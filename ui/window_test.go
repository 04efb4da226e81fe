package ui

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/run"
)

func TestGenerateCompareAndSaveAll(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "red box.png", 120, 90)
	h := newHarness(t, StartOptions{Files: []string{shot}})
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
		s, _ := w.snapshot(w.current)
		t.Fatalf("gallery has %d tiles, want the original and 3 variants; snap %v %d; show %d", len(w.gallery.tiles), s.State, len(s.Variants), len(w.show.variants))
	}
	creates := h.srv.Creates()
	if len(creates) != 1 || creates[0].Prompt != "white marble, light from the left" || creates[0].BatchSize != 3 {
		t.Fatalf("server saw %+v", creates)
	}
	if w.selected != 1 || !strings.HasPrefix(w.notice.Text, "Done: 3 variants") {
		t.Fatalf("selected %d, status %q", w.selected, w.notice.Text)
	}
	// Every variant is saved as it arrives, under the template's names.
	if got := images(t, h.out); strings.Join(got, ",") != "red box-bg-1.png,red box-bg-2.png,red box-bg-3.png" {
		t.Fatalf("output folder holds %v", got)
	}

	h.shown(3)
	if w.compare.Left() != 0 || w.compare.Right() != 1 {
		t.Fatalf("after generating, compare shows %d and %d, want the original and variant 1", w.compare.Left(), w.compare.Right())
	}
	w.compareWith(3)
	if w.compare.Left() != 0 || w.compare.Right() != 3 || w.tabs.SelectedIndex() != tabCompare {
		t.Fatalf("compare shows %d and %d", w.compare.Left(), w.compare.Right())
	}

	// Save all says where they are, and writes nothing twice.
	w.saveAll()
	h.expect("saved")
	if !strings.Contains(w.notice.Text, "Already saved in "+h.out) || len(images(t, h.out)) != 3 {
		t.Fatalf("status %q, files %v", w.notice.Text, images(t, h.out))
	}
	// One moved away is written again.
	os.Remove(filepath.Join(h.out, "red box-bg-2.png"))
	w.saveAll()
	h.expect("saved")
	if len(images(t, h.out)) != 3 || !strings.Contains(w.notice.Text, "Saved red box-bg-2.png") {
		t.Fatalf("status %q, files %v", w.notice.Text, images(t, h.out))
	}
}

// press delivers a shortcut as Fyne's desktop driver does
// (glfw window.triggersShortcut): a main-menu item with that shortcut
// first, then the focused widget, then the canvas.
func press(w fyne.Window, sc fyne.Shortcut) {
	for _, menu := range w.MainMenu().Items {
		for _, it := range menu.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == sc.ShortcutName() && it.Action != nil {
				it.Action()
				return
			}
		}
	}
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	w.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
}

// key delivers a key without Ctrl as the driver does: to the focused
// widget, else to the canvas.
func key(w fyne.Window, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if h := w.Canvas().OnTypedKey(); h != nil {
		h(ev)
	}
}

func ctrl(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func TestShortcutSelectsAndSavesOne(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "cup.png", 60, 60)
	h := newHarness(t, StartOptions{Files: []string{shot}})
	test.Type(h.w.prompt.entry, "pastel pink")
	press(h.w.win, ctrl(fyne.KeyReturn)) // the prompt has focus
	h.expect("finished")
	press(h.w.win, ctrl(fyne.Key2))
	if h.w.selected != 2 {
		t.Fatalf("Ctrl+2 selected %d", h.w.selected)
	}
	press(h.w.win, ctrl(fyne.KeyS))
	h.expect("saved")
	if _, err := os.Stat(filepath.Join(h.out, "cup-bg-2.png")); err != nil || !strings.Contains(h.w.notice.Text, "cup-bg-2.png") {
		t.Fatalf("%v, status %q", err, h.w.notice.Text)
	}
	press(h.w.win, &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	h.expect("saved")
	if got := images(t, h.out); len(got) != 2 {
		t.Fatalf("files after Ctrl+S and Ctrl+Shift+S: %v, want the 2 saved on arrival", got)
	}
}

// TestShortcutsWorkWhateverHasFocus presses Ctrl+V, Esc and F1 with each
// kind of widget focused.
func TestShortcutsWorkWhateverHasFocus(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 40, 30)
	data, _ := os.ReadFile(shot)
	h := newHarness(t, StartOptions{Files: []string{shot}}, contract.WithScript(make([]contract.Step, 100000)...))
	h.w.prompt.entry.SetText("p")
	// (The real-window test covers every focusable widget, links too.)
	focusables := map[string]fyne.Focusable{
		"prompt": h.w.prompt.entry, "URL": h.w.source.url, "slider": h.w.variants.slider,
		"Open button": h.w.source.openBtn,
	}
	for name, f := range focusables {
		h.w.win.Canvas().Focus(f)
		if h.w.win.Canvas().Focused() != f {
			t.Fatalf("%s did not take the focus", name)
		}
		h.clip.data = data
		press(h.w.win, &fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
		h.expect("loaded")

		h.w.win.Canvas().Focus(f)
		press(h.w.win, ctrl(fyne.KeyReturn))
		key(h.w.win, fyne.KeyEscape)
		h.expect("finished")
		if h.w.notice.Text != "Cancelled." {
			t.Fatalf("Esc with the %s focused: status %q", name, h.w.notice.Text)
		}

		key(h.w.win, fyne.KeyF1)
		h.expect("shortcuts")
		h.w.win.Canvas().Overlays().Top().Hide()
		h.w.win.Canvas().Overlays().Remove(h.w.win.Canvas().Overlays().Top())
	}
	press(h.w.win, ctrl(fyne.KeySlash))
	h.expect("shortcuts")
	if !strings.Contains(overlayTexts(h.w.win.Canvas()), "hold B or Space") {
		t.Fatal("the shortcut sheet lacks the compare keys")
	}
}

// TestPasteTextWhenTheClipboardHoldsNoImage: Ctrl+V in the prompt pastes
// text when there is no image and no copied file.
func TestPasteTextWhenTheClipboardHoldsNoImage(t *testing.T) {
	h := newHarness(t, StartOptions{})
	h.app.Clipboard().SetContent("warm wood")
	h.w.win.Canvas().Focus(h.w.prompt.entry)
	press(h.w.win, &fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
	h.expect("pasted-text")
	if h.w.prompt.entry.Text != "warm wood" || h.w.shot != nil {
		t.Fatalf("prompt %q", h.w.prompt.entry.Text)
	}
	// A copied file wins over text; of several, the images are queued
	// and the others listed with the reason.
	h.clip.files = []string{writeShot(t, t.TempDir(), "copied.png", 30, 30), "/elsewhere/other.png"}
	press(h.w.win, &fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
	h.expect("added")
	if texts := overlayTexts(h.w.win.Canvas()); !strings.Contains(texts, "other.png — it no longer exists") {
		t.Fatalf("skipped list:\n%s", texts)
	}
	h.expect("loaded")
	if h.w.shot == nil || h.w.shot.Name != "copied.png" || len(h.w.entries) != 1 {
		t.Fatalf("shot %v, %d entries", h.w.shot, len(h.w.entries))
	}
}

func TestVariantsAreSavedAsTheyArrive(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "vase.png", 60, 60)
	h := newHarness(t, StartOptions{Files: []string{shot}}, contract.WithScript(contract.Step{State: 0}, contract.Step{State: 4, Progress: 50}))
	test.Type(h.w.prompt.entry, "linen")
	h.w.startRun()
	h.w.saveAll() // during the run: they are saved anyway
	if !strings.Contains(h.w.notice.Text, "as it arrives") {
		t.Fatalf("status %q", h.w.notice.Text)
	}
	h.expect("finished")
	if got := images(t, h.out); len(got) != 2 {
		t.Fatalf("files %v, want 2", got)
	}
}

func TestInputIsCheckedBeforeSending(t *testing.T) {
	h := newHarness(t, StartOptions{})
	test.Type(h.w.prompt.entry, "studio")
	h.w.startRun()
	if !h.w.source.problem.Visible() || h.w.runningCount() != 0 {
		t.Fatal("generated with no image")
	}
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h.w.openShot(shot)
	h.expect("loaded")
	h.w.prompt.entry.SetText(strings.Repeat("x", 1030))
	if !h.w.prompt.problem.Visible() || !strings.Contains(h.w.prompt.problem.Text, "6 characters too long") {
		t.Fatalf("prompt problem %q", h.w.prompt.problem.Text)
	}
	h.w.startRun()
	if h.w.runningCount() != 0 || len(h.srv.Creates()) != 0 {
		t.Fatal("sent an invalid prompt")
	}
}

func TestRefusesFilesThatAreNotImages(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.png")
	os.WriteFile(notes, []byte("just text"), 0o644)
	h := newHarness(t, StartOptions{})
	h.w.openShot(notes)
	h.expect("refused")
	if len(h.w.entries) != 0 || h.w.current != nil {
		t.Fatalf("a refused shot stayed queued: %d entries", len(h.w.entries))
	}
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
			tc.start.Files = []string{writeShot(t, t.TempDir(), "a.png", 30, 30)}
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
	h := newHarness(t, StartOptions{Files: []string{shot}}, contract.WithScript(make([]contract.Step, 100000)...))
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
		if !strings.Contains(stacks, "backdrop/internal/run.(*Queue).work") && !strings.Contains(stacks, "backdrop/api.") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines left after cancel:\n%s", stacks)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestGenerateRightAfterOpeningSendsTheShot(t *testing.T) {
	h := newHarness(t, StartOptions{})
	shot := writeShot(t, t.TempDir(), "late.png", 50, 50)
	test.Type(h.w.prompt.entry, "concrete")
	h.w.openShot(shot)
	h.w.startRun() // before the shot is shown: the queue checks it itself
	loaded, finished := false, false
	for !loaded || !finished {
		select {
		case f := <-h.calls:
			f()
		case ev := <-h.events:
			loaded = loaded || ev == "loaded"
			finished = finished || ev == "finished"
		case <-time.After(2 * time.Minute):
			t.Fatal("never loaded and finished")
		}
	}
	if got := images(t, h.out); len(got) != 2 || len(h.srv.Creates()) != 1 {
		t.Fatalf("files %v, %d creates", got, len(h.srv.Creates()))
	}
}

func TestEscInAFocusedEntryCancels(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h := newHarness(t, StartOptions{Files: []string{shot}}, contract.WithScript(make([]contract.Step, 100000)...))
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
	h := newHarness(t, StartOptions{Files: []string{shot}}, contract.WithScript(make([]contract.Step, 100000)...))
	test.Type(h.w.prompt.entry, "p")
	h.w.startRun()
	h.w.confirmClose()
	if !strings.Contains(overlayTexts(h.w.win.Canvas()), "paid for") {
		t.Fatal("closing during a run did not ask")
	}
	h.w.cancelRun()
	h.expect("finished")
}

func TestAnImageURLIsPreviewedAndALocalOneWarned(t *testing.T) {
	data, _ := os.ReadFile(writeShot(t, t.TempDir(), "web.png", 64, 48))
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(data)
	}))
	defer web.Close()
	h := newHarness(t, StartOptions{})
	test.Type(h.w.source.url, web.URL+"/shot.png")
	h.expect("url-preview")
	if h.w.source.preview.Image == nil || !h.w.source.urlNote.Visible() {
		t.Fatal("no preview of the URL")
	}
	note := h.w.source.urlNote.Text
	if !strings.Contains(note, "64 × 48 px") || !strings.Contains(note, "is this computer") {
		t.Fatalf("note %q", note)
	}
	// The service is still sent the URL, not the preview.
	test.Type(h.w.prompt.entry, "studio")
	h.w.startRun()
	h.expect("finished")
	if c := h.srv.Creates(); len(c) != 1 || c[0].ImageURL != web.URL+"/shot.png" {
		t.Fatalf("server saw %+v", c)
	}
}

func TestSaveAsReplacesTheChosenFileInTheOutputFolder(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "lamp.png", 40, 40)
	h := newHarness(t, StartOptions{Files: []string{shot}})
	h.w.prompt.entry.SetText("linen")
	h.w.startRun()
	h.expect("finished")
	chosen := filepath.Join(h.out, "chosen.png")
	if err := os.WriteFile(chosen, []byte("an older file"), 0o640); err != nil {
		t.Fatal(err)
	}
	h.dialogs.save = chosen // the designer picked it and confirmed Replace
	h.shown(1)
	h.w.saveAs(h.w.result(1))
	h.expect("saved")
	if h.dialogs.saveDir != h.out {
		t.Fatalf("the save dialog opened in %q, want the output folder %q", h.dialogs.saveDir, h.out)
	}
	data, _ := os.ReadFile(chosen)
	if api.SniffImage(data) != "image/png" {
		t.Fatalf("the chosen file holds %q", data[:min(len(data), 20)])
	}
	if info, _ := os.Stat(chosen); info.Mode().Perm() != 0o640 {
		t.Fatalf("the replaced file's mode became %v", info.Mode().Perm())
	}
	if got := images(t, h.out); len(got) != 3 {
		t.Fatalf("files %v: want the 2 saved on arrival and the replaced one", got)
	}
}

func TestFlagsWinOverSettingsAndATokenFlagIsNotSaved(t *testing.T) {
	h := newHarness(t, StartOptions{})
	saved := h.w.deps.Store.Load()
	if saved.Token != "" {
		t.Fatalf("the --token value was saved: %q", saved.Token)
	}
	saved.Endpoint = "http://127.0.0.1:9"
	saved.DefaultBatch = 3
	h.w.applySettings(saved)
	if h.w.sess.backend.Endpoint() != h.url || h.w.settings.Token != testToken || h.w.settings.DefaultBatch != 3 {
		t.Fatalf("in effect: endpoint %q, token %q, batch %d", h.w.sess.backend.Endpoint(), h.w.settings.Token, h.w.settings.DefaultBatch)
	}
	if got := h.w.deps.Store.Load(); got.Token != "" || got.Endpoint != "http://127.0.0.1:9" {
		t.Fatalf("saved %+v", got)
	}
}

func TestARunPastItsLimitOffersThePaidTasksResults(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h := newHarness(t, StartOptions{Files: []string{shot}}, contract.WithScript(make([]contract.Step, 60)...))
	h.w.settings.RunLimit = 150 * time.Millisecond
	h.w.connect() // a new session with that bound
	h.w.prompt.entry.SetText("p")
	h.w.startRun()
	h.expect("finished")
	snap, _ := h.w.snapshot(h.w.current)
	if snap.TaskID == "" || !h.w.run.fetch.Visible() || !h.w.run.after.Visible() {
		t.Fatalf("task %q, fetch shown %v", snap.TaskID, h.w.run.fetch.Visible())
	}
	texts := overlayTexts(h.w.win.Canvas())
	for _, want := range []string{"took too long", snap.TaskID, "Fetch results"} {
		if !strings.Contains(texts, want) {
			t.Fatalf("dialog lacks %q:\n%s", want, texts)
		}
	}
	// Fetch results waits for the same task (each try gets further in its
	// script) and never creates another.
	for try := 0; h.w.state(h.w.current) != run.Done; try++ {
		if try == 60 {
			t.Fatal("the task's results never came")
		}
		h.w.fetchAgain()
		h.expect("finished")
	}
	if got := images(t, h.out); len(got) != 2 || len(h.srv.Creates()) != 1 {
		t.Fatalf("files %v, %d creates", got, len(h.srv.Creates()))
	}
}

func TestTheOfflineEngineIsNeverCalledPaid(t *testing.T) {
	h := newHarness(t, StartOptions{})
	h.w.variants.describe(true)
	if strings.Contains(h.w.variants.note.Text, "bill") {
		t.Fatalf("offline: %q", h.w.variants.note.Text)
	}
	h.w.variants.describe(false)
	if !strings.Contains(h.w.variants.note.Text, "billed") {
		t.Fatalf("service: %q", h.w.variants.note.Text)
	}
}
