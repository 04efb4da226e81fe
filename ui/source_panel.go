package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/imagefile"
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
	url      *escEntry
	openBtn  *tipButton
	pasteBtn *tipButton
}

func newSourcePanel(w *Window) *sourcePanel {
	p := &sourcePanel{}
	p.preview = canvas.NewImageFromImage(nil)
	p.preview.FillMode = canvas.ImageFillContain
	p.preview.ScaleMode = canvas.ImageScaleSmooth
	p.checker = newChecker()
	p.checker.Hide()
	hintIcon := widget.NewIcon(theme.FileImageIcon())
	hintText := widget.NewLabelWithStyle("Drop a product shot here\nor click to open one", fyne.TextAlignCenter, fyne.TextStyle{})
	p.hint = container.NewCenter(container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(48, 48), hintIcon)), hintText))
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
	p.pasteBtn = w.tipButton("Paste", theme.ContentPasteIcon(), "Paste an image from the clipboard (Ctrl+V)", w.pasteImage)
	p.url = newEscEntry(false, w.cancelRun)
	p.url.SetPlaceHolder("…or an image URL (https://…)")
	p.url.OnChanged = func(s string) { w.onURLChanged(strings.TrimSpace(s)) }
	title := widget.NewLabelWithStyle("Product shot", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.content = container.NewVBox(
		title,
		container.New(&fixedHeight{150}, zone),
		p.info,
		p.problem,
		container.NewGridWithColumns(2, p.openBtn, p.pasteBtn),
		p.url,
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
	p.content.Refresh() // re-lay out around the shown label
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
	p.content.Refresh()
}
