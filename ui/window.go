package ui

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/imagefile"
	"backdrop/internal/library"
	"backdrop/internal/run"
	"backdrop/internal/settings"
	"backdrop/ui/compare"
)

// Deps are the window's ways out to the rest of the program.
type Deps struct {
	Store   *settings.Store
	Connect Connector
	// Library is the record of every run (the queues record into it, the
	// Library view and the board read it); nil when there is none, and
	// LibraryErr then says why (a damaged or newer database, with its path).
	Library    *library.Store
	LibraryErr error
	Dialogs    FileDialogs
	Clipboard  Clipboard
	Opener     Opener
	CacheDir   string       // where pasted images are kept for upload
	Probe      *http.Client // checks that the endpoint answers; nil: a plain client
}

// Window is Backdrop's main window. Runs live in the sessions' queues
// (run.Queue): the window holds drafts until Generate and, after, only the
// queues' snapshots, which reach it through the bridge.
type Window struct {
	app  fyne.App
	win  fyne.Window
	deps Deps

	start    StartOptions      // flags and environment: win for the session
	settings settings.Settings // in effect: the saved ones under start
	sess     *session          // the current backend and its queue
	retired  []*session        // earlier sessions, finishing their runs
	bridge   *bridge
	quit     chan struct{} // closed with the window: the bridge stops
	probe    *http.Client  // checks that the endpoint answers

	entries   []*entry                // the queue strip's rows
	byRun     map[string]*entry       // rows by queue item id
	snaps     map[string]run.Snapshot // every queued item as last reported
	stats     map[*session]run.Stats  // every queue's numbers as last reported
	lastEntry int
	current   *entry // the row shown in the source panel, gallery and compare
	// submitCtx is cancelled by Esc/Cancel: drafts still on their way to
	// the queue (probing the service) stay drafts.
	submitCtx  context.Context
	submitStop context.CancelFunc
	submitting int

	shot         *imagefile.Shot // the current entry's shot, loaded for display
	shotHash     string          // its content hash, as the library knows shots
	originalItem compare.Item
	pinned       []compare.Item // images of the board put into Compare
	pinnedHash   string         // the shot they are of
	show         *showcase      // the current entry's variants, loaded for display
	selected     int            // 1-based variant, 0 when none

	loading       int           // shots being read
	closeQuestion dialog.Dialog // "close anyway?" while it is shown
	connection    int           // counts connects, so a late check is ignored
	grownBack     int           // times the window was grown back to its minimum

	previewCancel context.CancelFunc // stops the URL preview being fetched
	previewHTTP   *http.Client       // fetches URL previews

	afterLoad string // said instead of "Loaded …" after the next load
	oversize  string // a shot over 15 MB waiting for the designer's choice

	source   *sourcePanel
	prompt   *promptPanel
	variants *variantsPanel
	run      *runPanel
	strip    *queueStrip
	gallery  *gallery
	board    *boardView
	library  *libraryView
	compare  *compare.View
	tabs     *container.AppTabs
	engine   *widget.Label
	spend    *widget.Label
	notice   *widget.Label // the status bar's message line
	tips     *tooltips
	thumbs   *thumbnails

	dailyCap atomic.Int64 // the cap in effect, read by the queues' goroutines

	settingsDialog dialog.Dialog  // the settings form while it is open
	settingsSave   *widget.Button // its Save button

	// ui runs a function on the UI thread: fyne.Do, or in tests a queue
	// the test goroutine drains, so widgets are touched by one goroutine.
	// Every call is timed (uiStats).
	ui      func(func())
	uiStats *callbackStats
	events  chan<- string // tests only: told when background work ends
}

