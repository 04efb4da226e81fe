package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"backdrop/internal/contract"
	"backdrop/internal/run"
)

// shotFolder makes a folder of shots as a designer's would look: images
// in sub-folders, a note, a broken "image", a hidden folder.
func shotFolder(t *testing.T) (dir string, images []string) {
	dir = t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.MkdirAll(filepath.Join(dir, ".cache"), 0o755)
	images = []string{
		writeShot(t, dir, "b mug.png", 40, 30),
		writeShot(t, dir, "A vase.jpg", 30, 40),
		writeShot(t, filepath.Join(dir, "sub"), "lamp.png", 32, 32),
	}
	writeShot(t, filepath.Join(dir, ".cache"), "hidden.png", 20, 20)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("shoot on Monday"), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.png"), []byte("not a png at all"), 0o644)
	return dir, images
}

func TestDroppingAFolderAndFilesFillsTheQueueAndGenerateRunsAll(t *testing.T) {
	dir, _ := shotFolder(t)
	loose := writeShot(t, t.TempDir(), "chair.webp.png", 36, 36)
	h := newHarness(t, StartOptions{})
	h.w.onDropped(fyne.NewPos(5, 5), []fyne.URI{storage.NewFileURI(dir), storage.NewFileURI(loose)})
	h.expect("added")

	var names []string
	for _, e := range h.w.entries {
		names = append(names, e.name())
	}
	if want := "A vase.jpg,b mug.png,lamp.png,chair.webp.png"; strings.Join(names, ",") != want {
		t.Fatalf("queued %v, want %s", names, want)
	}
	skipped := overlayTexts(h.w.win.Canvas())
	for _, want := range []string{"2 files skipped", "notes.txt — not an image", "broken.png — not a JPEG, PNG, WebP or BMP image"} {
		if !strings.Contains(skipped, want) {
			t.Fatalf("skipped list lacks %q:\n%s", want, skipped)
		}
	}
	if strings.Contains(skipped, "hidden.png") {
		t.Fatal("a hidden folder was searched")
	}
	if !h.w.strip.content.Visible() || h.w.strip.list.Length() != 4 {
		t.Fatal("the queue strip does not list the shots")
	}
	if h.w.current != h.w.entries[0] {
		t.Fatal("the first shot is not shown")
	}
	h.expect("loaded")

	test.Type(h.w.prompt.entry, "walnut desk")
	press(h.w.win, ctrl(fyne.KeyReturn))
	h.until("every item done", func() bool { return h.w.queueStats().Done == 4 })
	creates := h.srv.Creates()
	if len(creates) != 4 {
		t.Fatalf("%d creates, want 4", len(creates))
	}
	for _, c := range creates {
		if c.Prompt != "walnut desk" || c.BatchSize != 2 {
			t.Fatalf("create %+v", c)
		}
	}
	if got := images(t, h.out); len(got) != 8 {
		t.Fatalf("output folder: %v", got)
	}
	if !strings.Contains(h.w.strip.summary.Text, "4 of 4 done") {
		t.Fatalf("the queue's line says %q", h.w.strip.summary.Text)
	}

	// Clicking an item shows its variants.
	h.w.strip.list.Select(2)
	if h.w.current != h.w.entries[2] {
		t.Fatal("clicking a row did not show it")
	}
	h.shown(2)
	for _, v := range h.w.show.list() {
		if !strings.HasPrefix(filepath.Base(v.saved), "lamp-bg-") {
			t.Fatalf("the gallery shows %s for lamp.png", v.saved)
		}
	}
	h.until("lamp.png shown", func() bool { return h.w.shot.Name == "lamp.png" })
	if len(h.w.gallery.tiles) != 3 {
		t.Fatalf("shot %s, %d tiles", h.w.shot.Name, len(h.w.gallery.tiles))
	}

	// Generate again with nothing waiting: the shown shot, with the form.
	h.w.prompt.entry.SetText("slate")
	h.w.startRun()
	h.until("run again", func() bool { return h.w.current != h.w.entries[2] && h.w.state(h.w.current) == run.Done })
	if c := h.srv.Creates(); len(c) != 5 || c[4].Prompt != "slate" {
		t.Fatalf("creates %d", len(c))
	}
}

