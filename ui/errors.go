package ui

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
	"backdrop/internal/library"
	"backdrop/internal/run"
)

// failure is an error told to a designer: what happened, the service's
// own words where it gave some, and what to do next.
type failure struct {
	title  string
	detail string
	next   string
	action string // a button label, "" for none
	do     func()
	fetch  bool // the service made the task: its results can be fetched
}

// explain turns an error into a failure with a next step. snap is the
// item that failed, when it is one: its task id, whether its create may
// have been billed, how long it ran.
func (w *Window) explain(err error, snap *run.Snapshot) failure {
	if err == nil {
		err = errors.New("the run ended without saying why")
	}
	f := failure{title: "Something went wrong", detail: err.Error()}
	var te *api.TaskError
	var ae *api.Error
	var ne *api.NetworkError
	var we *api.WaitError
	var pe *api.ProtocolError
	var le *api.ExpiredLinkError
	var re *api.RedirectError
	var ue *unreachableError
	var ce *library.CapError
	host := w.serviceHost()
	switch {
	case errors.As(err, &ce):
		f.title = "The daily cap is reached"
		f.detail = fmt.Sprintf("%d of the %d images allowed today are used (billed, or on their way); this would add %d.", ce.Used, ce.Cap, ce.Want)
		f.next = "Raise the daily cap in Settings, or wait until tomorrow. Nothing was sent."
		f.action, f.do = "Open settings", w.showSettings
	case snap != nil && snap.State == run.Failed && ranOutOfTime(snap, w.limitOf(snap)):
		f.title = "The run took too long"
		f.detail = fmt.Sprintf("It took longer than %s, the limit set in Settings.", w.limitOf(snap).Round(time.Second))
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
	case errors.As(err, &le):
		f.title = "The result links have expired"
		f.next = "The service keeps results about an hour. Run it again to get new images."
	case errors.As(err, &ue):
		f.title = "Cannot reach " + host
		f.detail = networkDetail(err, host)
		f.next = "Check the connection or the endpoint in Settings. Nothing was sent."
		f.action, f.do = "Open settings", w.showSettings
	case errors.As(err, &ne) && ne.MayHaveBeenCreated:
		f.title = "The answer from " + host + " was lost"
		f.next = "The service may have made (and billed) this task, so it is not sent again by itself. Check your account, or send it again from the queue."
	case errors.As(err, &ne) && ne.Unreachable():
		f.title = "Cannot reach " + host
		f.detail = networkDetail(err, host)
		f.next = "Check the connection or the endpoint in Settings."
		f.action, f.do = "Open settings", w.showSettings
	case errors.As(err, &ne) && ne.Timeout:
		f.title = host + " took too long to answer"
		f.next = "Try again in a moment."
	case errors.As(err, &ne):
		f.title = "The connection to " + host + " broke off"
		f.detail = networkDetail(err, host)
		f.next = "Try again; if it keeps happening, check the connection or the endpoint in Settings."
		f.action, f.do = "Open settings", w.showSettings
	case errors.As(err, &we):
		f.title = "Backdrop stopped waiting for the service"
		f.next = "The task may still finish: Fetch results asks for its images again while they are kept (about an hour)."
	case errors.As(err, &pe):
		f.title = "The service's answer could not be read"
		f.next = "Try again; if it keeps failing, check the endpoint in Settings."
	case errors.As(err, &re):
		f.title = "The service sent Backdrop elsewhere"
		f.next = "Check the endpoint in Settings (an https address that stays on its host)."
	case errors.As(err, &ae):
		f.title = "The service answered with an error"
		f.next = "Try again; if it keeps failing, check the endpoint in Settings."
	case errors.Is(err, context.DeadlineExceeded):
		f.title = host + " took too long to answer"
		f.next = "Try again in a moment."
	}
	if snap == nil {
		return f
	}
	switch {
	case snap.TaskID != "" && !errors.As(err, &te) && !api.IsAuth(err) && !errors.As(err, &le):
		f.detail += "\n\nThe service had made task " + snap.TaskID + ": its images may still be fetched (Fetch results) while its links live, about an hour."
		if f.action == "" || f.action == "Open settings" {
			e := w.byRun[snap.ID]
			f.action, f.do = "Fetch results", func() {
				if e != nil {
					w.retryEntry(e)
				}
			}
		}
		f.fetch = true
	case snap.MayBeBilled && !(errors.As(err, &ne) && ne.MayHaveBeenCreated):
		f.next = "The create may have reached the service (and been billed), so it is not sent again by itself. " + f.next
	}
	return f
}

// limitOf is the time bound of the session an item ran in.
func (w *Window) limitOf(s *run.Snapshot) time.Duration {
	if e := w.byRun[s.ID]; e != nil && e.sess != nil {
		return e.sess.limit
	}
	return w.settings.RunLimit
}

// ranOutOfTime reports an item that failed at its time bound.
func ranOutOfTime(s *run.Snapshot, limit time.Duration) bool {
	return limit > 0 && !s.Started.IsZero() && s.Ended.Sub(s.Started) >= limit
}

// networkDetail says what the network did, in words.
func networkDetail(err error, host string) string {
	var dns *net.DNSError
	var ne net.Error
	var nerr *api.NetworkError
	var tlsErr *tls.CertificateVerificationError
	var rec tls.RecordHeaderError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "Nothing answers at " + host + " (the connection was refused)."
	case errors.As(err, &dns):
		return "The name " + dns.Name + " could not be found."
	case errors.As(err, &nerr) && nerr.Timeout, errors.As(err, &ne) && ne.Timeout():
		return host + " did not answer in time."
	case errors.As(err, &tlsErr), errors.As(err, &rec), errors.As(err, &nerr) && nerr.Phase == "TLS handshake":
		return "The secure connection to " + host + " failed."
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "The connection to " + host + " was dropped."
	case errors.As(err, &nerr) && nerr.Reason != "":
		return "The network failed on the way to " + host + " (" + nerr.Reason + ")."
	}
	return "The network failed on the way to " + host + "."
}

// serviceHost names where generations go, for messages.
func (w *Window) serviceHost() string {
	if w.sess == nil {
		return "the service"
	}
	if u, err := url.Parse(w.sess.backend.Endpoint()); err == nil && u.Host != "" {
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
func (w *Window) showError(err error) { w.showFailure(w.explain(err, nil)) }

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
