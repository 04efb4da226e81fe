package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// panel is a rounded background drawn in theme colours, read again on
// every refresh so that it follows a change of theme (a bare rectangle
// keeps the colour it was made with).
type panel struct {
	widget.BaseWidget
	fill, stroke fyne.ThemeColorName
}

func newPanel(fill, stroke fyne.ThemeColorName) *panel {
	p := &panel{fill: fill, stroke: stroke}
	p.ExtendBaseWidget(p)
	return p
}

// setStroke changes the outline colour (a tile's selection).
func (p *panel) setStroke(name fyne.ThemeColorName) {
	p.stroke = name
	p.Refresh()
}

func (p *panel) CreateRenderer() fyne.WidgetRenderer {
	r := &panelRenderer{p: p, rect: canvas.NewRectangle(nil)}
	r.rect.CornerRadius = theme.InputRadiusSize()
	r.rect.StrokeWidth = 2
	r.Refresh()
	return r
}

type panelRenderer struct {
	p    *panel
	rect *canvas.Rectangle
}

func (r *panelRenderer) Layout(size fyne.Size)        { r.rect.Resize(size) }
func (r *panelRenderer) MinSize() fyne.Size           { return fyne.NewSize(0, 0) }
func (r *panelRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect} }
func (r *panelRenderer) Destroy()                     {}

func (r *panelRenderer) Refresh() {
	r.rect.FillColor = theme.Color(r.p.fill)
	r.rect.StrokeColor = theme.Color(r.p.stroke)
	r.rect.Refresh()
}
