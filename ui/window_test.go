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
	h := newHarness(t, StartOptions{File: shot})
	test.Type(h.w.prompt.entry, "pastel pink")
	press(h.w.win, ctrl(fyne.KeyReturn)) // the prompt has focus
	h.expect("finished")
	press(h.w.win, ctrl(fyne.Key2))
	if h.w.selected != 2 {
		t.Fatalf("Ctrl+2 selected %d", h.w.selected)
	}
	press(h.w.win, ctrl(fyne.KeyS))
	h.expect("saved")
	if _, err := os.Stat(filepath.Join(h.out, "cup-bg-2.png")); err != nil {
		t.Fatal(err)
	}
	press(h.w.win, &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	h.expect("saved")
	if entries, _ := os.ReadDir(h.out); len(entries) != 3 {
		t.Fatalf("%d files after Ctrl+S and Ctrl+Shift+S, want 3", len(entries))
	}
}

// TestShortcutsWorkWhateverHasFocus presses Ctrl+V, Esc and F1 with each
// kind of widget focused.
func TestShortcutsWorkWhateverHasFocus(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 40, 30)
	data, _ := os.ReadFile(shot)
	h := newHarness(t, StartOptions{File: shot}, contract.WithScript(make([]contract.Step, 100000)...))
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
	// A copied file wins over text.
	h.clip.files = []string{writeShot(t, t.TempDir(), "copied.png", 30, 30), "/elsewhere/other.png"}
	press(h.w.win, &fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
	h.expect("loaded")
	if h.w.shot == nil || h.w.shot.Name != "copied.png" || !strings.Contains(h.w.notice.Text, "the first image of 2 copied files") {
		t.Fatalf("shot %v, status %q", h.w.shot, h.w.notice.Text)
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
	h := newHarness(t, StartOptions{File: shot})
	h.w.prompt.entry.SetText("linen")
	h.w.startRun()
	h.expect("finished")
	chosen := filepath.Join(h.out, "lamp-bg-1.png")
	if err := os.WriteFile(chosen, []byte("an older file"), 0o640); err != nil {
		t.Fatal(err)
	}
	h.dialogs.save = chosen // the designer picked it and confirmed Replace
	h.w.saveAs(h.w.results[0])
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
	if entries, _ := os.ReadDir(h.out); len(entries) != 1 {
		t.Fatalf("%d files in the folder, want only the replaced one", len(entries))
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
	if h.w.backend.Endpoint() != h.url || h.w.settings.Token != testToken || h.w.settings.DefaultBatch != 3 {
		t.Fatalf("in effect: endpoint %q, token %q, batch %d", h.w.backend.Endpoint(), h.w.settings.Token, h.w.settings.DefaultBatch)
	}
	if got := h.w.deps.Store.Load(); got.Token != "" || got.Endpoint != "http://127.0.0.1:9" {
		t.Fatalf("saved %+v", got)
	}
}

func TestARunPastItsLimitOffersThePaidTasksResults(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h := newHarness(t, StartOptions{File: shot}, contract.WithScript(make([]contract.Step, 40)...))
	h.w.settings.RunLimit = 60 * time.Millisecond
	h.w.prompt.entry.SetText("p")
	h.w.startRun()
	h.expect("finished")
	if h.w.lastTask == "" || !h.w.run.fetch.Visible() || !h.w.run.after.Visible() {
		t.Fatalf("task %q, fetch shown %v", h.w.lastTask, h.w.run.fetch.Visible())
	}
	texts := overlayTexts(h.w.win.Canvas())
	for _, want := range []string{"took too long", h.w.lastTask, "Fetch results"} {
		if !strings.Contains(texts, want) {
			t.Fatalf("dialog lacks %q:\n%s", want, texts)
		}
	}
	h.w.settings.RunLimit = time.Minute
	h.w.fetchAgain()
	h.expect("finished")
	if len(h.w.results) != 2 || len(h.srv.Creates()) != 1 {
		t.Fatalf("%d results, %d creates", len(h.w.results), len(h.srv.Creates()))
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
