package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/imagefile"
	"backdrop/internal/library"
	"backdrop/internal/run"
	"backdrop/ui/compare"
	"backdrop/ui/keyed"
)

// boardView is the board of the current shot: every run of it the
// library holds, grouped by prompt, each variant with a star and a way
// into Compare, and the contact sheet of the starred (or all) variants.
type boardView struct {
	w       *Window
	content fyne.CanvasObject
	title   *widget.Label
	body    *fyne.Container
	scroll  *container.Scroll
	starred *keyed.Check
	export  *tipButton
	hash    string // the shot shown
	turn    int
	groups  []library.PromptGroup
}

func newBoardView(w *Window) *boardView {
	b := &boardView{w: w}
	b.title = widget.NewLabel("")
	b.title.Wrapping = fyne.TextWrapWord
	b.body = container.NewVBox()
	b.scroll = container.NewVScroll(b.body)
	b.starred = keyed.NewCheck("Starred only", nil, w.onKey)
	b.starred.SetChecked(true)
	b.export = w.tipButton("Contact sheet", theme.DocumentSaveIcon(), "Save one PNG of the variants with the prompt under each, into the output folder", b.exportSheet)
	head := container.NewBorder(nil, nil, nil, container.NewHBox(b.starred, b.export), b.title)
	b.content = container.NewBorder(container.NewVBox(container.NewPadded(head), widget.NewSeparator()), nil, nil, nil, b.scroll)
	b.show(nil)
	return b
}

// refreshBoard loads the current shot's board, if it is on screen, off
// the UI thread.
func (w *Window) refreshBoard() {
	if w.board == nil {
		return
	}
	b := w.board
	if w.tabs == nil || w.tabs.SelectedIndex() != tabBoard {
		return // loaded when the Board is shown
	}
	hash := w.currentHash()
	b.hash = hash
	b.turn++
	lib := w.deps.Library
	switch {
	case lib == nil:
		b.title.SetText("The library is off this session: the board shows the runs it keeps.")
		b.show(nil)
		return
	case hash == "":
		b.title.SetText("Open a shot to see every run of it here, grouped by prompt.")
		b.show(nil)
		return
	}
	turn := b.turn
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		groups, err := lib.Board(ctx, hash)
		w.ui(func() {
			if turn != b.turn {
				return
			}
			if err != nil {
				b.title.SetText("The board could not be read: " + err.Error())
				return
			}
			b.groups = groups
			runs := 0
			for _, g := range groups {
				runs += len(g.Runs)
			}
			name := "this shot"
			if len(groups) > 0 {
				name = groups[0].Runs[0].Source.Name()
			}
			if runs == 0 {
				b.title.SetText("No run of " + name + " is in the library yet.")
			} else {
				b.title.SetText(fmt.Sprintf("%s: %s with %s.", name, countOf(runs, "run"), countOf(len(groups), "prompt")))
			}
			b.show(groups)
			w.notify("board")
		})
	}()
}

// currentHash is the content hash of the current entry's shot.
func (w *Window) currentHash() string {
	e := w.current
	switch {
	case e == nil:
		return ""
	case e.lib != nil:
		return e.lib.Source.Hash
	case w.shot != nil && w.shot.Path == e.spec.ImageFile:
		return w.shotHash
	}
	return ""
}