// notify tells a test that background work ended ("loaded", "refused",
// "finished", "saved", "save-failed", …).
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
	w := &Window{app: a, deps: deps, events: events, start: start,
		previewHTTP: &http.Client{Timeout: previewTimeout}, probe: deps.Probe,
		byRun: map[string]*entry{}, snaps: map[string]run.Snapshot{}, stats: map[*session]run.Stats{}, quit: make(chan struct{}),
		uiStats: &callbackStats{}}
	if w.probe == nil {
		w.probe = &http.Client{}
	}
	w.ui = timed(ui, w.uiStats)
	w.bridge = newBridge(w.ui, w.applyChanges)
	w.thumbs = newThumbnails(w.ui, thumbWorkers)
	w.show = newShowcase(nil, 0)
	w.submitCtx, w.submitStop = context.WithCancel(context.Background())
	compare.SetTileDir(filepath.Join(deps.CacheDir, "tiles"))
	w.win = a.NewWindow("Backdrop")
	if fd, ok := deps.Dialogs.(*fileDialogs); ok {
		fd.win = w.win // for the fallback dialogs
	}
	w.settings = start.apply(deps.Store.Load())
	if w.settings.RunLimit <= 0 {
		w.settings.RunLimit = settings.DefaultRunLimit
	}
	w.dailyCap.Store(int64(w.settings.DailyCap))
	applyTheme(a, w.settings.Theme)
	w.build()
	w.connect()
	w.win.SetMainMenu(w.mainMenu())
	w.addCanvasShortcuts()
	w.win.SetOnDropped(w.onDropped)
	w.win.Resize(fyne.NewSize(1280, 820))
	w.setUpEventLog()
	w.win.SetCloseIntercept(w.confirmClose)
	w.win.SetOnClosed(w.closed)
	w.win.Canvas().Focus(w.prompt.entry)
	w.refreshSpend()
	if deps.LibraryErr != nil {
		w.showLibraryProblem(deps.LibraryErr)
	}
	w.resumeAtStart()
	w.takeStartFiles(start.Files)
	return w
}

// capNow is the daily cap in effect (the queues ask it before each create).
func (w *Window) capNow() int { return int(w.dailyCap.Load()) }

// closed stops every session: runs under way stay recorded as under way,
// so that the next start picks them up.
func (w *Window) closed() {
	w.submitStop()
	close(w.quit)
	w.thumbs.stop()
	for _, s := range append(w.retired, w.sess) {
		if s != nil {
			s.close()
		}
	}
}

// The tabs of the work area.
const (
	tabGallery = iota
	tabCompare
	tabBoard
	tabLibrary
)

// minContent is the smallest the window's content gets (900×600 with the
// menu bar): every part of the window works from there up.
var minContent = fyne.NewSize(892, 564) // plus the window's padding

