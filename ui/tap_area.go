package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// tapArea is an invisible widget that calls onTap when clicked, laid over
// a picture to make it a button.
type tapArea struct {
	widget.BaseWidget
	onTap       func()
	onDoubleTap func() // nil: no double-click (a single click then acts at once)
}

func newTapArea(onTap func()) *tapArea {
	t := &tapArea{onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapArea) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}

// DoubleTapped is part of fyne.DoubleTappable.
func (t *tapArea) DoubleTapped(*fyne.PointEvent) {
	if t.onDoubleTap != nil {
		t.onDoubleTap()
	} else if t.onTap != nil {
		t.onTap()
	}
}

// Cursor shows a hand, as over a link.
func (t *tapArea) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (t *tapArea) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(&fyne.Container{})
}
