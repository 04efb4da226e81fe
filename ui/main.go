// Package ui is Backdrop's window: source, prompt, variants, gallery and
// compare. It reaches the service and the disk through small interfaces
// (ports.go) so that tests drive it with fakes.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

// Main opens the window and returns the process exit code.
func Main(args []string, env func(string) string) int {
	a := app.NewWithID("app.backdrop.desktop")
	w := a.NewWindow("Backdrop")
	w.SetContent(widget.NewLabel("Backdrop"))
	w.Resize(fyne.NewSize(1200, 800))
	w.ShowAndRun()
	return 0
}
