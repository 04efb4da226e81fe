package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// runPanel is Generate, Cancel, the progress bar and the status line.
type runPanel struct {
	content  fyne.CanvasObject
	generate *tipButton
	cancel   *tipButton
	progress *widget.ProgressBar
	status   *widget.Label
}

func newRunPanel(w *Window) *runPanel {
	p := &runPanel{}
	p.generate = w.tipButton("Generate", theme.MediaPlayIcon(), "Paint new backgrounds (Ctrl+Enter)", w.startRun)
	p.generate.Importance = widget.HighImportance
	p.cancel = w.tipButton("Cancel", theme.CancelIcon(), "Stop the generation (Esc)", w.cancelRun)
	p.cancel.Disable()
	p.progress = widget.NewProgressBar()
	p.progress.TextFormatter = func() string { return "" } // the status line says it in words
	p.progress.Hide()
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, p.cancel, p.generate),
		p.progress,
		p.status,
	)
	return p
}

// running switches the controls between idle and running.
func (p *runPanel) running(on bool) {
	if on {
		p.generate.Disable()
		p.cancel.Enable()
		p.progress.SetValue(0)
		p.progress.Show()
		return
	}
	p.generate.Enable()
	p.cancel.Disable()
	p.progress.Hide()
}
