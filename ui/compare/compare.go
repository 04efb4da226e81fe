// Package compare is Backdrop's compare view: two of the original and the
// variants side by side, or in one pane split by a draggable divider, with
// zoom and pan kept in step so the same spot of the product stays aligned.
//
// The view math lives in view.go and the drawing in render.go, both plain Go;
// the files named after widgets only display them.
package compare

import (
	"fmt"
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"backdrop/ui/keyed"
)

// Item is one image the designer can compare, such as "Original" or
// "Variant 2".
type Item struct {
	Label string
	Image image.Image // nil in a prepared item, which keeps only its copies

	mips *mipChain // drawable copies made ahead by Prepare, if any
}

// Prepare makes an item with its drawable copies built now: a display copy
// (at most 2048 px a side) and its halvings in memory, and for a larger
// image its full-size pixels in tiles on disk, read only when zoomed in.
// The item does not hold on to img. Building takes a moment for a large
// image (under a second at 4096²), so call it off the UI thread; an Item
// made without it keeps its Image and builds the copies on first show.
func Prepare(label string, img image.Image) Item {
	it := Item{Label: label}
	if img != nil && !img.Bounds().Empty() {
		it.mips = newMipChain(img)
	}
	return it
}

// Size is the item's full size in pixels.
func (it Item) Size() (int, int) {
	switch {
	case it.mips != nil:
		return int(it.mips.size.x), int(it.mips.size.y)
	case it.Image != nil:
		return it.Image.Bounds().Dx(), it.Image.Bounds().Dy()
	}
	return 0, 0
}

// Mode is how the two chosen items are shown.
type Mode int

const (
	// SideBySide shows each item in its own pane.
	SideBySide Mode = iota
	// Split shows both in one pane, the left item left of a draggable
	// divider and the right item right of it.
	Split
)

// View compares two items with shared zoom and pan. Like every Fyne widget,
// it must only be used from the UI thread.
type View struct {
	widget.BaseWidget

	items       []Item
	mips        []*mipChain // per item, built when first drawn
	generation  int         // changes with the items, so cached renders expire
	left, right int         // chosen items, -1 when there are none
	mode        Mode
	divider     float64 // split position as a fraction of the pane width
	state       viewState
	flash       bool       // the left item shown on both sides (a held B)
	keyHook     keyed.Hook // the window's keys (Esc, F1), asked first
	focused     bool

	toolbar                 *toolbar
	leftSelect, rightSelect *keyed.Select
	leftPane, rightPane     *pane
	split                   *splitPane
}

// New returns an empty compare view, fitted and side by side; give it images
// with SetItems.
func New() *View {
	v := &View{left: -1, right: -1, divider: 0.5, state: newViewState()}
	v.ExtendBaseWidget(v)
	v.toolbar = newToolbar(v)
	v.leftSelect = keyed.NewSelect(nil, func(string) { v.Choose(v.leftSelect.SelectedIndex(), v.right) }, v.hook)
	v.rightSelect = keyed.NewSelect(nil, func(string) { v.Choose(v.left, v.rightSelect.SelectedIndex()) }, v.hook)
	v.leftPane = newPane(v, sideLeft)
	v.rightPane = newPane(v, sideRight)
	v.split = newSplitPane(v)
	v.showMode()
	return v
}

// SetItems replaces the images to choose from. The current choice is kept
// where its indexes are still valid; otherwise the first two items are shown.
func (v *View) SetItems(items []Item) {
	mips := make([]*mipChain, len(items))
	for i, it := range items {
		if it.mips != nil {
			mips[i] = it.mips
			continue
		}
		for j, old := range v.items {
			if v.mips[j] != nil && sameImage(old.Image, it.Image) {
				mips[i] = v.mips[j]
				break
			}
		}
	}
	v.items = append([]Item(nil), items...)
	v.mips = mips
	v.generation++

	options := uniqueLabels(items)
	v.leftSelect.SetOptions(options)
	v.rightSelect.SetOptions(options)
	if !v.valid(v.left) {
		v.left = min(0, len(items)-1)
	}
	if !v.valid(v.right) {
		v.right = min(1, len(items)-1)
	}
	v.state.setRef(v.size(v.left))
	v.changed()
}

