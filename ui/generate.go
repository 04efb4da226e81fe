package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

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
		w.say("Waiting for the shot to load…")
		return
	}
	req, ok := w.request()
	if !ok {
		w.saveAllPending = false
		return
	}
	w.deps.Store.AddRecentPrompt(req.Prompt)
	w.prompt.showRecent(w.deps.Store.RecentPrompts())
	w.launch(req, "")
}

// retryRun sends the failed request again (a new task, billed again).
func (w *Window) retryRun() {
	if w.cancel != nil || w.backend == nil || w.lastReq == nil {
		return
	}
	w.launch(*w.lastReq, "")
}

// fetchAgain asks the service once more for the images of the task the
// failed run had made (it is paid for; its links live about an hour).
func (w *Window) fetchAgain() {
	if w.cancel == nil && w.backend != nil && w.lastTask != "" {
		w.launch(api.CreateRequest{}, w.lastTask)
	}
}

// askFetch asks for a task id (e.g. one printed by a failed CLI run) and
// fetches its results.
func (w *Window) askFetch() {
	id := w.textEntry(false)
	id.SetText(w.lastTask)
	id.SetPlaceHolder("task id")
	dialog.ShowForm("Fetch the results of a task", "Fetch", "Cancel",
		[]*widget.FormItem{{Text: "Task id", Widget: id, HintText: "The service keeps result links for about an hour."}},
		func(ok bool) {
			if t := strings.TrimSpace(id.Text); ok && t != "" && w.cancel == nil && w.backend != nil {
				w.launch(api.CreateRequest{}, t)
			}
		}, w.win)
}

// launch runs req, or with a task id fetches that task's results, within
// the run's time limit from Settings.
func (w *Window) launch(req api.CreateRequest, fetchTask string) {
	limit := w.settings.RunLimit
	if limit <= 0 {
		limit = defaultRunLimit
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	w.cancel = cancel
	if fetchTask == "" {
		w.lastReq = &req
		w.lastTask = ""
	}
	w.run.running(true)
	stage := "Sending…"
	if fetchTask != "" {
		stage = "Asking for task " + fetchTask + "…"
	}
	w.run.showStage(0, stage)
	w.say(stage)
	w.win.SetTitle(w.title())
	backend := w.backend
	onProgress := func(p job.Progress) { w.ui(func() { w.showProgress(p) }) }
	go func() {
		var res *job.Result
		var err error
		if fetchTask != "" {
			w.ui(func() { w.lastTask = fetchTask })
			res, err = backend.Fetch(ctx, fetchTask, onProgress)
		} else {
			res, err = backend.Generate(ctx, req, onProgress, func(id string) {
				w.ui(func() { w.lastTask = id })
			})
		}
		items := prepareVariants(res)
		w.ui(func() { w.finishRun(ctx, limit, res, items, err) })
	}()
}

// defaultRunLimit bounds a run (create, wait, downloads) unless Settings
// say otherwise.
const defaultRunLimit = 10 * time.Minute

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
	case w.oversize != "":
		w.source.refuse("This shot is over the service's 15 MB limit: send a resized copy (the button above) or pick a smaller file.")
		return req, false
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
			w.showError(fmt.Errorf("the callback URL in Settings is not an http(s) address: %s", ve.Reason))
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
	w.run.showStage(p.Fraction(), p.String())
	w.say(p.String())
}

// finishRun shows what came back: results, and any failure.
func (w *Window) finishRun(ctx context.Context, limit time.Duration, res *job.Result, items []compare.Item, err error) {
	w.cancel = nil
	w.run.running(false)
	w.dismissCloseQuestion()
	pending := w.saveAllPending
	w.saveAllPending = false
	if res != nil && len(res.Images) > 0 {
		w.showResults(res, items)
		if pending {
			w.saveAll()
		}
	}
	w.win.SetTitle(w.title())
	switch {
	case err == nil:
		w.say(fmt.Sprintf("Done: %d variant%s.", len(res.Images), plural(len(res.Images))))
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		err = &runLimitError{limit: limit, task: w.lastTask, err: err}
		fallthrough
	case !errors.Is(err, context.Canceled) || ctx.Err() == nil:
		f := w.explain(err)
		w.say("Failed: " + f.title + ".")
		w.run.failed(w.lastTask != "")
		w.showFailure(f)
	default:
		w.say("Cancelled.")
	}
	w.notify("finished")
	w.flushMemory()
}

// runLimitError is a run stopped by the time limit of Settings.
type runLimitError struct {
	limit time.Duration
	task  string
	err   error
}

func (e *runLimitError) Error() string {
	return fmt.Sprintf("the run took longer than %s, the limit set in Settings", e.limit.Round(time.Second))
}

func (e *runLimitError) Unwrap() error { return e.err }

// cancelRun stops a running generation (Esc).
func (w *Window) cancelRun() {
	if w.runPending {
		w.stop()
		w.say("Cancelled.")
		return
	}
	if w.cancel == nil {
		return
	}
	w.stop()
	w.run.showStage(w.run.progress.Value, "Cancelling…")
	w.say("Cancelling…")
}

// stop cancels without touching widgets, for closing the window.
func (w *Window) stop() {
	if w.cancel != nil {
		w.cancel()
	}
	w.runPending = false
	w.saveAllPending = false
}

// title is the window title: the shot's name, and whether a run is on.
func (w *Window) title() string {
	t := "Backdrop"
	switch {
	case w.shot != nil:
		t = w.shot.Name + " — Backdrop"
	case w.sourceURL() != "":
		t = shorten(w.sourceURL(), 60) + " — Backdrop"
	}
	if w.cancel != nil {
		t = "Generating · " + t
	}
	return t
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
