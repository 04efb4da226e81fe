package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"backdrop/ui/keyed"
)

// variantsPanel is the 1..4 slider of how many images to make.
type variantsPanel struct {
	content fyne.CanvasObject
	slider  *keyed.Slider
	title   *widget.Label
	note    *widget.Label
	offline bool
}

func newVariantsPanel(w *Window, initial int) *variantsPanel {
	p := &variantsPanel{}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.note = widget.NewLabel("")
	p.note.Importance = widget.LowImportance
	p.note.Truncation = fyne.TextTruncateEllipsis
	p.slider = keyed.NewSlider(1, 4, w.onKey)
	p.slider.SetValue(float64(initial))
	p.slider.OnChanged = func(float64) {
		p.describe(p.offline)
		w.formChanged()
	}
	p.describe(false)
	p.content = container.NewVBox(container.NewBorder(nil, nil, p.title, nil, p.slider), secondary(p.note))
	return p
}

// count is the chosen number of variants.
func (p *variantsPanel) count() int { return int(p.slider.Value + 0.5) }

// describe names the count, and the cost where there is one: the offline
// engine costs nothing.
func (p *variantsPanel) describe(offline bool) {
	p.offline = offline
	n := p.count()
	p.title.SetText(fmt.Sprintf("Variants: %d", n))
	switch {
	case offline:
		p.note.SetText("Offline engine: free, made on this computer")
	case n == 1:
		p.note.SetText("1 image, billed by the service")
	default:
		p.note.SetText(fmt.Sprintf("%d images, each billed by the service", n))
	}
}
