package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"backdrop/internal/run"
	"backdrop/internal/settings"
	"backdrop/ui/keyed"
)

// overlayWidgets lists the widgets of the top overlay.
func overlayWidgets(c fyne.Canvas) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		out = append(out, o)
		if wd, ok := o.(fyne.Widget); ok {
			for _, child := range test.WidgetRenderer(wd).Objects() {
				walk(child)
			}
		} else if ct, ok := o.(*fyne.Container); ok {
			for _, child := range ct.Objects {
				walk(child)
			}
		}
	}
	walk(c.Overlays().Top())
	return out
}

func settingsEntry(t *testing.T, c fyne.Canvas, placeholder string) *keyed.Entry {
	t.Helper()
	for _, o := range overlayWidgets(c) {
		if e, ok := o.(*keyed.Entry); ok && e.PlaceHolder == placeholder {
			return e
		}
	}
	t.Fatalf("no field %q in Settings", placeholder)
	return nil
}

func TestQueueSettingsApplyToItemsAddedAfter(t *testing.T) {
	lib := openLibraryT(t)
	h := newHarnessWith(t, StartOptions{}, withLibrary(lib))
	h.w.showSettings()
	h.expect("settings")
	c := h.w.win.Canvas()
	for _, o := range overlayWidgets(c) {
		if s, ok := o.(*keyed.Select); ok && len(s.Options) == 2 && s.Options[0] == "PNG" {
			s.SetSelected("JPEG")
		}
	}
	settingsEntry(t, c, "as sent").SetText("80")
	settingsEntry(t, c, "{name}-bg-{n}").SetText("{name}_{prompt}_{n}")
	settingsEntry(t, c, "no cap").SetText("25")
	settingsEntry(t, c, "2").SetText("0.5")
	// A bad template keeps Save off.
	tpl := settingsEntry(t, c, "{name}-bg-{n}")
	tpl.SetText("{nope}")
	if !h.w.settingsSave.Disabled() {
		t.Fatal("Save is on with an unknown template field")
	}
	tpl.SetText("{name}_{prompt}_{n}")
	test.Tap(h.w.settingsSave)

	got := h.w.deps.Store.Load()
	if got.Format != settings.FormatJPEG || got.Quality != 80 || got.Template != "{name}_{prompt}_{n}" || got.DailyCap != 25 || got.Rate != 0.5 {
		t.Fatalf("saved %+v", got)
	}
	o := h.w.draftSpec().Options
	if o.Format != run.JPEG || o.Quality != 80 || o.Template != "{name}_{prompt}_{n}" || o.OutDir != h.out {
		t.Fatalf("a new item's options: %+v", o)
	}
	h.until("spend shown with the cap", func() bool { return h.w.spend.Text == "Billed today: 0 of 25 · this month: 0" })

	// A new shot is saved under the template, as JPEG.
	shot := writeShot(t, t.TempDir(), "cup.png", 40, 40)
	h.w.openShot(shot)
	h.expect("loaded")
	h.w.prompt.entry.SetText("oak")
	h.w.startRun()
	h.expect("finished")
	if got := images(t, h.out); len(got) != 2 || got[0] != "cup_oak_1.jpg" {
		t.Fatalf("files %v", got)
	}
}
