package compare

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// viewRenderer stacks the toolbar, the two choosers and the panes.
type viewRenderer struct {
	view *View
}

func (r *viewRenderer) Destroy() {}

func (r *viewRenderer) Objects() []fyne.CanvasObject {
	v := r.view
	return []fyne.CanvasObject{v.toolbar.content, v.leftSelect, v.rightSelect, v.leftPane, v.rightPane, v.split}
}

func (r *viewRenderer) MinSize() fyne.Size {
	v := r.view
	pad := theme.SizeForWidget(theme.SizeNamePadding, v)
	bar := v.toolbar.content.MinSize()
	sel := v.leftSelect.MinSize().Max(v.rightSelect.MinSize())
	return fyne.NewSize(
		max(bar.Width, 2*sel.Width+pad, 2*minPaneSize.Width+pad),
		bar.Height+sel.Height+minPaneSize.Height+2*pad,
	)
}

func (r *viewRenderer) Layout(size fyne.Size) {
	v := r.view
	pad := theme.SizeForWidget(theme.SizeNamePadding, v)
	bar := v.toolbar.content.MinSize().Height
	v.toolbar.content.Move(fyne.NewPos(0, 0))
	v.toolbar.content.Resize(fyne.NewSize(size.Width, bar))

	column := (size.Width - pad) / 2
	y := bar + pad
	sel := v.leftSelect.MinSize().Max(v.rightSelect.MinSize()).Height
	v.leftSelect.Move(fyne.NewPos(0, y))
	v.leftSelect.Resize(fyne.NewSize(column, sel))
	v.rightSelect.Move(fyne.NewPos(column+pad, y))
	v.rightSelect.Resize(fyne.NewSize(column, sel))

	y += sel + pad
	body := fyne.NewSize(size.Width, max(0, size.Height-y))
	v.split.Move(fyne.NewPos(0, y))
	v.split.Resize(body)
	half := fyne.NewSize(column, body.Height)
	v.leftPane.Move(fyne.NewPos(0, y))
	v.leftPane.Resize(half)
	v.rightPane.Move(fyne.NewPos(column+pad, y))
	v.rightPane.Resize(half)

	shown := half
	if v.mode == Split {
		shown = body
	}
	scale := float64(pixelScale(v))
	zoom := v.state.zoom
	v.state.setViewport(vec{float64(shown.Width) * scale, float64(shown.Height) * scale})
	if v.state.zoom != zoom {
		v.toolbar.sync()
	}
}

func (r *viewRenderer) Refresh() {
	v := r.view
	r.Layout(v.Size())
	v.toolbar.sync()
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

// pixelScale is how many screen pixels one Fyne unit covers where o is shown.
func pixelScale(o fyne.CanvasObject) float32 {
	if a := fyne.CurrentApp(); a != nil {
		if c := a.Driver().CanvasForObject(o); c != nil && c.Scale() > 0 {
			return c.Scale()
		}
	}
	return 1
}

func setVisible(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}
