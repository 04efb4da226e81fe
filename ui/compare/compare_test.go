package compare

import (
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

var (
	red    = color.NRGBA{0xff, 0, 0, 0xff}
	green  = color.NRGBA{0, 0xc0, 0, 0xff}
	blue   = color.NRGBA{0, 0, 0xff, 0xff}
	yellow = color.NRGBA{0xff, 0xe0, 0, 0xff}
)

// solidItems are big enough that fit is well under 100 %.
func solidItems() []Item {
	return []Item{
		{Label: "Red", Image: solid(1600, 800, red)},
		{Label: "Green", Image: solid(1600, 800, green)},
		{Label: "Blue", Image: solid(1600, 800, blue)},
	}
}

// showView puts v in a 900x600 test window.
func showView(t *testing.T, v *View) fyne.Window {
	t.Helper()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(900, 600))
	return w
}

// centreOf is the middle of o in canvas coordinates, moved by the fractions fx, fy of its size.
func centreOf(o fyne.CanvasObject, fx, fy float32) fyne.Position {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return pos.Add(fyne.NewPos(o.Size().Width*fx, o.Size().Height*fy))
}

// colourAt samples what the window shows at p.
func colourAt(w fyne.Window, p fyne.Position) color.NRGBA {
	img := w.Canvas().Capture()
	return color.NRGBAModel.Convert(img.At(int(p.X), int(p.Y))).(color.NRGBA)
}

func TestChoosingShowsTheChosenItems(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.SetItems(solidItems())
	w := showView(t, v)

	if v.Left() != 0 || v.Right() != 1 {
		t.Fatalf("first choice = %d, %d; want 0, 1", v.Left(), v.Right())
	}
	if got := colourAt(w, centreOf(v.leftPane, .5, .5)); got != red {
		t.Errorf("left pane shows %v, want red", got)
	}
	if got := colourAt(w, centreOf(v.rightPane, .5, .5)); got != green {
		t.Errorf("right pane shows %v, want green", got)
	}

	v.rightSelect.SetSelected("Blue")
	v.leftSelect.SetSelected("Green")
	if v.Left() != 1 || v.Right() != 2 {
		t.Fatalf("after selecting, choice = %d, %d; want 1, 2", v.Left(), v.Right())
	}
	if got := colourAt(w, centreOf(v.leftPane, .5, .5)); got != green {
		t.Errorf("left pane shows %v, want green", got)
	}
	if got := colourAt(w, centreOf(v.rightPane, .5, .5)); got != blue {
		t.Errorf("right pane shows %v, want blue", got)
	}

	v.Choose(2, 0)
	if v.leftSelect.Selected != "Blue" || v.rightSelect.Selected != "Red" {
		t.Errorf("choosers show %q, %q after Choose(2, 0)", v.leftSelect.Selected, v.rightSelect.Selected)
	}
}

func TestSetItemsKeepsAValidChoice(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.SetItems(solidItems())
	v.Choose(2, 1)
	v.SetItems(solidItems())
	if v.Left() != 2 || v.Right() != 1 {
		t.Errorf("choice = %d, %d; want 2, 1 kept", v.Left(), v.Right())
	}
	v.SetItems(solidItems()[:2])
	if v.Left() != 0 || v.Right() != 1 {
		t.Errorf("choice = %d, %d; want 0, 1 once item 2 is gone", v.Left(), v.Right())
	}
	v.SetItems(nil)
	if v.Left() != -1 || v.Right() != -1 {
		t.Errorf("choice = %d, %d; want none without items", v.Left(), v.Right())
	}
	v.Choose(0, 0) // out of range: ignored
}

func TestModeSwitch(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.SetItems(solidItems())
	v.Choose(0, 2)
	w := showView(t, v)

	test.Tap(v.toolbar.modes[Split])
	if v.Mode() != Split {
		t.Fatalf("mode = %v, want Split", v.Mode())
	}
	if !v.split.Visible() || v.leftPane.Visible() || v.rightPane.Visible() {
		t.Error("split mode should show only the split pane")
	}
	if got := colourAt(w, centreOf(v.split, .25, .5)); got != red {
		t.Errorf("left of the divider shows %v, want red", got)
	}
	if got := colourAt(w, centreOf(v.split, .75, .5)); got != blue {
		t.Errorf("right of the divider shows %v, want blue", got)
	}
	if v.split.leftChip.text.Text != "Red" || v.split.rightChip.text.Text != "Blue" {
		t.Errorf("chips say %q | %q", v.split.leftChip.text.Text, v.split.rightChip.text.Text)
	}

	v.SetMode(SideBySide)
	if v.toolbar.modes[SideBySide].Importance != widget.HighImportance || !v.leftPane.Visible() || v.split.Visible() {
		t.Error("SetMode(SideBySide) did not show the two panes")
	}
}

