package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"backdrop/ui/keyed"
)

// tipButton is a button with a tooltip (what it does and its shortcut).
// Fyne 2.8 has no tooltips of its own.
type tipButton struct {
	keyed.Button
	tip  string
	tips *tooltips
}

func (w *Window) tipButton(label string, icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := &tipButton{tip: tip, tips: w.tips}
	b.Text, b.Icon, b.OnTapped, b.Hook = label, icon, tapped, w.onKey
	b.ExtendBaseWidget(b)
	return b
}

func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.tips.schedule(b, b.tip)
}

func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.tips.hide()
}

func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.tips.hide()
	b.Button.Tapped(e)
}

// tooltips is a layer over the window's content holding one tip. It is
// made of canvas objects only, which take no events, so the pointer and
// clicks reach the widgets beneath as if it were not there (a pop-up would
// swallow the next click).
type tooltips struct {
	layer *fyne.Container
	box   *fyne.Container
	bg    *canvas.Rectangle
	text  *canvas.Text
	ui    func(func())

	mu    sync.Mutex
	timer *time.Timer
}

const tooltipDelay = 500 * time.Millisecond

func newTooltips(ui func(func())) *tooltips {
	t := &tooltips{ui: ui}
	t.text = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.text.TextSize = theme.CaptionTextSize()
	t.bg = canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	t.bg.CornerRadius = 4
	t.bg.StrokeWidth = 1
	t.box = container.NewStack(t.bg, container.New(&paddedLayout{8, 4, 8}, t.text))
	t.box.Hide()
	t.layer = container.NewWithoutLayout(t.box)
	return t
}

// schedule shows tip by obj after the pointer has rested a moment.
func (t *tooltips) schedule(obj fyne.CanvasObject, tip string) {
	if tip == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil {
		t.timer.Stop()
	}
	t.timer = time.AfterFunc(tooltipDelay, func() { t.ui(func() { t.show(obj, tip) }) })
}

func (t *tooltips) show(obj fyne.CanvasObject, tip string) {
	d := fyne.CurrentApp().Driver()
	if d.CanvasForObject(obj) == nil || !obj.Visible() {
		return
	}
	t.text.Text = tip
	t.text.Color = theme.Color(theme.ColorNameForeground) // the theme may have changed
	t.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	t.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	size := t.box.MinSize()
	origin := d.AbsolutePositionForObject(t.layer)
	at := d.AbsolutePositionForObject(obj).Subtract(origin)
	x := at.X + (obj.Size().Width-size.Width)/2
	y := at.Y + obj.Size().Height + 4
	area := t.layer.Size()
	x = max(4, min(x, area.Width-size.Width-4))
	if y+size.Height > area.Height {
		y = at.Y - size.Height - 4
	}
	t.box.Resize(size)
	t.box.Move(fyne.NewPos(x, y))
	t.box.Show()
	t.layer.Refresh()
}

// hide runs on the UI thread (pointer events), like show.
func (t *tooltips) hide() {
	t.mu.Lock()
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	t.mu.Unlock()
	if t.box.Visible() {
		t.box.Hide()
	}
}
