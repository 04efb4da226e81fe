package ui

import (
	"fmt"
	"image"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/library"
	"backdrop/internal/run"
	"backdrop/ui/keyed"
)

// queueStrip lists every entry (thumbnail, name, state, progress and, when
// done, its variants) in a virtualised list, under the whole queue's bar:
// done/total, failed, elapsed and time left, with Pause/Resume, Cancel
// all and Retry failed. It shows once there is more than one entry.
type queueStrip struct {
	w       *Window
	content *fyne.Container
	list    *keyed.List
	summary *widget.Label
	bar     *thinBar
	pause   *tipButton
	cancel  *tipButton
	retry   *tipButton
	shown   bool
	marking bool        // the list's selection is being set to the current entry
	rows    []*stripRow // every row the list made (it recycles them)
	// hideTimes leaves elapsed and left out of the line (golden screens).
	hideTimes bool
}

func newQueueStrip(w *Window) *queueStrip {
	s := &queueStrip{w: w}
	s.list = keyed.NewList(
		func() int { return len(w.entries) },
		func() fyne.CanvasObject {
			r := newStripRow(w)
			s.rows = append(s.rows, r)
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(w.entries) {
				o.(*stripRow).show(w.entries[i])
			}
		}, w.onKey)
	s.list.OnSelected = func(i widget.ListItemID) {
		if s.marking || i >= len(w.entries) {
			return
		}
		w.setCurrent(w.entries[i])
	}
	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord
	s.bar = newThinBar()
	s.pause = w.tipButton("", theme.MediaPauseIcon(), "Pause: nothing new is sent; what is at the service finishes", s.togglePause)
	s.cancel = w.tipButton("", theme.CancelIcon(), "Cancel every run under way (Esc)", w.cancelRun)
	s.retry = w.tipButton("", theme.ViewRefreshIcon(), "Retry every failed run (a task already made is fetched, not made again)", w.retryFailed)
	for _, b := range []*tipButton{s.pause, s.cancel, s.retry} {
		b.Importance = widget.LowImportance
	}
	title := widget.NewLabelWithStyle("Queue", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head := container.NewVBox(
		container.NewBorder(nil, nil, title, container.NewHBox(s.pause, s.retry, s.cancel)),
		s.bar,
		s.summary,
	)
	s.content = container.NewBorder(head, nil, nil, nil, s.list)
	s.content.Hide()
	return s
}

// refresh re-reads the entries: rows added or removed.
func (s *queueStrip) refresh() {
	show := len(s.w.entries) > 1
	if show != s.shown {
		s.shown = show
		if show {
			s.content.Show()
		} else {
			s.content.Hide()
		}
		if p := s.w.win.Content(); p != nil {
			p.Refresh()
		}
	}
	s.list.Refresh()
	s.markCurrent()
	s.showStats(s.w.queueStats())
}

// refreshEntry redraws one row.
//
// The row showing e is filled again directly: the list's RefreshItem
// lays out and fills every visible row, which forty items changing at
// once would pay forty times. A row off screen is filled when the list
// shows it.
func (s *queueStrip) refreshEntry(e *entry) {
	if s.w.indexOf(e) < 0 {
		return
	}
	for _, r := range s.rows {
		if r.e == e {
			r.show(e)
		}
	}
}

// markCurrent selects the current entry's row.
func (s *queueStrip) markCurrent() {
	i := -1
	if s.w.current != nil {
		i = s.w.indexOf(s.w.current)
	}
	s.marking = true
	defer func() { s.marking = false }()
	if i < 0 {
		s.list.UnselectAll()
		return
	}
	s.list.Select(i)
}

// queueTotals are the strip's numbers: the queues' and the drafts'.
type queueTotals struct {
	run.Stats
	drafts int
}

func (w *Window) queueStats() queueTotals {
	var t queueTotals
	for _, e := range w.entries {
		if e.lib != nil {
			continue // from the library: not in a queue
		}
		if e.draft() || e.sending {
			t.drafts++
			continue
		}
		s, ok := w.snapshot(e)
		if !ok {
			t.Waiting++
			t.Total++
			continue
		}
		t.Total++
		switch {
		case s.State == run.Done:
			t.Done++
		case s.State == run.Failed:
			t.Failed++
		case s.State == run.Cancelled:
			t.Cancelled++
		case s.State == run.Skipped:
			t.Skipped++
		case s.State == run.Waiting:
			t.Waiting++
		default:
			t.Running++
		}
	}
	for sess, st := range w.stats {
		t.Elapsed = max(t.Elapsed, st.Elapsed)
		if st.LeftKnown {
			t.Left, t.LeftKnown = max(t.Left, st.Left), true
		}
		if sess == w.sess {
			t.Paused = st.Paused
		}
	}
	return t
}

// showStats fills the bar and its line.
func (s *queueStrip) showStats(t queueTotals) {
	var parts []string
	if t.Total > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d done", t.Done+t.Skipped, t.Total))
	}
	if t.Running > 0 {
		parts = append(parts, fmt.Sprintf("%d running", t.Running))
	}
	if t.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", t.Failed))
	}
	if t.Cancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled", t.Cancelled))
	}
	if t.drafts > 0 {
		parts = append(parts, fmt.Sprintf("%d not sent yet (Generate sends them)", t.drafts))
	}
	if t.Elapsed > 0 && !s.hideTimes {
		parts = append(parts, clock(t.Elapsed)+" elapsed")
	}
	if t.LeftKnown && t.Waiting+t.Running > 0 && !s.hideTimes {
		parts = append(parts, roughly(t.Left)+" left")
	}
	line := strings.Join(parts, " · ")
	if t.Paused && t.Waiting > 0 {
		line = "Paused · " + line
	}
	if line != s.summary.Text {
		s.summary.SetText(line)
	}
	if t.Total > 0 {
		s.bar.setValue(float64(t.Finished()) / float64(t.Total))
	} else {
		s.bar.setValue(0)
	}
	if t.Paused {
		s.pause.Icon, s.pause.tip = theme.MediaPlayIcon(), "Resume: send what waits"
	} else {
		s.pause.Icon, s.pause.tip = theme.MediaPauseIcon(), "Pause: nothing new is sent; what is at the service finishes"
	}
	s.pause.Refresh()
	enable(s.cancel, t.Waiting+t.Running > 0 || s.w.submitting > 0)
	enable(s.retry, t.Failed+t.Cancelled > 0)
}

