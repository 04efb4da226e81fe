package compare

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"backdrop/ui/keyed"
)

// The mode choices as the toolbar names them, in Mode order.
var modeNames = []string{"Side by side", "Split"}

// minSliderWidth keeps the zoom slider usable however narrow the view.
const minSliderWidth = 60

// toolbar holds the mode choice and the zoom controls. The slider runs over
// log2 of the zoom, so each doubling takes the same travel.
type toolbar struct {
	view    *View
	modes   []*keyed.Button
	fit     *keyed.Button
	actual  *keyed.Button
	slider  *keyed.Slider
	percent *widget.Label
	content fyne.CanvasObject

	syncing bool // set while sync moves the controls, so they do not echo back
}

func newToolbar(v *View) *toolbar {
	t := &toolbar{view: v}
	for m, name := range modeNames {
		t.modes = append(t.modes, keyed.NewButton(name, nil, func() { v.SetMode(Mode(m)) }, v.hook))
	}
	t.fit = keyed.NewButton("Fit", nil, v.Fit, v.hook)
	t.actual = keyed.NewButton("100 %", nil, v.Actual, v.hook)
	t.slider = keyed.NewSlider(math.Log2(minZoom), math.Log2(maxZoom), v.hook)
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
	slider := container.New(&minWidth{minSliderWidth}, t.slider)

	left := container.NewHBox(t.modes[0], t.modes[1], widget.NewSeparator(), t.fit, t.actual)
	t.content = container.NewBorder(nil, nil, left, percent, slider)
	return t
}

// sync shows the view's mode and zoom.
func (t *toolbar) sync() {
	t.syncing = true
	defer func() { t.syncing = false }()
	for m, b := range t.modes {
		want := widget.MediumImportance
		if Mode(m) == t.view.mode {
			want = widget.HighImportance
		}
		if b.Importance != want {
			b.Importance = want
			b.Refresh()
		}
	}
	zoom := t.view.state.zoom
	if value := math.Log2(zoom); math.Abs(t.slider.Value-value) > t.slider.Step/2 {
		t.slider.SetValue(value)
	}
	if text := zoomText(zoom); t.percent.Text != text {
		t.percent.SetText(text)
	}
}

// minWidth stretches its child over the space it is given, asking for at
// least width.
type minWidth struct{ width float32 }

func (l *minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return fyne.NewSize(max(m.Width, l.width), m.Height)
}