// show lays the groups out.
func (b *boardView) show(groups []library.PromptGroup) {
	var objs []fyne.CanvasObject
	for _, g := range groups {
		prompt := widget.NewLabelWithStyle("“"+oneLine(g.Prompt)+"”", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		prompt.Wrapping = fyne.TextWrapWord
		objs = append(objs, prompt)
		for _, r := range g.Runs {
			objs = append(objs, b.runLine(r))
		}
		objs = append(objs, widget.NewSeparator())
	}
	b.body.Objects = objs
	b.body.Refresh()
	b.scroll.Refresh()
}

// runLine is one run: what it was, then its variants.
func (b *boardView) runLine(r library.Run) fyne.CanvasObject {
	w := b.w
	head := widget.NewLabel(fmt.Sprintf("Run %d · %s", r.ID, runDetail(r)))
	head.Truncation = fyne.TextTruncateEllipsis
	head.SizeName = theme.SizeNameCaptionText
	open := w.iconButton(theme.FolderOpenIcon(), "Show this run in the gallery", func() { w.openLibraryRun(r) })
	line := container.NewBorder(nil, nil, nil, open, head)
	cells := container.NewGridWrap(fyne.NewSize(boardCell+8, boardCell+44))
	for _, im := range r.Images {
		cells.Add(b.cell(r, im))
	}
	if len(r.Images) == 0 {
		return line
	}
	return container.NewVBox(line, cells)
}

const boardCell = 104

// cell is one variant: its thumbnail, its star, and left/right into
// Compare.
func (b *boardView) cell(r library.Run, im library.Variant) fyne.CanvasObject {
	w := b.w
	pic := canvas.NewImageFromImage(nil)
	pic.FillMode = canvas.ImageFillContain
	var holder *fyne.Container
	redraw := func() {
		setImage(pic, w.libThumb(r.ID, im.N, nil))
	}
	setImage(pic, w.libThumb(r.ID, im.N, func() { redraw() }))
	starred := im.Starred
	var star *tipButton
	star = w.iconButton(starIcon(starred), "Star this variant (starred ones make the contact sheet)", func() {
		starred = !starred
		star.Icon = starIcon(starred)
		star.Refresh()
		w.setStar(r.ID, im.N, starred)
	})
	label := fmt.Sprintf("Run %d · variant %d", r.ID, im.N)
	left := w.iconButton(theme.NavigateBackIcon(), "Compare: put it on the left", func() { w.pinToCompare(label, im.Path, true) })
	right := w.iconButton(theme.NavigateNextIcon(), "Compare: put it on the right", func() { w.pinToCompare(label, im.Path, false) })
	tap := newTapArea(func() { w.pinToCompare(label, im.Path, false) })
	holder = container.NewStack(newPanel(theme.ColorNameInputBackground, theme.ColorNameInputBackground), container.NewPadded(pic), tap)
	return container.NewBorder(nil, container.NewHBox(star, left, right), nil, nil, holder)
}

// setStar stars or unstars a variant, off the UI thread.
func (w *Window) setStar(id library.ID, n int, on bool) {
	lib := w.deps.Library
	go func() {
		err := lib.SetStar(context.Background(), id, n, on)
		w.ui(func() {
			if err != nil {
				w.showError(fmt.Errorf("starring variant %d of run %d: %w", n, id, err))
				return
			}
			if on {
				w.say(fmt.Sprintf("Starred variant %d of run %d.", n, id))
			} else {
				w.say(fmt.Sprintf("Unstarred variant %d of run %d.", n, id))
			}
			w.library.stale = true
			w.notify("starred")
		})
	}()
}

// exportSheet writes the contact sheet of the shot into the output
// folder, off the UI thread, and says where.
func (b *boardView) exportSheet() {
	w, lib := b.w, b.w.deps.Library
	if lib == nil || b.hash == "" {
		w.say("Open a shot with runs in the library first.")
		return
	}
	hash, dir, starredOnly := b.hash, w.settings.OutputDir, b.starred.Checked
	w.say("Making the contact sheet…")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		path, err := lib.WriteContactSheet(ctx, hash, dir, library.SheetOptions{StarredOnly: starredOnly})
		w.ui(func() {
			switch {
			case errors.Is(err, library.ErrNothingToExport) && starredOnly:
				w.say("No variant of this shot is starred yet: star some, or untick Starred only.")
			case errors.Is(err, library.ErrNothingToExport):
				w.say("This shot has no variant to put on a sheet yet.")
			case err != nil:
				w.showError(fmt.Errorf("the contact sheet could not be made: %w", err))
			default:
				w.say("Contact sheet saved: " + path)
			}
			w.notify("sheet")
		})
	}()
}

// maxPinned bounds the board images kept for Compare (each holds display
// copies in memory).
const maxPinned = 4