func enable(b *tipButton, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// togglePause pauses or resumes every queue.
func (s *queueStrip) togglePause() {
	w := s.w
	if w.sess == nil {
		return
	}
	paused := !w.stats[w.sess].Paused
	for _, sess := range append([]*session{w.sess}, w.retired...) {
		if paused {
			sess.queue.Pause()
		} else {
			sess.queue.Resume()
		}
	}
	if paused {
		w.say("Paused: nothing new is sent; what is at the service finishes and is saved.")
	} else {
		w.say("Resumed.")
	}
	w.notify("paused")
}

// retryFailed retries every failed (and cancelled) item, off the UI
// thread. Those whose create may have been billed are left for one by one.
func (w *Window) retryFailed() {
	var cancelled []*entry
	for _, e := range w.entries {
		if s, ok := w.snapshot(e); ok && s.State == run.Cancelled {
			cancelled = append(cancelled, e)
		}
	}
	sessions := append([]*session{w.sess}, w.retired...)
	go func() {
		n := 0
		for _, s := range sessions {
			if s != nil {
				n += s.queue.RetryFailed()
			}
		}
		for _, e := range cancelled {
			if e.sess.queue.Retry(e.runID) == nil {
				n++
			}
		}
		w.ui(func() {
			w.say(fmt.Sprintf("Retrying %s.", countOf(n, "run")))
			w.updateRunning()
			w.notify("retried")
		})
	}()
}

// clock writes a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}

// roughly says a time left as a person would.
func roughly(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return "a few seconds"
	case d < time.Minute:
		return fmt.Sprintf("about %d s", int(d.Seconds()+5)/10*10)
	case d < time.Hour:
		return fmt.Sprintf("about %d min", int(d.Minutes()+0.5))
	}
	return fmt.Sprintf("about %.1f h", d.Hours())
}