func TestFitAndActualChangeTheZoomLabel(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.SetItems(solidItems())
	showView(t, v)

	fitted := v.toolbar.percent.Text
	if fitted == "100 %" || v.Zoom() >= 1 {
		t.Fatalf("a 1600 px image fitted in half of 900 px shows %s (zoom %v)", fitted, v.Zoom())
	}
	test.Tap(v.toolbar.actual)
	if v.Zoom() != 1 || v.toolbar.percent.Text != "100 %" {
		t.Errorf("after 100 %%: zoom %v, label %q", v.Zoom(), v.toolbar.percent.Text)
	}
	if math.Abs(v.toolbar.slider.Value) > 1e-9 {
		t.Errorf("slider at %v, want log2(1) = 0", v.toolbar.slider.Value)
	}
	test.Tap(v.toolbar.fit)
	if v.toolbar.percent.Text != fitted {
		t.Errorf("after Fit label %q, want %q", v.toolbar.percent.Text, fitted)
	}

	v.toolbar.slider.SetValue(1) // log2 scale: 200 %
	if math.Abs(v.Zoom()-2) > 1e-9 || v.toolbar.percent.Text != "200 %" {
		t.Errorf("slider at 1: zoom %v, label %q", v.Zoom(), v.toolbar.percent.Text)
	}
}

func TestScrollZoomsBothPanes(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.SetItems(solidItems())
	w := showView(t, v)
	v.Actual()

	test.Scroll(w.Canvas(), centreOf(v.rightPane, .5, .5), 0, scrollUnitsPerDoubling)
	if math.Abs(v.Zoom()-2) > 1e-9 {
		t.Errorf("zoom after scrolling = %v, want 2", v.Zoom())
	}
	if v.toolbar.percent.Text != "200 %" {
		t.Errorf("label = %q", v.toolbar.percent.Text)
	}
}