// growBack resizes a window made smaller than its minimum back to it, as a
// window manager would; a few times only, so as never to fight one.
//
// The size it grows from is the one just laid out: the canvas may not
// report the new size yet when the callback runs (seen under load, where
// the window went back to its first size instead).
func (w *Window) growBack(min, laidOut fyne.Size) {
	if w.grownBack >= 3 {
		return
	}
	w.grownBack++
	go w.ui(func() {
		w.win.Resize(laidOut.Max(min))
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
	w.strip = newQueueStrip(w)
	w.gallery = newGallery(w)
	w.compare = compare.New()
	w.compare.SetKeyHook(w.onKey)
	w.board = newBoardView(w)
	w.library = newLibraryView(w)
	w.engine = widget.NewLabel("")
	w.engine.Importance = widget.LowImportance
	w.spend = widget.NewLabel("")
	w.spend.Importance = widget.LowImportance
	w.spend.Hide()

	// The shot, the prompt and Generate stay in view at every size; the
	// presets and recent prompts scroll in what is left.
	actions := container.NewVBox(widget.NewSeparator(), w.variants.content, w.run.content)
	extras := container.NewVScroll(container.New(&paddedLayout{0, 0, theme.Padding() * 3}, w.prompt.extras))
	sidebar := container.New(&sidebarLayout{zone: w.source.zone, onExtras: func(shown bool) { w.prompt.compact(!shown) }},
		w.source.content, container.NewVBox(widget.NewSeparator(), w.prompt.content), extras, actions)
	w.tabs = container.NewAppTabs(
		container.NewTabItem("Gallery", w.gallery.content),
		container.NewTabItem("Compare", w.compare),
		container.NewTabItem("Board", w.board.content),
		container.NewTabItem("Library", w.library.content),
	)
	w.tabs.OnSelected = func(*container.TabItem) {
		switch w.tabs.SelectedIndex() {
		case tabCompare:
			w.refreshCompare()
		case tabBoard:
			w.refreshBoard()
		case tabLibrary:
			w.library.shown()
		}
	}
	work := container.New(&stripLayout{strip: w.strip}, w.strip.content, w.tabs)
	split := container.NewHSplit(container.NewPadded(sidebar), work)
	split.Offset = 0.3
	status := container.NewBorder(nil, nil, nil, container.NewHBox(secondary(w.spend), secondary(w.engine)), w.notice)
	main := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil, split)
	w.win.SetContent(container.New(&atLeast{size: minContent, tooSmall: w.growBack}, container.NewStack(main, w.tips.layer)))
}

// connect makes the backend and queue for the settings in effect and
// checks, in the background, that the service answers. The session before
// it, if any, keeps its runs going to their end.
func (w *Window) connect() {
	if old := w.sess; old != nil {
		w.sess = nil
		w.retire(old)
	}
	w.connection++
	b, err := w.deps.Connect(w.settings)
	if err != nil {
		w.engine.SetText("Not connected")
		w.showError(fmt.Errorf("cannot start: %w", err))
		return
	}
	s, err := newSession(b, w.settings, w.deps.Library, w.capNow)
	if err != nil {
		b.Close()
		w.engine.SetText("Not connected")
		w.showError(fmt.Errorf("cannot start: %w", err))
		return
	}
	w.sess = s
	w.followSession(s)
	w.variants.describe(b.Offline())
	if b.Offline() {
		w.engine.Importance = widget.WarningImportance
		w.engine.SetText(b.Label())
		w.say("No API token: running on the built-in offline engine. Add a token in Settings (Ctrl+,) to use the service.")
		return
	}
	w.engine.Importance = widget.MediumImportance
	w.engine.SetText(b.Label() + " · checking…")
	host, turn, endpoint, hc := w.serviceHost(), w.connection, b.Endpoint(), w.probe
	go func() {
		err := probe(context.Background(), hc, endpoint)
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

// followSession starts the bridge on a session's queue.
func (w *Window) followSession(s *session) {
	s.sub = s.queue.Subscribe()
	go w.bridge.follow(s, w.quit)
}

// retire keeps a session whose queue still has runs until the window
// closes; an idle one is closed at once.
func (w *Window) retire(s *session) {
	st := s.queue.Stats()
	if st.Total == 0 {
		go s.close()
		return
	}
	w.retired = append(w.retired, s)
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

// confirmClose asks before closing while runs are under way: with the
// library they are picked up at the next start; without it their images
// would be lost (and, from the service, they are paid for).
func (w *Window) confirmClose() {
	running := w.runningCount()
	if running == 0 {
		w.win.Close()
		return
	}
	title := "A generation is running"
	if running > 1 {
		title = fmt.Sprintf("%d generations are running", running)
	}
	msg := "Its images are still on their way. Close anyway and lose them?"
	paid := w.sess != nil && !w.sess.offline
	switch {
	case w.deps.Library != nil && paid:
		msg = "Their images are paid for and still on their way. If you close now, Backdrop fetches them when it starts again (within the hour the service keeps them). Close anyway?"
	case w.deps.Library != nil:
		msg = "Their images are still on their way. If you close now, Backdrop picks them up when it starts again. Close anyway?"
	case paid:
		msg = "Their images are paid for and are still on their way. Close anyway and lose them?"
	}
	w.closeQuestion = dialog.NewConfirm(title, msg,
		func(closeAnyway bool) {
			w.closeQuestion = nil
			if closeAnyway {
				w.win.Close()
			}
		}, w.win)
	w.closeQuestion.Show()
}

// dismissCloseQuestion takes back "a generation is running" once none is.
func (w *Window) dismissCloseQuestion() {
	if w.closeQuestion != nil {
		w.closeQuestion.Hide()
		w.closeQuestion = nil
	}
}