func TestOpeningSeveralInThePickerAndAFolderQueuesThem(t *testing.T) {
	dir, imgs := shotFolder(t)
	h := newHarness(t, StartOptions{})
	h.dialogs.open = imgs[:2]
	h.w.openImage()
	h.expect("added")
	h.expect("loaded")
	h.dialogs.shots = filepath.Join(dir, "sub")
	h.w.openFolder()
	h.expect("added")
	if len(h.w.entries) != 3 {
		t.Fatalf("%d entries", len(h.w.entries))
	}
}

func TestStartingWithAFolderQueuesIt(t *testing.T) {
	dir, _ := shotFolder(t)
	h := newHarness(t, StartOptions{Files: []string{dir}})
	h.expect("added")
	if len(h.w.entries) != 3 {
		t.Fatalf("%d entries", len(h.w.entries))
	}
}

// The form shows the current entry; what is typed edits it while it
// waits, and items added later take the form as it is then.
func TestEditingAWaitingItem(t *testing.T) {
	_, imgs := shotFolder(t)
	h := newHarness(t, StartOptions{})
	test.Type(h.w.prompt.entry, "linen")
	h.w.takePaths(imgs[:2], "dropped")
	h.expect("added")
	h.w.strip.list.Select(1)
	h.w.prompt.entry.SetText("terrazzo")
	h.w.variants.slider.SetValue(4)
	if e := h.w.entries[1]; e.spec.Prompt != "terrazzo" || e.spec.Variants != 4 {
		t.Fatalf("the selected draft holds %+v", e.spec)
	}
	if e := h.w.entries[0]; e.spec.Prompt != "linen" || e.spec.Variants != 2 {
		t.Fatalf("the other draft changed: %+v", e.spec)
	}
	h.w.takePaths([]string{imgs[2]}, "dropped") // one file: opened as the shot, a draft with the form now
	h.expect("loaded")
	if e := h.w.entries[2]; e.spec.Prompt != "terrazzo" || e.spec.Variants != 4 {
		t.Fatalf("a new item did not take the form: %+v", e.spec)
	}
	h.w.startRun()
	h.until("all done", func() bool { return h.w.queueStats().Done == 3 })
	got := map[string]string{}
	for _, c := range h.srv.Creates() {
		got[c.Prompt] += "x"
	}
	if got["linen"] != "x" || got["terrazzo"] != "xx" {
		t.Fatalf("prompts sent: %v", got)
	}
}

func TestPauseResumeCancelOneAndRetryFailed(t *testing.T) {
	_, imgs := shotFolder(t)
	gone := writeShot(t, t.TempDir(), "moved away.png", 30, 30)
	h := newHarness(t, StartOptions{}, contract.WithScript(make([]contract.Step, 30)...))
	h.w.prompt.entry.SetText("birch")
	h.w.takePaths(append(slices.Clone(imgs), gone), "dropped")
	h.expect("added")
	data, _ := os.ReadFile(gone)
	os.Remove(gone) // it fails before anything is sent

	h.w.sess.queue.SetRate(0.2) // one create every five seconds: most wait
	h.w.startRun()
	h.until("the first sent", func() bool { return len(h.srv.Creates()) >= 1 })
	h.w.strip.togglePause()
	h.until("paused with items waiting", func() bool {
		st := h.w.queueStats()
		return st.Paused && st.Waiting > 0 && !strings.Contains(h.w.strip.summary.Text, "running")
	})
	if !strings.HasPrefix(h.w.strip.summary.Text, "Paused") {
		t.Fatalf("the queue's line says %q", h.w.strip.summary.Text)
	}
	sent := len(h.srv.Creates())

	// Cancel one that waits: it ends at once, nothing sent for it.
	var waiting *entry
	for _, e := range h.w.entries {
		if s, ok := h.w.snapshot(e); ok && s.State == run.Waiting && e.spec.ImageFile != gone {
			waiting = e
			break
		}
	}
	if waiting == nil {
		t.Fatal("no item waits")
	}
	h.w.strip.list.Select(h.w.indexOf(waiting))
	row := newStripRow(h.w)
	row.show(waiting)
	test.Tap(row.action)
	h.until("cancelled", func() bool { return h.w.state(waiting) == run.Cancelled })

	h.w.sess.queue.SetRate(50)
	h.w.strip.togglePause()
	h.until("the rest ended", func() bool {
		st := h.w.queueStats()
		return st.Waiting+st.Running == 0
	})
	st := h.w.queueStats()
	if st.Done != 2 || st.Failed != 1 || st.Cancelled != 1 || len(h.srv.Creates()) < sent {
		t.Fatalf("stats %+v", st)
	}
	if s, _ := h.w.snapshot(h.w.entries[3]); s.State != run.Failed || !strings.Contains(s.Err.Error(), "does not exist") {
		t.Fatalf("the moved shot: %s", s.Label())
	}

	// Put it back and retry the failed (and the cancelled) ones.
	os.WriteFile(gone, data, 0o644)
	test.Tap(h.w.strip.retry)
	h.until("all done", func() bool { return h.w.queueStats().Done == 4 })
	if n := len(h.srv.Creates()); n != 4 {
		t.Fatalf("%d creates, want one per shot", n)
	}
	if got := images(t, h.out); len(got) != 8 {
		t.Fatalf("output folder: %v", got)
	}
}

