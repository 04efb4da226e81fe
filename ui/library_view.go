package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/library"
	"backdrop/ui/keyed"
)

// libraryView lists every recorded run, newest first: a virtualised list
// filled a page at a time (keyset paging, so the 10,000th run costs what
// the first does), searchable by prompt and file name, filterable by shot,
// with thumbnails loaded lazily off the UI thread.
type libraryView struct {
	w       *Window
	content fyne.CanvasObject
	search  *keyed.Entry
	shots   *keyed.Select
	list    *keyed.List
	info    *widget.Label
	open    *tipButton
	again   *tipButton
	board   *tipButton
	remove  *tipButton
	refresh *tipButton // shown when runs were recorded since the list was loaded

	runs     []library.Run
	next     library.ID // the next page's Before; 0 when all are loaded
	turn     int        // changes with each new query: late pages are dropped
	loading  bool
	loaded   bool // a first page came since the view was made stale
	stale    bool
	selected int // index in runs, -1 when none
	shotList []library.Shot
	shotHash string // the filter: "" for every shot
	typed    *time.Timer
}

// libraryPage is how many runs a page holds: more than a screenful.
const libraryPage = 60

func newLibraryView(w *Window) *libraryView {
	v := &libraryView{w: w, selected: -1, stale: true}
	v.search = w.textEntry(false)
	v.search.SetPlaceHolder("Search prompts, file names")
	v.search.OnChanged = func(string) { v.searchTyped() }
	v.shots = keyed.NewSelect(nil, func(string) { v.shotChosen() }, w.onKey)
	v.shots.PlaceHolder = "Every shot"
	v.list = keyed.NewList(
		func() int { return len(v.runs) },
		func() fyne.CanvasObject { return newLibraryRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { v.showRow(i, o.(*libraryRow)) }, w.onKey)
	v.list.OnSelected = func(i widget.ListItemID) { v.choose(i) }
	v.info = widget.NewLabel("")
	v.info.Wrapping = fyne.TextWrapWord
	v.open = w.tipButton("Open", theme.FolderOpenIcon(), "Show this run's variants in the gallery and Compare", func() { v.openSelected() })
	v.again = w.tipButton("Run again", theme.MediaReplayIcon(), "Put this run's shot, prompt and variant count back in the form", func() { v.runAgainSelected() })
	v.board = w.tipButton("Board", theme.GridIcon(), "Every run of this shot, grouped by prompt", func() { v.boardSelected() })
	v.remove = w.tipButton("Delete…", theme.DeleteIcon(), "Delete this run's images from the library (asks first)", func() { v.deleteSelected() })
	v.remove.Importance = widget.DangerImportance
	v.refresh = w.tipButton("New runs", theme.ViewRefreshIcon(), "Runs were recorded since this list was loaded: show them", func() { v.reload() })
	v.refresh.Importance = widget.HighImportance
	v.refresh.Hide()
	v.enableActions()
	top := container.NewBorder(nil, nil, nil, container.NewHBox(v.refresh, container.New(&minWidth{170}, v.shots)), v.search)
	flow := &flowRows{}
	actions := container.New(flow, v.open, v.again, v.board, v.remove)
	bottom := container.NewVBox(widget.NewSeparator(), v.info, actions)
	content := container.NewBorder(container.NewPadded(top), bottom, nil, nil, v.list)
	flow.changed = content.Refresh
	v.content = content
	return v
}

// shown is called when the Library tab is selected: a stale list is
// loaded again from the first page.
func (v *libraryView) shown() {
	if v.stale {
		v.reload()
	}
}

// invalidate marks the list out of date (runs were recorded): it is
// loaded again when next shown; on screen, a Refresh button offers it
// rather than moving the list under the designer's eyes.
func (v *libraryView) invalidate() {
	v.stale = true
	if v.w.tabs.Selected() != nil && v.w.tabs.Selected().Content == v.content {
		v.refresh.Show()
	}
}

// changed reloads at once after the designer changed the library
// (Delete), if it is on screen.
func (v *libraryView) changed() {
	v.stale = true
	if v.w.tabs.Selected() != nil && v.w.tabs.Selected().Content == v.content {
		v.reload()
	}
}

// reload starts the query again from the newest run.
func (v *libraryView) reload() {
	lib := v.w.deps.Library
	v.stale = false
	if lib == nil {
		v.info.SetText("The library is off this session, so there is no history to show.")
		return
	}
	v.turn++
	v.refresh.Hide()
	v.runs, v.next, v.loading, v.selected = nil, 0, false, -1
	v.list.UnselectAll()
	v.list.Refresh()
	v.enableActions()
	v.loadPage(0)
	v.loadShots()
}

// loadPage fetches the page of runs older than before, off the UI thread.
func (v *libraryView) loadPage(before library.ID) {
	lib := v.w.deps.Library
	if lib == nil || v.loading {
		return
	}
	v.loading = true
	q := library.Query{Search: strings.TrimSpace(v.search.Text), Shot: v.shotHash, Before: before, Limit: libraryPage}
	turn := v.turn
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		page, err := lib.List(ctx, q)
		v.w.ui(func() {
			if turn != v.turn {
				return // a newer search
			}
			v.loading = false
			if err != nil {
				v.info.SetText("The library could not be read: " + err.Error())
				return
			}
			v.runs = append(v.runs, page.Runs...)
			v.next = page.Next
			v.list.Refresh()
			v.loaded = true
			if len(v.runs) == 0 {
				switch {
				case q.Search != "" || q.Shot != "":
					v.info.SetText("No run matches.")
				default:
					v.info.SetText("No runs yet: every run of the window and of `backdrop generate` is kept here.")
				}
			} else if v.selected < 0 {
				v.info.SetText("Choose a run to open it, run it again or delete it.")
			}
			v.w.notify("library-page")
		})
	}()
}

