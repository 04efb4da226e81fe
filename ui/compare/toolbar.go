package compare

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// The mode choices as the toolbar names them, in Mode order.
var modeNames = []string{"Side by side", "Split"}

// toolbar holds the mode choice and the zoom controls. The slider runs over
// log2 of the zoom, so each doubling takes the same travel.
type toolbar struct {
	view    *View
	mode    *widget.RadioGroup
	fit     *widget.Button
	actual  *widget.Button
	slider  *widget.Slider
	percent *widget.Label
	content fyne.CanvasObject

	syncing bool // set while sync moves the controls, so they do not echo back
}

func newToolbar(v *View) *toolbar {
	t := &toolbar{view: v}
	t.mode = widget.NewRadioGroup(modeNames, func(name string) {
		if t.syncing {
			return
		}
		for m, n := range modeNames {
			if n == name {
				v.SetMode(Mode(m))
			}
		}
	})
	t.mode.Horizontal = true
	t.mode.Required = true
	t.fit = widget.NewButton("Fit", v.Fit)
	t.actual = widget.NewButton("100 %", v.Actual)
	t.slider = widget.NewSlider(math.Log2(minZoom), math.Log2(maxZoom))
	t.slider.Step = 0.01
	t.slider.OnChanged = func(value float64) {
		if !t.syncing {
			v.SetZoom(math.Exp2(value))
		}
	}
	t.percent = widget.NewLabel(zoomText(maxZoom))
	t.percent.Alignment = fyne.TextAlignTrailing
	// Sized for the widest text, so the slider does not twitch while zooming.
	percent := container.New(layout.NewGridWrapLayout(t.percent.MinSize()), t.percent)

	left := container.NewHBox(t.mode, widget.NewSeparator(), t.fit, t.actual)
	t.content = container.NewBorder(nil, nil, left, percent, t.slider)
	return t
}

// sync shows the view's mode and zoom.
func (t *toolbar) sync() {
	t.syncing = true
	defer func() { t.syncing = false }()
	if name := modeNames[t.view.mode]; t.mode.Selected != name {
		t.mode.SetSelected(name)
	}
	zoom := t.view.state.zoom
	if value := math.Log2(zoom); math.Abs(t.slider.Value-value) > t.slider.Step/2 {
		t.slider.SetValue(value)
	}
	if text := zoomText(zoom); t.percent.Text != text {
		t.percent.SetText(text)
	}
}