// stripLayout puts the strip to the left of the tabs when it is shown.
type stripLayout struct{ strip *queueStrip }

const stripWidth = 250

func (l *stripLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	strip, tabs := objs[0], objs[1]
	x := float32(0)
	if strip.Visible() {
		wd := min(float32(stripWidth), size.Width*0.4)
		strip.Move(fyne.NewPos(0, 0))
		strip.Resize(fyne.NewSize(wd, size.Height))
		x = wd + theme.Padding()
	}
	tabs.Move(fyne.NewPos(x, 0))
	tabs.Resize(fyne.NewSize(size.Width-x, size.Height))
}

func (l *stripLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := objs[1].MinSize()
	if objs[0].Visible() {
		s := objs[0].MinSize()
		return fyne.NewSize(m.Width+min(s.Width, stripWidth)+theme.Padding(), max(m.Height, s.Height))
	}
	return m
}

// stripRow is one entry of the strip.
type stripRow struct {
	widget.BaseWidget
	w        *Window
	e        *entry
	thumb    *canvas.Image
	name     *widget.Label
	state    *widget.Label
	bar      *thinBar
	variants [4]*canvas.Image
	action   *tipButton
	remove   *tipButton
	// actionFor and actionSince say which entry the action button last
	// changed role for, and when: a click that lands just after an item
	// ended must not turn a Cancel into a paid Run again.
	actionFor   *entry
	actionSince time.Time
}

// actionSettle is how long a row's button must have shown its role
// before a click on it counts.
const actionSettle = 700 * time.Millisecond

const (
	rowThumb     = 48
	rowVariant   = 22
	stripMaxShow = 4 // variant thumbnails on a row
)

func newStripRow(w *Window) *stripRow {
	r := &stripRow{w: w}
	r.thumb = newThumbImage()
	r.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.state = widget.NewLabel("")
	r.state.Truncation = fyne.TextTruncateEllipsis
	r.state.SizeName = theme.SizeNameCaptionText
	r.bar = newThinBar()
	r.action = w.tipButton("", theme.CancelIcon(), "", func() { r.act() })
	r.action.Importance = widget.LowImportance
	r.remove = w.tipButton("", theme.DeleteIcon(), "Take it off the queue (its files stay)", func() { r.drop() })
	r.remove.Importance = widget.LowImportance
	for i := range r.variants {
		r.variants[i] = newThumbImage()
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *stripRow) CreateRenderer() fyne.WidgetRenderer {
	var vs []fyne.CanvasObject
	for _, v := range r.variants {
		vs = append(vs, v)
	}
	variants := container.New(&fixedGrid{cell: fyne.NewSquareSize(rowVariant), gap: 2}, vs...)
	text := container.New(&rowTextLayout{}, r.name, r.state, r.bar, variants)
	buttons := container.NewVBox(r.action, r.remove)
	thumb := container.New(&fixedGrid{cell: fyne.NewSquareSize(rowThumb)}, r.thumb)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(thumb), buttons, text))
}

// show fills the row from an entry.
func (r *stripRow) show(e *entry) {
	r.e = e
	w := r.w
	if name := e.name(); name != r.name.Text {
		r.name.SetText(name)
	}
	snap, queued := w.snapshot(e)
	label, fraction := "", 0.0
	switch {
	case e.lib != nil:
		label = libLabel(e.lib)
	case e.sending:
		label = "Sending…"
	case e.draft():
		label = "Not sent · " + draftLabel(e, w)
	case !queued:
		label = "Waiting"
	default:
		label, fraction = rowLabel(snap), snap.Fraction()
	}
	if label != r.state.Text {
		r.state.SetText(label)
	}
	r.state.Importance = widget.MediumImportance
	if queued && snap.State == run.Failed || e.lib != nil && e.lib.State != library.StateDone {
		r.state.Importance = widget.DangerImportance
	}
	r.bar.setValue(fraction)
	r.bar.Hidden = !queued || snap.State.Finished() || snap.State == run.Waiting
	// The shot's thumbnail, then the variants'.
	var img image.Image
	if src := e.spec.ImageFile; src != "" {
		img = w.thumbs.file(src, func() { w.strip.refreshEntry(e) })
	}
	setImage(r.thumb, img)
	for i, v := range r.variants {
		var vi image.Image
		if queued && i < len(snap.Variants) && snap.Variants[i].Path() != "" {
			vi = w.thumbs.file(snap.Variants[i].Path(), func() { w.strip.refreshEntry(e) })
		}
		setImage(v, vi)
	}
	r.showActions(snap, queued)
}

