package ui

import (
	"context"
	"errors"
	"net"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
)

// failure is an error told to a designer: what happened, in the service's
// own words, and what to do next.
type failure struct {
	title  string
	detail string
	next   string
	action string // a button label, "" for none
	do     func()
}

// explain turns an error into a failure with a next step.
func (w *Window) explain(err error) failure {
	f := failure{title: "Something went wrong", detail: err.Error()}
	var te *api.TaskError
	var ae *api.Error
	var ne net.Error
	switch {
	case api.IsAuth(err):
		f.title = "The service refused the API token"
		f.next = "Check the token (and your balance) in Settings."
		f.action, f.do = "Open settings", w.showSettings
	case api.IsRateLimited(err):
		f.title = "The service is busy"
		f.next = "Too many requests for now; wait a minute and generate again."
	case errors.As(err, &te):
		f.title = "The service could not make the images"
		f.next = nextStepForState(te.State)
	case errors.As(err, &ae):
		f.title = "The service answered with an error"
		f.next = "Try again; if it keeps failing, check the endpoint in Settings."
	case errors.As(err, &ne) || strings.Contains(err.Error(), "cannot reach"):
		f.title = "Cannot reach the service"
		f.next = "Check your connection, or the endpoint in Settings."
		f.action, f.do = "Open settings", w.showSettings
	case errors.Is(err, context.DeadlineExceeded):
		f.title = "The service took too long"
		f.next = "Try again in a moment."
	}
	return f
}

func nextStepForState(s api.State) string {
	switch s {
	case api.StateTooLarge:
		return "Use a smaller image (at most 15 MB)."
	case api.StateInvalidImage:
		return "Open the image in an editor and export it again as PNG or JPEG."
	case api.StateURLFailed:
		return "Make sure the image URL is public, or download it and open the file instead."
	case api.StateTimedOut, api.StateStoreFailed:
		return "Generate again; no result was delivered."
	}
	return "Generate again, perhaps with a simpler prompt."
}

// showError shows a failure in a dialog.
func (w *Window) showError(err error) {
	f := w.explain(err)
	detail := widget.NewLabel(capitalise(f.detail))
	detail.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(detail)
	if f.next != "" {
		next := widget.NewLabelWithStyle(f.next, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		next.Wrapping = fyne.TextWrapWord
		body.Add(next)
	}
	var d dialog.Dialog
	if f.action != "" {
		d = dialog.NewCustomConfirm(f.title, f.action, "Close", body, func(ok bool) {
			if ok {
				f.do()
			}
		}, w.win)
	} else {
		d = dialog.NewCustom(f.title, "Close", body, w.win)
	}
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
