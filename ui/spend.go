package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/library"
)

// refreshSpend counts, off the UI thread, the images the service billed
// today and this month (from the library: service runs only, the offline
// engine is free) and shows them in the status bar with the daily cap.
func (w *Window) refreshSpend() {
	lib := w.deps.Library
	if lib == nil {
		return
	}
	capacity := w.settings.DailyCap
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sp, err := lib.Spend(ctx)
		w.ui(func() {
			if err != nil {
				w.spend.Hide()
				w.logEvent("status", "The spend could not be counted: "+err.Error())
				return
			}
			w.showSpend(sp, capacity)
			w.notify("spend")
		})
	}()
}

func (w *Window) showSpend(sp library.Spend, capacity int) {
	today := fmt.Sprintf("Billed today: %d", sp.Today)
	if capacity > 0 {
		today = fmt.Sprintf("Billed today: %d of %d", sp.Today, capacity)
	}
	w.spend.SetText(fmt.Sprintf("%s · this month: %d", today, sp.Month))
	w.spend.Importance = widget.LowImportance
	if capacity > 0 && sp.Today >= capacity {
		w.spend.Importance = widget.WarningImportance
	}
	w.spend.Show()
	w.spend.Refresh()
}

// showLibraryProblem says the library could not be opened (a damaged or
// newer database, with its path): the window works without it.
func (w *Window) showLibraryProblem(err error) {
	text := widget.NewLabel(capitalise(err.Error()) + ".")
	text.Wrapping = fyne.TextWrapWord
	next := widget.NewLabelWithStyle("Backdrop works without it for now: runs are saved into the output folder but not kept in the library, and the Library view is empty.",
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	next.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("The library could not be opened", "Close", container.NewVBox(text, next), w.win)
	d.Resize(fyne.NewSize(min(520, w.win.Canvas().Size().Width-40), 0))
	d.Show()
	w.say("The library could not be opened: runs are not recorded this session.")
	w.logEvent("library-problem", err.Error())
}