// draftLabel says what a draft will send.
func draftLabel(e *entry, w *Window) string {
	p := strings.TrimSpace(e.spec.Prompt)
	if p == "" {
		p = "no prompt yet"
	}
	return fmt.Sprintf("%s · %s", countOf(max(e.spec.Variants, 1), "variant"), shorten(p, 40))
}

// rowLabel is an item's state in a few words.
func rowLabel(s run.Snapshot) string {
	switch s.State {
	case run.Done:
		// The prompt tells apart the runs of one shot.
		return fmt.Sprintf("Done · %s · %s", countOf(len(s.Variants), "variant"), oneLine(s.Spec.Prompt))
	case run.Failed:
		if s.MayBeBilled {
			return "Failed (may have been billed)"
		}
	}
	return s.Label()
}

func (r *stripRow) showActions(s run.Snapshot, queued bool) {
	e := r.e
	icon, tip := theme.CancelIcon(), "Cancel this run"
	switch {
	case e.lib != nil:
		icon, tip = theme.MediaReplayIcon(), "Run it again: a new create, billed again"
	case e.draft():
		icon, tip = theme.DeleteIcon(), "Take it off the queue"
	case !queued || !s.State.Finished():
	case s.State == run.Failed || s.State == run.Cancelled:
		icon, tip = theme.ViewRefreshIcon(), "Retry (a task already made is fetched, not made again)"
		if s.MayBeBilled {
			tip = "Send again: the first create may have been billed, so this may bill twice"
		}
	default:
		icon, tip = theme.MediaReplayIcon(), "Run again: new variants, billed again"
	}
	// Refreshed only on a change: a button's refresh colours its icon
	// anew, and rows are filled at every progress step.
	if r.action.Icon != icon || r.action.tip != tip {
		if r.actionFor == e {
			r.actionSince = time.Now()
		}
		r.action.Icon, r.action.tip = icon, tip
		r.action.Refresh()
	}
	r.actionFor = e
	if e.sending != r.action.Disabled() {
		if e.sending {
			r.action.Disable()
		} else {
			r.action.Enable()
		}
	}
	if e.draft() || e.lib != nil || (queued && s.State.Finished()) {
		r.remove.Show()
	} else {
		r.remove.Hide()
	}
	if e.draft() {
		r.remove.Hide() // the action button removes a draft
	}
}

// act is the row's button: cancel, retry or run again by its state.
func (r *stripRow) act() {
	e, w := r.e, r.w
	if e == nil {
		return
	}
	if e.lib != nil {
		w.rerunFromLibrary(e)
		return
	}
	if e.draft() {
		w.dropEntry(e)
		return
	}
	if time.Since(r.actionSince) < actionSettle {
		w.say(e.name() + " has just changed state; nothing was done. Click again if you meant it.")
		return
	}
	s, ok := w.snapshot(e)
	if !ok || e.sess == nil {
		return
	}
	switch {
	case !s.State.Finished():
		q, id := e.sess.queue, e.runID
		go q.Cancel(id)
		w.say("Cancelling " + e.name() + "…")
	case s.State == run.Failed || s.State == run.Cancelled:
		w.retryEntry(e)
	default:
		w.runAgain(e)
	}
}

func (r *stripRow) drop() {
	if r.e != nil {
		r.w.dropEntry(r.e)
	}
}