// loadShots fills the shot filter.
func (v *libraryView) loadShots() {
	lib := v.w.deps.Library
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		shots, err := lib.Shots(ctx)
		if err != nil {
			return
		}
		v.w.ui(func() {
			v.shotList = shots
			options := []string{"Every shot"}
			for _, s := range shots {
				options = append(options, shotLabel(s))
			}
			v.shots.OnChanged = nil
			v.shots.SetOptions(options)
			v.shots.OnChanged = func(string) { v.shotChosen() }
		})
	}()
}

func shotLabel(s library.Shot) string {
	return fmt.Sprintf("%s (%s)", shorten(s.Name, 28), countOf(s.Runs, "run"))
}

// searchTyped reloads after typing pauses.
func (v *libraryView) searchTyped() {
	if v.typed != nil {
		v.typed.Stop()
	}
	text := v.search.Text
	v.typed = time.AfterFunc(searchPause, func() {
		v.w.ui(func() {
			if v.search.Text == text {
				v.reload()
			}
		})
	})
}

const searchPause = 200 * time.Millisecond

func (v *libraryView) shotChosen() {
	i := v.shots.SelectedIndex()
	hash := ""
	if i > 0 && i-1 < len(v.shotList) {
		hash = v.shotList[i-1].Hash
	}
	if hash != v.shotHash {
		v.shotHash = hash
		v.reload()
	}
}

// showRow fills row i, and asks for the next page near the end.
func (v *libraryView) showRow(i int, row *libraryRow) {
	if i >= len(v.runs) {
		return
	}
	if i >= len(v.runs)-15 && v.next != 0 && !v.loading {
		v.loadPage(v.next)
	}
	r := v.runs[i]
	row.prompt.SetText(oneLine(r.Prompt))
	row.detail.SetText(runDetail(r))
	row.setState(r.State)
	var img image.Image
	if len(r.Images) > 0 {
		n := r.Images[0].N
		img = v.w.libThumb(r.ID, n, func() { v.list.RefreshItem(i) })
	}
	setImage(row.thumb, img)
}