// The window's smallest size holds with the queue strip shown.
func TestTheQueueStripFitsTheSmallestWindow(t *testing.T) {
	_, imgs := shotFolder(t)
	h := newHarness(t, StartOptions{})
	h.w.takePaths(imgs, "dropped")
	h.expect("added")
	if !h.w.strip.content.Visible() {
		t.Fatal("no strip")
	}
	if m := h.w.win.Content().MinSize(); m.Width > minContent.Width || m.Height > minContent.Height {
		t.Fatalf("the content needs %v, more than the smallest window's %v", m, minContent)
	}
	h.w.prompt.entry.SetText("oak")
	h.w.startRun()
	h.until("all done", func() bool { return h.w.queueStats().Done == len(imgs) })
	h.shown(2)
	for _, tab := range []int{tabGallery, tabCompare, tabBoard, tabLibrary} {
		h.w.tabs.SelectIndex(tab)
		if m := h.w.win.Content().MinSize(); m.Width > minContent.Width || m.Height > minContent.Height {
			t.Fatalf("tab %d: the content needs %v, more than the smallest window's %v", tab, m, minContent)
		}
	}
}

// A click on a row's button just as its item ends is not taken for the
// role the button has only just shown (Cancel turned Run again, billed):
// nothing is sent, the designer is told, and a later click runs it again.
func TestARowButtonThatJustChangedRoleIgnoresTheClick(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "a.png", 30, 30)
	h := newHarness(t, StartOptions{Files: []string{shot}}, contract.WithScript(make([]contract.Step, 3)...))
	h.w.prompt.entry.SetText("p")
	h.w.startRun()
	e := h.w.current
	row := newStripRow(h.w)
	h.until("under way", func() bool { return h.w.state(e) != run.Waiting && !h.w.state(e).Finished() })
	row.show(e) // the button shows Cancel
	h.until("done", func() bool { return h.w.state(e) == run.Done })
	row.show(e) // now Run again, this very moment
	entries := len(h.w.entries)
	test.Tap(row.action)
	if len(h.w.entries) != entries || len(h.srv.Creates()) != 1 {
		t.Fatalf("a click on a button that had just changed role acted: %d entries, %d creates", len(h.w.entries), len(h.srv.Creates()))
	}
	if !strings.Contains(h.w.notice.Text, "just changed state") {
		t.Fatalf("the status bar says %q", h.w.notice.Text)
	}
	row.actionSince = time.Now().Add(-actionSettle) // as if the button had shown Run again a while
	test.Tap(row.action)
	h.until("run again", func() bool { return len(h.w.entries) > entries || len(h.srv.Creates()) > 1 })
}
