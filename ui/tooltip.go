package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// tipButton is a button whose tip (what it does and its shortcut) appears
// in the status bar while the pointer rests on it. Fyne 2.8 has no
// tooltips of its own, and a pop-up would swallow the next click.
type tipButton struct {
	widget.Button
	tip   string
	hints *hintBar
}

func (w *Window) tipButton(label string, icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := &tipButton{tip: tip, hints: w.hints}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.hints.show(b.tip)
}

func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.hints.clear(b.tip)
}

// hintBar is the status bar line: a standing notice, replaced by a hover
// tip while one is shown.
type hintBar struct {
	label  *widget.Label
	notice string
	tip    string
}

func newHintBar() *hintBar {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return &hintBar{label: l}
}

// say sets the standing notice.
func (h *hintBar) say(msg string) {
	h.notice = msg
	if h.tip == "" {
		h.label.SetText(msg)
	}
}

func (h *hintBar) show(tip string) {
	h.tip = tip
	h.label.SetText(tip)
}

func (h *hintBar) clear(tip string) {
	if h.tip == tip {
		h.tip = ""
		h.label.SetText(h.notice)
	}
}
