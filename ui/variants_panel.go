package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// variantsPanel is the 1..4 slider of how many images to make.
type variantsPanel struct {
	content fyne.CanvasObject
	slider  *widget.Slider
	label   *widget.Label
}

func newVariantsPanel(initial int) *variantsPanel {
	p := &variantsPanel{}
	p.label = widget.NewLabel("")
	p.slider = widget.NewSlider(1, 4)
	p.slider.Step = 1
	p.slider.OnChanged = func(float64) { p.describe() }
	p.slider.SetValue(float64(initial))
	p.describe()
	title := widget.NewLabelWithStyle("Variants", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.content = container.NewVBox(container.NewBorder(nil, nil, title, p.label), p.slider)
	return p
}

// count is the chosen number of variants.
func (p *variantsPanel) count() int { return int(p.slider.Value + 0.5) }

func (p *variantsPanel) describe() {
	n := p.count()
	if n == 1 {
		p.label.SetText("1 variant · billed as 1 image")
		return
	}
	p.label.SetText(fmt.Sprintf("%d variants · each image is billed", n))
}
