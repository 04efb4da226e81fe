package compare

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The divider can be grabbed this far either side of its line.
const handleWidth = 24

// The handle is drawn in white with a dark edge so that it shows on light and
// dark images alike.
var (
	handleLine   = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	handleShadow = color.NRGBA{0, 0, 0, 0x66}
	gripMark     = color.NRGBA{0x60, 0x60, 0x60, 0xff}
)

// splitPane shows both items in one pane: the left item left of the divider,
// the right item right of it, each named in its top corner.
type splitPane struct {
	widget.BaseWidget
	view                *View
	pane                *pane
	leftChip, rightChip *chip
	handle              *dividerHandle
}

func newSplitPane(v *View) *splitPane {
	s := &splitPane{view: v, pane: newPane(v, sideBoth), leftChip: newChip(), rightChip: newChip()}
	s.handle = newDividerHandle(s)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (s *splitPane) CreateRenderer() fyne.WidgetRenderer {
	return &splitRenderer{split: s}
}

// MinSize keeps the pane from collapsing.
func (s *splitPane) MinSize() fyne.Size { return minPaneSize }

// moveDivider follows a drag of the handle by dx units.
func (s *splitPane) moveDivider(dx float32) {
	if w := s.Size().Width; w > 0 {
		s.view.SetDivider(s.view.divider + float64(dx/w))
	}
}

type splitRenderer struct {
	split *splitPane
}

func (r *splitRenderer) Destroy() {}

func (r *splitRenderer) MinSize() fyne.Size { return minPaneSize }

func (r *splitRenderer) Objects() []fyne.CanvasObject {
	s := r.split
	// The handle comes last so that it, not the pane, gets drags near it.
	return []fyne.CanvasObject{s.pane, s.leftChip, s.rightChip, s.handle}
}

func (r *splitRenderer) Layout(size fyne.Size) {
	s := r.split
	s.pane.Resize(size)
	x := float32(s.view.divider) * size.Width
	s.handle.Move(fyne.NewPos(x-handleWidth/2, 0))
	s.handle.Resize(fyne.NewSize(handleWidth, size.Height))

	// A chip shows only while its side has room for it.
	inset := theme.SizeForWidget(theme.SizeNamePadding, s) * 2
	left, right := s.leftChip.MinSize(), s.rightChip.MinSize()
	s.leftChip.Move(fyne.NewPos(inset, inset))
	s.leftChip.Resize(left)
	setVisible(s.leftChip, s.leftChip.text.Text != "" && x >= left.Width+2*inset)
	s.rightChip.Move(fyne.NewPos(size.Width-right.Width-inset, inset))
	s.rightChip.Resize(right)
	setVisible(s.rightChip, s.rightChip.text.Text != "" && size.Width-x >= right.Width+2*inset)
}

func (r *splitRenderer) Refresh() {
	s := r.split
	s.leftChip.setText(s.view.label(s.view.left))
	s.rightChip.setText(s.view.label(s.view.shownRight()))
	r.Layout(s.Size())
	s.pane.Refresh()
}

// dividerHandle is the grabbable strip around the divider line.
type dividerHandle struct {
	widget.BaseWidget
	split *splitPane
}

func newDividerHandle(s *splitPane) *dividerHandle {
	h := &dividerHandle{split: s}
	h.ExtendBaseWidget(h)
	return h
}

// Cursor shows that the divider moves sideways.
func (h *dividerHandle) Cursor() desktop.Cursor { return desktop.HResizeCursor }

// Dragged moves the divider with the pointer.
func (h *dividerHandle) Dragged(e *fyne.DragEvent) { h.split.moveDivider(e.Dragged.DX) }

// DragEnd is part of fyne.Draggable; nothing is left to do.
func (h *dividerHandle) DragEnd() {}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (h *dividerHandle) CreateRenderer() fyne.WidgetRenderer {
	r := &handleRenderer{
		shadow: canvas.NewRectangle(handleShadow),
		line:   canvas.NewRectangle(handleLine),
		grip:   canvas.NewRectangle(handleLine),
		marks:  []*canvas.Rectangle{canvas.NewRectangle(gripMark), canvas.NewRectangle(gripMark)},
	}
	r.grip.StrokeColor = handleShadow
	r.grip.StrokeWidth = 1
	r.grip.CornerRadius = 6
	return r
}

// handleRenderer draws a thin line with a pill-shaped grip in its middle.
type handleRenderer struct {
	shadow, line, grip *canvas.Rectangle
	marks              []*canvas.Rectangle
}

func (r *handleRenderer) Destroy() {}

func (r *handleRenderer) MinSize() fyne.Size { return fyne.NewSize(handleWidth, 0) }

func (r *handleRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.shadow, r.line, r.grip, r.marks[0], r.marks[1]}
}

func (r *handleRenderer) Layout(size fyne.Size) {
	mid := size.Width / 2
	r.shadow.Move(fyne.NewPos(mid-2, 0))
	r.shadow.Resize(fyne.NewSize(4, size.Height))
	r.line.Move(fyne.NewPos(mid-1, 0))
	r.line.Resize(fyne.NewSize(2, size.Height))

	grip := fyne.NewSize(12, 40)
	top := (size.Height - grip.Height) / 2
	r.grip.Move(fyne.NewPos(mid-grip.Width/2, top))
	r.grip.Resize(grip)
	for i, m := range r.marks {
		m.Move(fyne.NewPos(mid-2.5+float32(i)*4, top+12))
		m.Resize(fyne.NewSize(1, grip.Height-24))
	}
}

func (r *handleRenderer) Refresh() {}

// chip is a small translucent label in a corner of the split pane.
type chip struct {
	widget.BaseWidget
	background *canvas.Rectangle
	text       *canvas.Text
}

func newChip() *chip {
	c := &chip{
		background: canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99}),
		text:       canvas.NewText("", color.White),
	}
	c.background.CornerRadius = 4
	c.ExtendBaseWidget(c)
	return c
}

func (c *chip) setText(s string) {
	if c.text.Text == s {
		return
	}
	c.text.Text = s
	c.Refresh()
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (c *chip) CreateRenderer() fyne.WidgetRenderer {
	return &chipRenderer{chip: c}
}

type chipRenderer struct {
	chip *chip
}

func (r *chipRenderer) Destroy() {}

func (r *chipRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.chip.background, r.chip.text}
}

func (r *chipRenderer) padding() fyne.Size {
	p := theme.SizeForWidget(theme.SizeNameInnerPadding, r.chip)
	return fyne.NewSize(p, p/2)
}

func (r *chipRenderer) MinSize() fyne.Size {
	r.chip.text.TextSize = theme.SizeForWidget(theme.SizeNameCaptionText, r.chip)
	pad := r.padding()
	return r.chip.text.MinSize().Add(fyne.NewSize(2*pad.Width, 2*pad.Height))
}

func (r *chipRenderer) Layout(size fyne.Size) {
	pad := r.padding()
	r.chip.background.Resize(size)
	r.chip.text.Move(fyne.NewPos(pad.Width, pad.Height))
	r.chip.text.Resize(size.Subtract(fyne.NewSize(2*pad.Width, 2*pad.Height)))
}

func (r *chipRenderer) Refresh() {
	r.chip.text.TextSize = theme.SizeForWidget(theme.SizeNameCaptionText, r.chip)
	r.chip.text.Refresh()
	r.chip.background.Refresh()
}