// pinToCompare decodes an image of the library off the UI thread, adds
// it to Compare's choices and shows it on one side.
func (w *Window) pinToCompare(label, path string, left bool) {
	w.say("Opening " + label + " in Compare…")
	go func() {
		decodeSlots <- struct{}{}
		item, err := prepareFile(label, path)
		<-decodeSlots
		w.ui(func() {
			if err != nil {
				w.say(label + " cannot be shown: " + err.Error())
				return
			}
			kept := w.pinned[:0]
			for _, p := range w.pinned {
				if p.Label != label {
					kept = append(kept, p)
				}
			}
			w.pinned = append(kept, item)
			if len(w.pinned) > maxPinned {
				w.pinned = w.pinned[len(w.pinned)-maxPinned:]
			}
			w.refreshCompare()
			items := w.compareItems()
			at := len(items) - 1
			if left {
				w.compare.Choose(at, w.compare.Right())
			} else {
				w.compare.Choose(w.compare.Left(), at)
			}
			w.showCompare()
			w.say(label + " is in Compare.")
			w.notify("pinned")
		})
	}()
}

func prepareFile(label, path string) (compare.Item, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return compare.Item{}, err
	}
	img, err := imagefile.DecodeImage(data)
	if err != nil {
		return compare.Item{}, err
	}
	return compare.Prepare(label, img), nil
}

// openLibraryRun brings a recorded run into the gallery and Compare.
func (w *Window) openLibraryRun(r library.Run) {
	e := &entry{spec: specOfRun(r), lib: &r}
	w.setCurrent(e)
	w.showGallery()
	w.say(fmt.Sprintf("Run %d from the library: %s.", r.ID, runDetail(r)))
	w.notify("opened")
}

// refillFrom puts a recorded run's shot, prompt and variant count back in
// the form ("Run again"); Generate then sends it.
func (w *Window) refillFrom(r library.Run) {
	w.prompt.entry.Replace(r.Prompt)
	if r.Variants > 0 {
		w.variants.slider.SetValue(float64(r.Variants))
	}
	switch {
	case r.Source.Path != "":
		if _, err := os.Stat(r.Source.Path); err != nil {
			w.source.refuse(fmt.Sprintf("%s is no longer at %s: open it again to run it.", r.Source.Name(), filepath.Dir(r.Source.Path)))
			return
		}
		w.openShot(r.Source.Path)
	case r.Source.URL != "":
		w.source.url.SetText(r.Source.URL)
	}
	w.showGallery()
	w.prompt.focus()
	w.say(fmt.Sprintf("The form holds run %d again: press Generate (Ctrl+Enter) to run it.", r.ID))
	w.notify("refilled")
}

// showBoardOf shows the board of a recorded run's shot.
func (w *Window) showBoardOf(r library.Run) {
	if w.current == nil || w.currentHash() != r.Source.Hash {
		w.openLibraryRun(r)
	}
	w.tabs.SelectIndex(tabBoard)
	w.refreshBoard()
}

var (
	starFull    = theme.NewPrimaryThemedResource(fyne.NewStaticResource("star.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 17.27L18.18 21l-1.64-7.03L22 9.24l-7.19-.61L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21z"/></svg>`)))
	starOutline = theme.NewThemedResource(fyne.NewStaticResource("star-outline.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M22 9.24l-7.19-.62L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21 12 17.27 18.18 21l-1.63-7.03L22 9.24zM12 15.4l-3.76 2.27 1-4.28-3.32-2.88 4.38-.38L12 6.1l1.71 4.04 4.38.38-3.32 2.88 1 4.28L12 15.4z"/></svg>`)))
)

func starIcon(on bool) fyne.Resource {
	if on {
		return starFull
	}
	return starOutline
}

// specOfRun is a recorded run as the queue would send it.
func specOfRun(r library.Run) run.Spec {
	return run.Spec{ImageFile: r.Source.Path, ImageURL: r.Source.URL, Prompt: r.Prompt, Variants: r.Variants}
}
