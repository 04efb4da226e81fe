package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/imagefile"
	"backdrop/internal/job"
	"backdrop/internal/settings"
	"backdrop/ui/compare"
)

// Deps are the window's ways out to the rest of the program.
type Deps struct {
	Store     *settings.Store
	Connect   Connector
	Dialogs   FileDialogs
	Clipboard ImageClipboard
	Opener    Opener
	CacheDir  string // where pasted images are kept for upload
}

// Window is Backdrop's main window and the state of the current work.
type Window struct {
	app  fyne.App
	win  fyne.Window
	deps Deps

	settings settings.Settings
	backend  Backend

	shot    *imagefile.Shot // the loaded source file, nil when none
	results []job.Image
	// The compare view's items, prepared off the UI thread with the shot
	// and the results they show.
	originalItem compare.Item
	variantItems []compare.Item
	selected     int // 1-based variant, 0 when none

	cancel         context.CancelFunc // set while a generation runs
	loading        int                // shots being read
	runPending     bool               // Generate asked for while a shot was loading
	saveAllPending bool               // Save all asked for before the variants came

	source   *sourcePanel
	prompt   *promptPanel
	variants *variantsPanel
	run      *runPanel
	gallery  *gallery
	compare  *compare.View
	tabs     *container.AppTabs
	engine   *widget.Label
	notice   *widget.Label // the status bar's message line
	tips     *tooltips

	// ui runs a function on the UI thread: fyne.Do, or in tests a queue
	// the test goroutine drains, so widgets are touched by one goroutine.
	ui     func(func())
	events chan<- string // tests only: told when background work ends
}

// notify tells a test that background work ended ("loaded", "refused",
// "finished", "saved", "save-failed").
func (w *Window) notify(ev string) {
	if w.events != nil {
		w.events <- ev
	}
}

// New builds the window for app a. Nothing is shown until ShowAndRun.
func New(a fyne.App, deps Deps, start StartOptions) *Window {
	return newWindow(a, deps, start, fyne.Do, nil)
}

func newWindow(a fyne.App, deps Deps, start StartOptions, ui func(func()), events chan<- string) *Window {
	w := &Window{app: a, deps: deps, ui: ui, events: events}
	w.win = a.NewWindow("Backdrop")
	if fd, ok := deps.Dialogs.(*fileDialogs); ok {
		fd.win = w.win // for the fallback dialogs
	}
	w.settings = start.apply(deps.Store.Load())
	applyTheme(a, w.settings.Theme)
	w.build()
	w.connect()
	w.win.SetMainMenu(w.mainMenu())
	w.addCanvasShortcuts()
	w.win.SetOnDropped(w.onDropped)
	w.win.Resize(fyne.NewSize(1280, 820))
	w.win.SetCloseIntercept(w.confirmClose)
	w.win.SetOnClosed(func() {
		w.stop()
		if w.backend != nil {
			w.backend.Close()
		}
	})
	w.win.Canvas().Focus(w.prompt.entry)
	if start.File != "" {
		w.loadFile(start.File)
	}
	return w
}

// ShowAndRun shows the window and runs the app until it closes.
func (w *Window) ShowAndRun() { w.win.ShowAndRun() }

func (w *Window) build() {
	w.notice = widget.NewLabel("")
	w.notice.Truncation = fyne.TextTruncateEllipsis
	w.tips = newTooltips(w.ui)
	w.source = newSourcePanel(w)
	w.prompt = newPromptPanel(w)
	w.variants = newVariantsPanel(w.settings.DefaultBatch)
	w.run = newRunPanel(w)
	w.gallery = newGallery(w)
	w.compare = compare.New()
	w.engine = widget.NewLabel("")
	w.engine.Importance = widget.LowImportance

	// Source and prompt scroll; the variants and Generate stay in view.
	inputs := container.NewVBox(w.source.content, widget.NewSeparator(), w.prompt.content)
	actions := container.NewVBox(widget.NewSeparator(), w.variants.content, w.run.content)
	sidebar := container.NewBorder(nil, actions, nil, nil,
		container.NewVScroll(container.New(&paddedLayout{0, 0, theme.Padding() * 3}, inputs)))
	w.tabs = container.NewAppTabs(
		container.NewTabItem("Gallery", w.gallery.content),
		container.NewTabItem("Compare", w.compare),
	)
	w.tabs.OnSelected = func(*container.TabItem) { w.refreshCompare() }
	split := container.NewHSplit(container.NewPadded(sidebar), w.tabs)
	split.Offset = 0.3
	status := container.NewBorder(nil, nil, nil, w.engine, w.notice)
	main := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil, split)
	w.win.SetContent(container.NewStack(main, w.tips.layer))
}

// connect (re)makes the backend for the current settings.
func (w *Window) connect() {
	if w.backend != nil {
		w.backend.Close()
		w.backend = nil
	}
	b, err := w.deps.Connect(w.settings)
	if err != nil {
		w.engine.SetText("Not connected")
		w.showError(fmt.Errorf("cannot start: %w", err))
		return
	}
	w.backend = b
	w.engine.Importance = widget.MediumImportance
	if b.Offline() {
		w.engine.Importance = widget.WarningImportance
	}
	w.engine.SetText(b.Label())
	if b.Offline() {
		w.say("No API token: running on the built-in offline engine. Add a token in Settings (Ctrl+,) to use the service.")
	}
}

// say shows a one-line notice in the status bar.
func (w *Window) say(msg string) { w.notice.SetText(msg) }

// confirmClose asks before closing while a generation runs: its images are
// paid for and would be lost.
func (w *Window) confirmClose() {
	if w.cancel == nil {
		w.win.Close()
		return
	}
	dialog.ShowConfirm("A generation is running",
		"Its images are paid for and are still on their way. Close anyway and lose them?",
		func(closeAnyway bool) {
			if closeAnyway {
				w.win.Close()
			}
		}, w.win)
}
