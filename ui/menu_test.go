package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"

	"backdrop/api"
)

func TestEveryShortcutIsInTheMenus(t *testing.T) {
	h := newHarness(t, StartOptions{})
	ctrl := fyne.KeyModifierShortcutDefault
	want := map[string]desktop.CustomShortcut{
		"Open images…":   {KeyName: fyne.KeyO, Modifier: ctrl},
		"Open a folder…": {KeyName: fyne.KeyO, Modifier: ctrl | fyne.KeyModifierShift},

		"Save selected variant": {KeyName: fyne.KeyS, Modifier: ctrl},
		"Save all variants":     {KeyName: fyne.KeyS, Modifier: ctrl | fyne.KeyModifierShift},
		"Settings…":             {KeyName: fyne.KeyComma, Modifier: ctrl},
		"Generate":              {KeyName: fyne.KeyReturn, Modifier: ctrl},
		"Cancel":                {KeyName: fyne.KeyEscape},
		"Variant 1":             {KeyName: fyne.Key1, Modifier: ctrl},
		"Variant 4":             {KeyName: fyne.Key4, Modifier: ctrl},
	}
	found := map[string]bool{}
	for _, menu := range h.w.win.MainMenu().Items {
		for _, it := range menu.Items {
			sc, ok := it.Shortcut.(*desktop.CustomShortcut)
			if !ok {
				continue
			}
			if w, ok := want[it.Label]; ok {
				if sc.KeyName != w.KeyName || sc.Modifier != w.Modifier {
					t.Errorf("%s: shortcut %v+%v, want %v+%v", it.Label, sc.Modifier, sc.KeyName, w.Modifier, w.KeyName)
				}
				found[it.Label] = true
			}
		}
	}
	for label := range want {
		if !found[label] {
			t.Errorf("no menu item %q with a shortcut", label)
		}
	}
}

func TestMenuActionsDriveTheWindow(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "drop.png", 40, 40)
	h := newHarness(t, StartOptions{})
	h.dialogs.open = []string{shot}
	item(t, h.w, "Open images…").Action()
	h.expect("loaded")
	h.w.prompt.entry.SetText("paper")
	item(t, h.w, "Generate").Action()
	h.expect("finished")
	item(t, h.w, "Variant 2").Action()
	if h.w.selected != 2 {
		t.Fatalf("selected %d", h.w.selected)
	}
	item(t, h.w, "Save all variants").Action()
	h.expect("saved")
}

func TestDroppedFileIsLoaded(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "dropped.png", 40, 30)
	h := newHarness(t, StartOptions{})
	h.w.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(shot)})
	h.expect("loaded")
	if h.w.shot == nil || h.w.shot.Name != "dropped.png" {
		t.Fatal("the dropped file was not loaded")
	}
}

func item(t *testing.T, w *Window, label string) *fyne.MenuItem {
	t.Helper()
	for _, menu := range w.win.MainMenu().Items {
		for _, it := range menu.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

func TestTileActions(t *testing.T) {
	shot := writeShot(t, t.TempDir(), "lamp.png", 40, 40)
	h := newHarness(t, StartOptions{Files: []string{shot}})
	h.w.prompt.entry.SetText("linen")
	h.w.startRun()
	h.expect("finished")
	h.shown(2)
	r := h.w.result(2)

	h.dialogs.save = filepath.Join(t.TempDir(), "chosen.jpg")
	h.w.saveAs(r)
	h.expect("saved")
	data, err := os.ReadFile(h.dialogs.save)
	if err != nil || api.SniffImage(data) != "image/jpeg" {
		t.Fatalf("Save as .jpg wrote %v (%v)", api.SniffImage(data), err)
	}

	h.w.copyImage(r)
	h.expect("copied")
	if api.SniffImage(h.clip.data) != "image/png" {
		t.Fatal("the clipboard did not get a PNG")
	}

	h.w.openInViewer(r)
	if len(h.opener.opened) != 1 || h.opener.opened[0] != r.path || r.saved == "" || r.path != r.saved {
		t.Fatalf("opened %v", h.opener.opened)
	}
}
