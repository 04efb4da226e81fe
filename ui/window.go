package ui

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
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
	Clipboard Clipboard
	Opener    Opener
	CacheDir  string // where pasted images are kept for upload
}

// Window is Backdrop's main window and the state of the current work.
type Window struct {
	app  fyne.App
	win  fyne.Window
	deps Deps

	start    StartOptions      // flags and environment: win for the session
	settings settings.Settings // in effect: the saved ones under start
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
	lastReq        *api.CreateRequest // the last request sent, for Retry
	lastTask       string             // the task the last run made, "" before it had one
	closeQuestion  dialog.Dialog      // "close anyway?" while it is shown
	connection     int                // counts connects, so a late check is ignored
	grownBack      int                // times the window was grown back to its minimum

	previewCancel context.CancelFunc // stops the URL preview being fetched
	previewHTTP   *http.Client       // fetches URL previews

	afterLoad string // said instead of "Loaded …" after the next load
	oversize  string // a shot over 15 MB waiting for the designer's choice

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
	w.logEvent("event", ev)
	if w.events != nil {
		w.events <- ev
	}
}

// New builds the window for app a. Nothing is shown until ShowAndRun.
func New(a fyne.App, deps Deps, start StartOptions) *Window {
	return newWindow(a, deps, start, fyne.Do, nil)
}

func newWindow(a fyne.App, deps Deps, start StartOptions, ui func(func()), events chan<- string) *Window {
	w := &Window{app: a, deps: deps, ui: ui, events: events, start: start, previewHTTP: &http.Client{Timeout: previewTimeout}}
	compare.SetTileDir(filepath.Join(deps.CacheDir, "tiles"))
	w.win = a.NewWindow("Backdrop")
	if fd, ok := deps.Dialogs.(*fileDialogs); ok {
		fd.win = w.win // for the fallback dialogs
	}
	w.settings = start.apply(deps.Store.Load())
	if w.settings.RunLimit <= 0 {
		w.settings.RunLimit = settings.DefaultRunLimit
	}
	applyTheme(a, w.settings.Theme)
	w.build()
	w.connect()
	w.win.SetMainMenu(w.mainMenu())
	w.addCanvasShortcuts()
	w.win.SetOnDropped(w.onDropped)
	w.win.Resize(fyne.NewSize(1280, 820))
	w.setUpEventLog()
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

// minContent is the smallest the window's content gets (900×600 with the
// menu bar): every part of the window works from there up.
var minContent = fyne.NewSize(892, 564) // plus the window's padding

// growBack resizes a window made smaller than its minimum back to it, as a
// window manager would; a few times only, so as never to fight one.
func (w *Window) growBack(min fyne.Size) {
	if w.grownBack >= 3 {
		return
	}
	w.grownBack++
	go w.ui(func() {
		size := w.win.Canvas().Size()
		w.win.Resize(fyne.NewSize(max(size.Width, min.Width), max(size.Height, min.Height)))
		w.logEvent("status", "The window is kept at its minimum size.")
	})
}

// ShowAndRun shows the window and runs the app until it closes.
func (w *Window) ShowAndRun() { w.win.ShowAndRun() }

func (w *Window) build() {
	w.notice = widget.NewLabel("")
	w.notice.Truncation = fyne.TextTruncateEllipsis
	w.tips = newTooltips(w.ui)
	w.source = newSourcePanel(w)
	w.prompt = newPromptPanel(w)
	w.variants = newVariantsPanel(w, w.settings.DefaultBatch)
	w.run = newRunPanel(w)
	w.gallery = newGallery(w)
	w.compare = compare.New()
	w.compare.SetKeyHook(w.onKey)
	w.engine = widget.NewLabel("")
	w.engine.Importance = widget.LowImportance

	// The shot, the prompt and Generate stay in view at every size; the
	// presets and recent prompts scroll in what is left.
	actions := container.NewVBox(widget.NewSeparator(), w.variants.content, w.run.content)
	extras := container.NewVScroll(container.New(&paddedLayout{0, 0, theme.Padding() * 3}, w.prompt.extras))
	sidebar := container.New(&sidebarLayout{zone: w.source.zone, onExtras: func(shown bool) { w.prompt.compact(!shown) }},
		w.source.content, container.NewVBox(widget.NewSeparator(), w.prompt.content), extras, actions)
	w.tabs = container.NewAppTabs(
		container.NewTabItem("Gallery", w.gallery.content),
		container.NewTabItem("Compare", w.compare),
	)
	w.tabs.OnSelected = func(*container.TabItem) { w.refreshCompare() }
	split := container.NewHSplit(container.NewPadded(sidebar), w.tabs)
	split.Offset = 0.3
	status := container.NewBorder(nil, nil, nil, w.engine, w.notice)
	main := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil, split)
	w.win.SetContent(container.New(&atLeast{size: minContent, tooSmall: w.growBack}, container.NewStack(main, w.tips.layer)))
}

// connect (re)makes the backend for the settings in effect and checks,
// in the background, that the service answers.
func (w *Window) connect() {
	if w.backend != nil {
		w.backend.Close()
		w.backend = nil
	}
	w.connection++
	b, err := w.deps.Connect(w.settings)
	if err != nil {
		w.engine.SetText("Not connected")
		w.showError(fmt.Errorf("cannot start: %w", err))
		return
	}
	w.backend = b
	w.variants.describe(b.Offline())
	if b.Offline() {
		w.engine.Importance = widget.WarningImportance
		w.engine.SetText(b.Label())
		w.say("No API token: running on the built-in offline engine. Add a token in Settings (Ctrl+,) to use the service.")
		return
	}
	w.engine.Importance = widget.MediumImportance
	w.engine.SetText(b.Label() + " · checking…")
	host, turn := w.serviceHost(), w.connection
	go func() {
		err := b.Check(context.Background())
		w.ui(func() {
			if turn != w.connection {
				return // settings changed since
			}
			if err != nil {
				w.engine.Importance = widget.DangerImportance
				w.engine.SetText(b.Label() + " · unreachable")
				w.say("Cannot reach " + host + " — check the connection or the endpoint in Settings. (" + networkDetail(err, host) + ")")
				w.notify("unreachable")
				return
			}
			w.engine.Importance = widget.SuccessImportance
			w.engine.SetText(b.Label() + " · connected")
			w.logEvent("status", "Connected to "+host+".")
			w.notify("connected")
		})
	}()
}

// say shows a one-line message in the status bar, the window's one
// place for messages.
func (w *Window) say(msg string) {
	if msg == w.notice.Text {
		return
	}
	w.notice.SetText(msg)
	w.logEvent("status", msg)
}

// confirmClose asks before closing while a generation runs: its images
// would be lost (and, from the service, they are paid for).
func (w *Window) confirmClose() {
	if w.cancel == nil {
		w.win.Close()
		return
	}
	msg := "Its images are still on their way. Close anyway and lose them?"
	if w.backend != nil && !w.backend.Offline() {
		msg = "Its images are paid for and are still on their way. Close anyway and lose them?"
	}
	w.closeQuestion = dialog.NewConfirm("A generation is running", msg,
		func(closeAnyway bool) {
			w.closeQuestion = nil
			if closeAnyway {
				w.win.Close()
			}
		}, w.win)
	w.closeQuestion.Show()
}

// dismissCloseQuestion takes back "a generation is running" once it no
// longer is.
func (w *Window) dismissCloseQuestion() {
	if w.closeQuestion != nil {
		w.closeQuestion.Hide()
		w.closeQuestion = nil
	}
}
