package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// runPanel is Generate and Cancel, the progress bar (which names the
// stage), and after a failure Retry and, when the service had made a task,
// a way to fetch its results again. Messages go to the one status bar.
type runPanel struct {
	content  fyne.CanvasObject
	generate *tipButton
	cancel   *tipButton
	progress *widget.ProgressBar
	stage    string
	retry    *tipButton
	fetch    *tipButton
	after    *fyne.Container
	on       bool
}

func newRunPanel(w *Window) *runPanel {
	p := &runPanel{}
	p.generate = w.tipButton("Generate", theme.MediaPlayIcon(), "Paint new backgrounds (Ctrl+Enter)", w.startRun)
	p.generate.Importance = widget.HighImportance
	p.cancel = w.tipButton("Cancel", theme.CancelIcon(), "Stop every run under way (Esc)", w.cancelRun)
	p.cancel.Disable()
	p.progress = widget.NewProgressBar()
	p.progress.TextFormatter = func() string { return p.stage }
	p.progress.Hide()
	p.retry = w.tipButton("Retry", theme.ViewRefreshIcon(), "Send the failed run again (Ctrl+R)", w.retryRun)
	p.fetch = w.tipButton("Fetch results", theme.DownloadIcon(), "Ask the service again for the images of the task it made", w.fetchAgain)
	p.after = container.NewStack(p.retry, p.fetch)
	p.after.Hide()
	p.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, p.cancel, p.generate),
		p.progress,
		p.after,
	)
	return p
}

// running switches the controls between idle and running. Generate
// stays on: more shots can be added and sent while others run.
func (p *runPanel) running(on bool) {
	if on == p.on {
		return
	}
	p.on = on
	if on {
		p.after.Hide()
		p.cancel.Enable()
		p.stage = "Sending…"
		p.progress.SetValue(0)
		p.progress.Show()
		return
	}
	p.cancel.Disable()
	p.progress.Hide()
}

// showStage moves the bar and names the stage in it.
func (p *runPanel) showStage(fraction float64, stage string) {
	p.stage = stage
	p.progress.SetValue(fraction)
}

// failed offers Retry, and Fetch results when the service made the task.
func (p *runPanel) failed(f failure) {
	if f.fetch {
		p.fetch.Show()
		p.retry.Hide()
	} else {
		p.fetch.Hide()
		p.retry.Show()
	}
	p.after.Show()
}

// clearFailure hides Retry and Fetch results (another entry is shown).
func (p *runPanel) clearFailure() { p.after.Hide() }
