package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

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

// The drop zone's height: tall in a tall window, down to zoneMin so that
// the prompt and Generate stay in view in the smallest one.
const (
	zoneMax = 150
	zoneMin = 84
)

// Below this the presets are hidden rather than squeezed to a sliver.
const minExtras = 84

// sidebarLayout stacks the sidebar: the shot, the prompt, what may scroll
// (presets, recent prompts) in the height left, and the run's controls at
// the bottom. The drop zone gives up height first.
type sidebarLayout struct {
	zone     *fixedHeight     // the drop zone's height, chosen here
	onExtras func(shown bool) // told whether the extras have room
}

func (l *sidebarLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	source, prompt, extras, actions := objs[0], objs[1], objs[2], objs[3]
	pad := theme.Padding()
	l.zone.height = zoneMax
	fixed := source.MinSize().Height + prompt.MinSize().Height + actions.MinSize().Height + 3*pad
	if short := fixed + minExtras - size.Height; short > 0 {
		l.zone.height = max(zoneMin, zoneMax-short)
	}
	y := float32(0)
	place := func(o fyne.CanvasObject, h float32) {
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
	place(source, source.MinSize().Height)
	if c, ok := source.(*fyne.Container); ok {
		c.Refresh() // the zone's height may have changed at the same size
	}
	place(prompt, prompt.MinSize().Height)
	bottom := actions.MinSize().Height
	left := size.Height - y - bottom - pad
	if left < minExtras {
		extras.Hide()
	} else {
		extras.Show()
		place(extras, left)
	}
	if l.onExtras != nil {
		l.onExtras(extras.Visible())
	}
	actions.Move(fyne.NewPos(0, size.Height-bottom))
	actions.Resize(fyne.NewSize(size.Width, bottom))
}

func (l *sidebarLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	keep := l.zone.height
	l.zone.height = zoneMin
	defer func() { l.zone.height = keep }()
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		w = max(w, m.Width)
		if i != 2 { // the extras may be hidden
			h += m.Height + theme.Padding()
		}
	}
	return fyne.NewSize(max(w, sidebarMinWidth), h)
}

// sidebarMinWidth keeps the sidebar's buttons and presets readable.
const sidebarMinWidth = 292

// atLeast gives its child all the space and asks for at least size: the
// window's smallest size, which a window manager enforces. Where none does
// (a bare X server), a smaller window shows the content at its smallest
// size, cut at the edge rather than squeezed into overlaps, and tooSmall
// is told so that the window can grow back.
type atLeast struct {
	size     fyne.Size
	tooSmall func(min, laidOut fyne.Size)
}

func (l *atLeast) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	min := l.MinSize(objs)
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size.Max(min))
	}
	if (size.Width < min.Width || size.Height < min.Height) && l.tooSmall != nil {
		l.tooSmall(min, size)
	}
}

func (l *atLeast) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := l.size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m
}

// minWidth gives its children all the space and asks for a width of at
// least width (a drop-down that would shrink to its placeholder).
type minWidth struct{ width float32 }

func (l *minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := fyne.NewSize(l.width, 0)
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m
}

// flowRows lays its objects out in a row, wrapping onto further rows
// when the width runs out (the library's buttons at 900 px). Its minimum
// height follows the rows of the last layout; when that changes, changed
// runs so the parent lays out again with the new height.
type flowRows struct {
	rows    int
	changed func()
}

func (l *flowRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	x, y, rowH, rows := float32(0), float32(0), float32(0), 1
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > 0 && x+m.Width > size.Width {
			x, y, rows = 0, y+rowH+gap, rows+1
			rowH = 0
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(m)
		x += m.Width + gap
		rowH = max(rowH, m.Height)
	}
	if rows != max(l.rows, 1) {
		l.rows = rows
		if l.changed != nil {
			fyne.Do(l.changed)
		}
	}
}

func (l *flowRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := float32(0), float32(0)
	for _, o := range objs {
		if o.Visible() {
			m := o.MinSize()
			w, h = max(w, m.Width), max(h, m.Height)
		}
	}
	rows := float32(max(l.rows, 1))
	return fyne.NewSize(w, rows*h+(rows-1)*theme.Padding())
}
