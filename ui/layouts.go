package ui

import "fyne.io/fyne/v2"

// paddedLayout insets its children: h on the left, v top and bottom, and
// right on the right (room for a scroll bar).
type paddedLayout struct{ h, v, right float32 }

func (l *paddedLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(l.h, l.v))
		o.Resize(fyne.NewSize(size.Width-l.h-l.right, size.Height-2*l.v))
	}
}

func (l *paddedLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m.AddWidthHeight(l.h+l.right, 2*l.v)
}

// fixedHeight gives its children the full width and a set height.
type fixedHeight struct{ height float32 }

func (l *fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, l.height)
}

// aspectFit places every child in the largest centred rectangle of the
// given aspect ratio, so a checkerboard sits exactly behind its image.
type aspectFit struct{ w, h float32 }

func (l *aspectFit) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if l.w <= 0 || l.h <= 0 {
		return
	}
	scale := min(size.Width/l.w, size.Height/l.h)
	fit := fyne.NewSize(l.w*scale, l.h*scale)
	pos := fyne.NewPos((size.Width-fit.Width)/2, (size.Height-fit.Height)/2)
	for _, o := range objs {
		o.Move(pos)
		o.Resize(fit)
	}
}

func (l *aspectFit) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(32, 32) }
