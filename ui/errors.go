package ui

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
)

// failure is an error told to a designer: what happened, the service's
// own words where it gave some, and what to do next.
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
	var limit *runLimitError
	host := w.serviceHost()
	switch {
	case errors.As(err, &limit):
		f.title = "The run took too long"
		f.detail = capitalise(limit.Error()) + "."
		f.next = "Try again later, or raise the limit in Settings."
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
	case isNetwork(err):
		f.title = "Cannot reach " + host
		f.detail = networkDetail(err, host)
		f.next = "Check the connection or the endpoint in Settings."
		if dropped(err) {
			f.title = "The connection to " + host + " broke off"
			f.next = "Try again; if it keeps happening, check the connection or the endpoint in Settings."
		}
		f.action, f.do = "Open settings", w.showSettings
	case errors.Is(err, context.DeadlineExceeded):
		f.title = host + " took too long to answer"
		f.next = "Try again in a moment."
	}
	if w.lastTask != "" && !errors.As(err, &te) && !api.IsAuth(err) {
		f.detail += "\n\nThe service had made task " + w.lastTask + ": its images may still be fetched (Fetch results) while its links live, about an hour."
		if f.action == "" {
			f.action, f.do = "Fetch results", w.fetchAgain
		}
	}
	return f
}

// isNetwork reports whether err is the network failing, not the service
// answering.
func isNetwork(err error) bool {
	var ne net.Error
	var ue *url.Error
	var oe *net.OpError
	return errors.As(err, &oe) || errors.As(err, &ue) || errors.As(err, &ne) ||
		errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(err.Error(), "cannot reach")
}

// networkDetail says what the network did, in words.
func networkDetail(err error, host string) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "Nothing answers at " + host + " (the connection was refused)."
	case errors.As(err, &dns):
		return "The name " + dns.Name + " could not be found."
	case errors.As(err, &ne) && ne.Timeout():
		return host + " did not answer in time."
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		return "The secure connection to " + host + " failed."
	case dropped(err):
		return "The connection to " + host + " was dropped."
	}
	return "The network failed on the way to " + host + "."
}

// dropped reports a connection that was made and then lost.
func dropped(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || strings.Contains(err.Error(), "EOF") ||
		strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe")
}

// serviceHost names where generations go, for messages.
func (w *Window) serviceHost() string {
	if w.backend == nil {
		return "the service"
	}
	if u, err := url.Parse(w.backend.Endpoint()); err == nil && u.Host != "" {
		return u.Host
	}
	return "the service"
}

func nextStepForState(s api.State) string {
	switch s {
	case api.StateTooLarge:
		return "Use a smaller image (at most 15 MB), or let Backdrop send a resized copy."
	case api.StateInvalidImage:
		return "Open the image in an editor and export it again as PNG or JPEG."
	case api.StateURLFailed:
		return "Make sure the image URL is public, or download it and open the file instead."
	case api.StateTimedOut, api.StateStoreFailed:
		return "Generate again; no result was delivered."
	}
	return "Generate again, perhaps with a simpler prompt."
}

// showError explains err in a dialog.
func (w *Window) showError(err error) { w.showFailure(w.explain(err)) }

// showFailure shows a failure in a dialog.
func (w *Window) showFailure(f failure) {
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
	d.Resize(fyne.NewSize(min(480, w.win.Canvas().Size().Width-40), 0))
	d.Show()
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