// quadrants is the same picture at any size: four coloured quarters.
func quadrants(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = yellow
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// edgeX finds where the red/green border crosses pixel row y of what p shows.
func edgeX(t *testing.T, p *pane, y int) int {
	t.Helper()
	scale := pixelScale(p) // the driver asks rasters for screen pixels
	img := p.render(int(p.Size().Width*scale), int(p.Size().Height*scale)).(*image.RGBA)
	for x := 0; x < img.Rect.Dx(); x++ {
		if c := img.RGBAAt(x, y); c.G > 0x80 && c.R < 0x80 {
			return x
		}
	}
	t.Fatalf("no green in row %d", y)
	return -1
}

func TestDragInOnePaneMovesBoth(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	// The same picture at two sizes must stay aligned.
	v.SetItems([]Item{{Label: "Original", Image: quadrants(1600, 800)}, {Label: "Variant 1", Image: quadrants(800, 400)}})
	w := showView(t, v)
	v.Actual()
	before := v.state.centre
	if l, r := edgeX(t, v.leftPane, 10), edgeX(t, v.rightPane, 10); l != r {
		t.Fatalf("border at %d in the left pane and %d in the right", l, r)
	}

	test.Drag(w.Canvas(), centreOf(v.leftPane, .5, .5), 60, 40)
	if v.state.centre == before {
		t.Fatal("dragging did not pan")
	}
	wantX := int(v.leftPane.Size().Width/2) + 60
	l, r := edgeX(t, v.leftPane, 10), edgeX(t, v.rightPane, 10)
	if l != r || abs(l-wantX) > 1 {
		t.Errorf("after dragging 60 px the border is at %d (left) and %d (right), want %d", l, r, wantX)
	}

	test.Drag(w.Canvas(), centreOf(v.rightPane, .5, .5), -30, 0)
	if l, r := edgeX(t, v.leftPane, 10), edgeX(t, v.rightPane, 10); l != r || abs(l-(wantX-30)) > 1 {
		t.Errorf("dragging the right pane: border at %d (left) and %d (right), want %d", l, r, wantX-30)
	}
}

func TestDraggingTheDividerMovesIt(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.SetItems(solidItems())
	v.Choose(0, 2)
	v.SetMode(Split)
	w := showView(t, v)

	probe := centreOf(v.split, .6, .5)
	if got := colourAt(w, probe); got != blue {
		t.Fatalf("right of the divider shows %v, want blue", got)
	}
	zoom := v.Zoom()
	test.Drag(w.Canvas(), centreOf(v.split.handle, .5, .5), v.split.Size().Width/5, 0)
	if math.Abs(v.Divider()-0.7) > 1e-3 {
		t.Errorf("divider at %v, want 0.7", v.Divider())
	}
	if v.Zoom() != zoom {
		t.Error("dragging the divider also changed the view")
	}
	if got := colourAt(w, probe); got != red {
		t.Errorf("the left item should now show at 60 %%, got %v", got)
	}

	// Far from the divider a drag pans instead.
	v.Actual()
	divider, before := v.Divider(), v.state.centre
	test.Drag(w.Canvas(), centreOf(v.split, .2, .5), 50, 0)
	if v.Divider() != divider || v.state.centre == before {
		t.Errorf("drag away from the divider: divider %v, centre %v -> %v", v.Divider(), before, v.state.centre)
	}
}

func TestUniqueLabels(t *testing.T) {
	got := uniqueLabels([]Item{{Label: "Variant"}, {Label: "Variant"}, {}, {Label: "Variant"}})
	want := []string{"Variant", "Variant (2)", "Image 3", "Variant (3)"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("uniqueLabels = %q, want %q", got, want)
			break
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// On a HiDPI screen 100 % still means one image pixel per screen pixel, and
// the image follows the pointer exactly.
func TestActualOnAHiDPIScreen(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.SetItems([]Item{{Label: "Original", Image: quadrants(3200, 1600)}})
	w := showView(t, v)
	w.Canvas().(software.WindowlessCanvas).SetScale(2)
	w.Resize(fyne.NewSize(900, 600))
	v.Actual()

	p := v.leftPane
	width := int(p.Size().Width * 2)
	if got := edgeX(t, p, 10); abs(got-width/2) > 1 {
		t.Errorf("border at pixel %d, want the middle %d", got, width/2)
	}
	test.Drag(w.Canvas(), centreOf(p, .5, .5), 10, 0)
	if got := edgeX(t, p, 10); abs(got-(width/2+20)) > 1 {
		t.Errorf("after dragging 10 units the border is at pixel %d, want %d", got, width/2+20)
	}
}

func TestPreparedItemsKeepTheirCopies(t *testing.T) {
	test.NewTempApp(t)
	img := image.NewNRGBA(image.Rect(0, 0, 64, 48))
	it := Prepare("Original", img)
	if it.mips == nil || it.Label != "Original" || it.Image != nil {
		t.Fatal("Prepare did not build the copies, or kept the image")
	}
	if w, h := it.Size(); w != 64 || h != 48 {
		t.Fatalf("size %dx%d", w, h)
	}
	v := New()
	v.SetItems([]Item{it, Prepare("Variant 1", img)})
	if v.mips[0] != it.mips {
		t.Fatal("SetItems rebuilt a prepared item's copies")
	}
}

func TestKeysZoomAndHoldingBShowsTheOriginal(t *testing.T) {
	test.NewTempApp(t)
	v := New()
	v.SetItems(solidItems())
	v.Choose(0, 2)
	w := showView(t, v)
	var hooked []fyne.KeyName
	v.SetKeyHook(func(k *fyne.KeyEvent) bool { hooked = append(hooked, k.Name); return k.Name == fyne.KeyEscape })
	w.Canvas().Focus(v)

	fit := v.Zoom()
	test.Type(v, "+")
	if v.Zoom() <= fit {
		t.Fatalf("+ left the zoom at %v (fit %v)", v.Zoom(), fit)
	}
	test.Type(v, "1")
	if v.Zoom() != 1 {
		t.Fatalf("1 zoomed to %v", v.Zoom())
	}
	test.Type(v, "-")
	if v.Zoom() >= 1 {
		t.Fatalf("- left the zoom at %v", v.Zoom())
	}
	test.Type(v, "0")
	if v.Zoom() != fit {
		t.Fatalf("0 zoomed to %v, want the fit %v", v.Zoom(), fit)
	}

	if got := colourAt(w, centreOf(v.rightPane, .5, .5)); got != blue {
		t.Fatalf("right pane shows %v before B", got)
	}
	v.KeyDown(&fyne.KeyEvent{Name: fyne.KeyB})
	if got := colourAt(w, centreOf(v.rightPane, .5, .5)); got != red {
		t.Fatalf("right pane shows %v while B is held, want the original (red)", got)
	}
	v.KeyUp(&fyne.KeyEvent{Name: fyne.KeyB})
	if got := colourAt(w, centreOf(v.rightPane, .5, .5)); got != blue {
		t.Fatalf("right pane shows %v after B", got)
	}

	// Esc goes to the window from the view and from each of its controls.
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	v.toolbar.slider.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	v.toolbar.fit.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	v.toolbar.modes[Split].TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	v.leftSelect.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(hooked) != 5 {
		t.Fatalf("the window heard %d of 5 Esc presses", len(hooked))
	}
}