// dropEntry takes a draft or a finished item off the strip (its files and
// library record stay).
func (w *Window) dropEntry(e *entry) {
	if !e.draft() && e.lib == nil {
		if s, ok := w.snapshot(e); !ok || !s.State.Finished() {
			return
		}
		q, id := e.sess.queue, e.runID
		go q.Remove(id)
		delete(w.byRun, id)
	}
	wasCurrent := w.current == e
	i := w.indexOf(e)
	w.removeEntry(e)
	if wasCurrent && len(w.entries) > 0 {
		w.setCurrent(w.entries[min(i, len(w.entries)-1)])
	}
	w.strip.refresh()
	w.notify("dropped")
}

// runAgain adds a new item doing an entry's work again, billed again.
func (w *Window) runAgain(e *entry) {
	spec := e.spec
	if s, ok := w.snapshot(e); ok {
		spec = s.Spec
	}
	spec.ID, spec.TaskID, spec.Force = "", "", true
	if spec.Source() == "" {
		w.say("A fetched task cannot be run again: it has no shot.")
		return
	}
	n := w.newEntry(spec, false)
	w.strip.refresh()
	w.submit([]*entry{n})
}

func setImage(c *canvas.Image, img image.Image) {
	if c.Image == img {
		return
	}
	c.Image = img
	if img == nil {
		c.Hide()
	} else {
		c.Show()
	}
	c.Refresh()
}

// rowTextLayout stacks the name, the state, the progress bar and the
// variants' thumbnails.
type rowTextLayout struct{}

func (l *rowTextLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for i, o := range objs {
		h := o.MinSize().Height
		if i == 0 || i == 1 {
			h -= theme.Padding() * 1.5 // labels carry their own padding
		}
		if !o.Visible() {
			if i == 2 {
				y += 4
			}
			continue
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, o.MinSize().Height))
		y += h
	}
}

func (l *rowTextLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for i, o := range objs {
		m := o.MinSize().Height
		if i == 0 || i == 1 {
			m -= theme.Padding() * 1.5
		}
		if i == 2 {
			m = 4
		}
		h += m
	}
	return fyne.NewSize(60, h)
}

// fixedGrid lays its children in a row of cells of one size.
type fixedGrid struct {
	cell fyne.Size
	gap  float32
}

func (l *fixedGrid) Layout(objs []fyne.CanvasObject, _ fyne.Size) {
	for i, o := range objs {
		o.Move(fyne.NewPos(float32(i)*(l.cell.Width+l.gap), 0))
		o.Resize(l.cell)
	}
}

func (l *fixedGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n := float32(len(objs))
	return fyne.NewSize(n*l.cell.Width+max(n-1, 0)*l.gap, l.cell.Height)
}

// thinBar is a progress line a few pixels high, drawn in theme colours.
type thinBar struct {
	widget.BaseWidget
	value float64
}

func newThinBar() *thinBar {
	b := &thinBar{}
	b.ExtendBaseWidget(b)
	return b
}

func (b *thinBar) setValue(v float64) {
	if v == b.value {
		return
	}
	b.value = v
	b.Refresh()
}

func (b *thinBar) CreateRenderer() fyne.WidgetRenderer {
	r := &thinBarRenderer{b: b, back: canvas.NewRectangle(nil), fill: canvas.NewRectangle(nil)}
	r.back.CornerRadius, r.fill.CornerRadius = 2, 2
	r.Refresh()
	return r
}

type thinBarRenderer struct {
	b          *thinBar
	back, fill *canvas.Rectangle
	size       fyne.Size
}

func (r *thinBarRenderer) Layout(size fyne.Size) {
	r.size = size
	r.back.Resize(size)
	r.fill.Resize(fyne.NewSize(size.Width*float32(min(max(r.b.value, 0), 1)), size.Height))
}
func (r *thinBarRenderer) MinSize() fyne.Size           { return fyne.NewSize(20, 4) }
func (r *thinBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.back, r.fill} }
func (r *thinBarRenderer) Destroy()                     {}
func (r *thinBarRenderer) Refresh() {
	r.back.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.fill.FillColor = theme.Color(theme.ColorNamePrimary)
	r.Layout(r.size)
	r.back.Refresh()
	r.fill.Refresh()
}
