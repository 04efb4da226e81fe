package ui

import (
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/imagefile"
	"backdrop/ui/keyed"
)

// sourcePanel is the product shot: a drop zone with the loaded image over
// a checkerboard, its name and sizes, Open and Paste, and the URL
// alternative.
type sourcePanel struct {
	content  fyne.CanvasObject
	preview  *canvas.Image
	frame    *fyne.Container
	checker  fyne.CanvasObject
	hint     fyne.CanvasObject
	info     *widget.Label
	problem  *widget.Label
	url      *keyed.Entry
	openBtn  *tipButton
	pasteBtn *tipButton
	offer    *fyne.Container // a shot over 15 MB: what and the way out
	offerMsg *widget.Label
	resize   *tipButton
	urlNote  *widget.Label // about a typed URL: a warning or its size
	zone     *fixedHeight  // the drop zone's height, set by the sidebar
}

func newSourcePanel(w *Window) *sourcePanel {
	p := &sourcePanel{zone: &fixedHeight{zoneMax}}
	p.preview = canvas.NewImageFromImage(nil)
	p.preview.FillMode = canvas.ImageFillContain
	p.preview.ScaleMode = canvas.ImageScaleSmooth
	p.checker = newChecker()
	p.checker.Hide()
	hintIcon := widget.NewIcon(theme.FileImageIcon())
	hintText := widget.NewLabelWithStyle("Drop a product shot here\nor click to open one", fyne.TextAlignLeading, fyne.TextStyle{})
	p.hint = container.NewCenter(container.NewHBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(40, 40), hintIcon)), hintText))
	zoneBg := newPanel(theme.ColorNameInputBackground, theme.ColorNameInputBorder)
	p.frame = container.New(&aspectFit{1, 1}, p.checker, p.preview)
	zone := container.NewStack(zoneBg, container.NewPadded(p.frame), p.hint, newTapArea(w.openImage))
	p.info = widget.NewLabel("")
	p.info.Truncation = fyne.TextTruncateEllipsis
	p.info.Hide()
	p.problem = widget.NewLabel("")
	p.problem.Importance = widget.DangerImportance
	p.problem.Wrapping = fyne.TextWrapWord
	p.problem.Hide()
	p.openBtn = w.tipButton("Open…", theme.FolderOpenIcon(), "Open a product shot (Ctrl+O)", w.openImage)
	p.pasteBtn = w.tipButton("Paste", theme.ContentPasteIcon(), "Paste an image, or an image file copied in a file manager (Ctrl+V)", w.paste)
	p.url = w.textEntry(false)
	p.url.SetPlaceHolder("…or an image URL (https://…)")
	p.url.OnChanged = func(s string) { w.onURLChanged(strings.TrimSpace(s)) }
	p.offerMsg = widget.NewLabel("")
	p.offerMsg.Wrapping = fyne.TextWrapWord
	p.offerMsg.Importance = widget.WarningImportance
	p.resize = w.tipButton("Send a resized copy", theme.ContentCopyIcon(), "Make a copy under 15 MB (JPEG, or PNG when it has transparency) and send that; the original stays as it is", w.sendResized)
	p.offer = container.NewVBox(p.offerMsg, p.resize)
	p.offer.Hide()
	p.urlNote = widget.NewLabel("")
	p.urlNote.Wrapping = fyne.TextWrapWord
	p.urlNote.Hide()
	title := widget.NewLabelWithStyle("Product shot", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.content = container.NewVBox(
		title,
		container.New(p.zone, zone),
		p.info,
		p.problem,
		p.offer,
		container.NewGridWithColumns(2, p.openBtn, p.pasteBtn),
		p.url,
		p.urlNote,
	)
	return p
}

// showShot displays a loaded file.
func (p *sourcePanel) showShot(s *imagefile.Shot) {
	p.preview.Image = s.Preview
	pw, ph := imageSize(s.Preview)
	p.frame.Layout = &aspectFit{float32(pw), float32(ph)}
	p.frame.Refresh()
	p.preview.Refresh()
	p.checker.Show()
	p.hint.Hide()
	p.info.SetText(fmt.Sprintf("%s · %d × %d px · %s", s.Name, s.Width, s.Height, imagefile.HumanSize(s.Bytes)))
	p.info.Show()
	p.problem.Hide()
	p.offer.Hide()
	p.urlNote.Hide()
	p.content.Refresh() // re-lay out around the shown label
}

// showURL shows a URL's preview (nil: none) and a note about it.
func (p *sourcePanel) showURL(img image.Image, note string, problem bool) {
	if img != nil {
		p.preview.Image = img
		pw, ph := imageSize(img)
		p.frame.Layout = &aspectFit{float32(pw), float32(ph)}
		p.frame.Refresh()
		p.checker.Show()
		p.hint.Hide()
	} else {
		p.preview.Image = nil
		p.checker.Hide()
		p.hint.Show()
	}
	p.preview.Refresh()
	p.urlNote.SetText(note)
	p.urlNote.Importance = widget.MediumImportance
	if problem {
		p.urlNote.Importance = widget.WarningImportance
	}
	if note == "" {
		p.urlNote.Hide()
	} else {
		p.urlNote.Show()
	}
	p.content.Refresh()
}

// offerResize says a shot is over the limit and offers a resized copy.
func (p *sourcePanel) offerResize(msg string) {
	p.offerMsg.SetText(msg)
	p.resize.Enable()
	p.offer.Show()
	p.problem.Hide()
	p.content.Refresh()
}

// resizing shows the copy is being made.
func (p *sourcePanel) resizing() {
	p.resize.Disable()
	p.offerMsg.SetText(p.offerMsg.Text + " Making the copy…")
}

// clearShot empties the drop zone (a URL is used instead, or nothing).
func (p *sourcePanel) clearShot() {
	p.preview.Image = nil
	p.preview.Refresh()
	p.checker.Hide()
	p.hint.Show()
	p.info.Hide()
	p.content.Refresh()
}

// refuse says why a file was not taken.
func (p *sourcePanel) refuse(msg string) {
	p.problem.SetText(msg)
	p.problem.Show()
	p.content.Refresh()
}

func (p *sourcePanel) clearProblem() {
	p.problem.Hide()
	p.offer.Hide()
	p.content.Refresh()
}