// libThumb is a library variant's thumbnail, made by the library (once
// per image) and decoded off the UI thread.
func (w *Window) libThumb(id library.ID, n int, onReady func()) image.Image {
	lib := w.deps.Library
	if lib == nil {
		return nil
	}
	key := "lib:" + strconv.FormatInt(int64(id), 10) + "/" + strconv.Itoa(n)
	return w.thumbs.get(key, func() (image.Image, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		path, err := lib.Thumbnail(ctx, id, n)
		if err != nil {
			return nil, err
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		img, err := jpeg.Decode(f)
		if err != nil {
			return thumbOfFile(path)
		}
		return img, nil
	}, onReady)
}

// runDetail is a run's second line: shot, when, state, variants, stars.
func runDetail(r library.Run) string {
	parts := []string{r.Source.Name(), r.Added.Local().Format("2 Jan 2006 15:04")}
	stars := 0
	for _, im := range r.Images {
		if im.Starred {
			stars++
		}
	}
	switch r.State {
	case library.StateDone:
		parts = append(parts, countOf(len(r.Images), "variant"))
	case library.StateExpired:
		parts = append(parts, "expired at the service: run it again")
	case library.StateMaybeBilled:
		parts = append(parts, "may have been billed: not sent again by itself")
	default:
		parts = append(parts, string(r.State))
		if len(r.Images) > 0 {
			parts = append(parts, countOf(len(r.Images), "variant"))
		}
	}
	if stars > 0 {
		parts = append(parts, fmt.Sprintf("★ %d", stars))
	}
	if r.Backend == library.OfflineBackend {
		parts = append(parts, "offline")
	}
	return strings.Join(parts, " · ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (v *libraryView) choose(i int) {
	if i < 0 || i >= len(v.runs) {
		return
	}
	v.selected = i
	r := v.runs[i]
	v.info.SetText(fmt.Sprintf("Run %d: %s", r.ID, runDetail(r)))
	if r.Error != "" && !r.State.Final() || r.State == library.StateFailed || r.State == library.StateExpired || r.State == library.StateMaybeBilled {
		v.info.SetText(fmt.Sprintf("Run %d: %s. %s", r.ID, runDetail(r), capitalise(r.Error)))
	}
	v.enableActions()
}

func (v *libraryView) selectedRun() (library.Run, bool) {
	if v.selected < 0 || v.selected >= len(v.runs) {
		return library.Run{}, false
	}
	return v.runs[v.selected], true
}

func (v *libraryView) enableActions() {
	r, ok := v.selectedRun()
	enable(v.open, ok && len(r.Images) > 0)
	enable(v.again, ok && (r.Source.Path != "" || r.Source.URL != ""))
	enable(v.board, ok && r.Source.Hash != "")
	enable(v.remove, ok && r.State.Final())
}

func (v *libraryView) openSelected() {
	if r, ok := v.selectedRun(); ok {
		v.w.openLibraryRun(r)
	}
}

func (v *libraryView) runAgainSelected() {
	if r, ok := v.selectedRun(); ok {
		v.w.refillFrom(r)
	}
}

func (v *libraryView) boardSelected() {
	if r, ok := v.selectedRun(); ok {
		v.w.showBoardOf(r)
	}
}

// deleteSelected asks, then removes the run's images from the library
// (and, if asked, its files in the output folder).
func (v *libraryView) deleteSelected() {
	r, ok := v.selectedRun()
	if !ok {
		return
	}
	saved := 0
	for _, im := range r.Images {
		if im.SavedPath != "" {
			saved++
		}
	}
	text := widget.NewLabel(fmt.Sprintf("Run %d (%s, “%s”) and its %s in the library are deleted. This cannot be undone.",
		r.ID, r.Source.Name(), shorten(r.Prompt, 60), countOf(len(r.Images), "image")))
	text.Wrapping = fyne.TextWrapWord
	also := widget.NewCheck(fmt.Sprintf("Also delete its %s in the output folder", countOf(saved, "saved file")), nil)
	body := container.NewVBox(text)
	if saved > 0 {
		body.Add(also)
	}
	d := dialog.NewCustomConfirm("Delete this run?", "Delete", "Keep it", body, func(yes bool) {
		if yes {
			v.w.deleteRun(r, also.Checked)
		}
	}, v.w.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(min(480, v.w.win.Canvas().Size().Width-40), 0))
	d.Show()
	v.w.notify("delete-asked")
}

// deleteRun deletes a run off the UI thread.
func (w *Window) deleteRun(r library.Run, savedFiles bool) {
	lib := w.deps.Library
	go func() {
		err := lib.Delete(context.Background(), r.ID, library.DeleteOptions{SavedFiles: savedFiles})
		w.ui(func() {
			var se *library.StateError
			switch {
			case errors.As(err, &se):
				w.say(fmt.Sprintf("Run %d is still under way: cancel it first.", r.ID))
			case err != nil:
				w.showError(fmt.Errorf("deleting run %d: %w", r.ID, err))
			default:
				w.say(fmt.Sprintf("Deleted run %d.", r.ID))
			}
			w.library.changed()
			w.refreshBoard()
			w.refreshSpend()
			w.notify("deleted")
		})
	}()
}

// libraryRow is one run of the list.
type libraryRow struct {
	widget.BaseWidget
	thumb  *canvas.Image
	prompt *widget.Label
	detail *widget.Label
}

func newLibraryRow() *libraryRow {
	r := &libraryRow{}
	r.thumb = newThumbImage()
	r.prompt = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.prompt.Truncation = fyne.TextTruncateEllipsis
	r.detail = widget.NewLabel("")
	r.detail.Truncation = fyne.TextTruncateEllipsis
	r.detail.SizeName = theme.SizeNameCaptionText
	r.ExtendBaseWidget(r)
	return r
}

func (r *libraryRow) setState(st library.State) {
	imp := widget.LowImportance
	switch st {
	case library.StateFailed, library.StateExpired, library.StateMaybeBilled:
		imp = widget.DangerImportance
	}
	if r.detail.Importance != imp {
		r.detail.Importance = imp
		r.detail.Refresh()
	}
}

func (r *libraryRow) CreateRenderer() fyne.WidgetRenderer {
	thumb := container.New(&fixedGrid{cell: fyne.NewSquareSize(libThumbSide)}, r.thumb)
	text := container.New(&rowTextLayout{}, r.prompt, secondary(r.detail))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(thumb), nil, text))
}

const libThumbSide = 52