// Choose picks the items to compare by index. An index outside the items
// leaves that side as it was. (It is not called Show: every Fyne widget has a
// Show that makes it visible.)
func (v *View) Choose(left, right int) {
	if !v.valid(left) {
		left = v.left
	}
	if !v.valid(right) {
		right = v.right
	}
	if left == v.left && right == v.right {
		return
	}
	v.left, v.right = left, right
	v.state.setRef(v.size(left))
	v.changed()
}

// SetMode switches between side by side and split.
func (v *View) SetMode(m Mode) {
	if m != SideBySide && m != Split || m == v.mode {
		return
	}
	v.mode = m
	v.showMode()
	v.Refresh() // the panes change size, and with it the fit
}

// Fit zooms so the whole image shows in the pane, and keeps it so when the
// pane is resized until the designer zooms or pans.
func (v *View) Fit() {
	v.state.fit()
	v.changed()
}

// Actual zooms to 100 %: one pixel of the left image per screen pixel.
func (v *View) Actual() {
	v.SetZoom(1)
}

// SetZoom zooms around the middle of the panes; 1 is 100 %.
func (v *View) SetZoom(z float64) {
	v.state.setZoom(z)
	v.changed()
}

// SetDivider moves the split divider, from 0 (left edge) to 1 (right edge).
func (v *View) SetDivider(x float64) {
	if math.IsNaN(x) {
		return
	}
	x = math.Max(0, math.Min(1, x))
	if x == v.divider {
		return
	}
	v.divider = x
	v.split.Refresh()
}

// Zoom is the current zoom; 1 is 100 %.
func (v *View) Zoom() float64 { return v.state.zoom }

// Left is the index of the item on the left, -1 when there are no items.
func (v *View) Left() int { return v.left }

// Right is the index of the item on the right, -1 when there are no items.
func (v *View) Right() int { return v.right }

// Mode is the current mode.
func (v *View) Mode() Mode { return v.mode }

// Divider is the split divider position, from 0 (left edge) to 1 (right edge).
func (v *View) Divider() float64 { return v.divider }

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	return &viewRenderer{view: v}
}

// changed brings the controls and panes up to date after the choice, zoom or
// pan changed.
func (v *View) changed() {
	v.toolbar.sync()
	choose(v.leftSelect, v.left)
	choose(v.rightSelect, v.right)
	if v.mode == Split {
		v.split.Refresh()
	} else {
		v.leftPane.Refresh()
		v.rightPane.Refresh()
	}
}

func (v *View) showMode() {
	split := v.mode == Split
	setVisible(v.split, split)
	setVisible(v.leftPane, !split)
	setVisible(v.rightPane, !split)
	v.toolbar.sync()
}

// pan moves every pane's image by d screen pixels.
func (v *View) pan(d vec) {
	v.state.panBy(d)
	v.changed()
}

// zoomAt zooms every pane keeping the image point under p (pane pixels) put.
func (v *View) zoomAt(z float64, p vec) {
	v.state.zoomAt(z, p)
	v.changed()
}

func (v *View) valid(i int) bool { return i >= 0 && i < len(v.items) }

// size is the pixel size of item i, or zero when there is none.
func (v *View) size(i int) vec {
	if !v.valid(i) {
		return vec{}
	}
	w, h := v.items[i].Size()
	return vec{float64(w), float64(h)}
}

// mipsFor returns the drawable copies of item i, building them on first use.
func (v *View) mipsFor(i int) *mipChain {
	if !v.valid(i) {
		return nil
	}
	if v.mips[i] == nil {
		if v.items[i].Image == nil || v.items[i].Image.Bounds().Empty() {
			return nil
		}
		v.mips[i] = newMipChain(v.items[i].Image)
	}
	return v.mips[i]
}

// label is the name of item i for the corner chips.
func (v *View) label(i int) string {
	if !v.valid(i) {
		return ""
	}
	return v.items[i].Label
}

// zoomText is the zoom as the toolbar shows it.
func zoomText(z float64) string {
	if z < 0.1 {
		return fmt.Sprintf("%.1f %%", z*100)
	}
	return fmt.Sprintf("%.0f %%", z*100)
}

// choose selects option i without a needless OnChanged round trip.
func choose(s *keyed.Select, i int) {
	switch {
	case s.SelectedIndex() == i:
	case i < 0:
		s.ClearSelected()
	default:
		s.SetSelectedIndex(i)
	}
}
