package ui

import (
	"context"
	"errors"
	"fmt"

	"backdrop/api"
	"backdrop/internal/job"
	"backdrop/ui/compare"
)

// startRun checks the inputs and runs a generation in a goroutine; only
// w.ui (fyne.Do) touches widgets from there.
func (w *Window) startRun() {
	if w.cancel != nil || w.backend == nil {
		return
	}
	if w.loading > 0 {
		w.runPending = true
		w.run.status.SetText("Waiting for the shot to load…")
		return
	}
	req, ok := w.request()
	if !ok {
		w.saveAllPending = false
		return
	}
	w.deps.Store.AddRecentPrompt(req.Prompt)
	w.prompt.showRecent(w.deps.Store.RecentPrompts())
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	w.run.running(true)
	w.run.status.SetText("Sending…")
	backend := w.backend
	go func() {
		res, err := backend.Generate(ctx, req, func(p job.Progress) {
			w.ui(func() { w.showProgress(p) })
		})
		items := prepareVariants(res)
		w.ui(func() { w.finishRun(ctx, res, items, err) })
	}()
}

// request builds the service request from the panels, saying inline what
// is missing.
func (w *Window) request() (api.CreateRequest, bool) {
	req := api.CreateRequest{
		Prompt:      w.prompt.text(),
		BatchSize:   w.variants.count(),
		Sync:        w.settings.Sync,
		CallbackURL: w.settings.CallbackURL,
	}
	okPrompt := w.prompt.check(true)
	switch url := w.sourceURL(); {
	case w.shot != nil:
		req.ImageFile = w.shot.Path
	case url != "":
		req.ImageURL = url
	default:
		w.source.refuse("Drop, open or paste a product shot first, or give an image URL.")
		return req, false
	}
	if !okPrompt {
		w.win.Canvas().Focus(w.prompt.entry)
		return req, false
	}
	if err := req.Validate(); err != nil {
		var ve *api.ValidationError
		if errors.As(err, &ve) && ve.Field == "callback_url" {
			w.showError(fmt.Errorf("the callback URL in Settings is not valid: %w", err))
		} else {
			w.source.refuse(err.Error())
		}
		return req, false
	}
	return req, true
}

func (w *Window) showProgress(p job.Progress) {
	if w.cancel == nil {
		return // a late report after the run ended
	}
	w.run.progress.SetValue(p.Fraction())
	w.run.status.SetText(p.String())
}

// finishRun shows what came back: results, and any failure.
func (w *Window) finishRun(ctx context.Context, res *job.Result, items []compare.Item, err error) {
	w.cancel = nil
	w.run.running(false)
	pending := w.saveAllPending
	w.saveAllPending = false
	if res != nil && len(res.Images) > 0 {
		w.showResults(res, items)
		if pending {
			w.saveAll()
		}
	}
	switch {
	case err == nil:
		w.run.status.SetText(fmt.Sprintf("Done: %d variant%s.", len(res.Images), plural(len(res.Images))))
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		w.run.status.SetText("Cancelled.")
	default:
		w.run.status.SetText("Failed: " + firstLine(err.Error()))
		w.showError(err)
	}
	w.notify("finished")
}

// cancelRun stops a running generation (Esc).
func (w *Window) cancelRun() {
	if w.runPending {
		w.stop()
		w.run.status.SetText("Cancelled.")
		return
	}
	if w.cancel == nil {
		return
	}
	w.stop()
	w.run.status.SetText("Cancelling…")
}

// stop cancels without touching widgets, for closing the window.
func (w *Window) stop() {
	if w.cancel != nil {
		w.cancel()
	}
	w.runPending = false
	w.saveAllPending = false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
