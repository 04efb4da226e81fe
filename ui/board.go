package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/internal/imagefile"
	"backdrop/internal/library"
	"backdrop/internal/output"
	"backdrop/internal/run"
	"backdrop/ui/compare"
	"backdrop/ui/keyed"
)

// boardView is the board of the current shot: every run of it the
// library holds, grouped by prompt, each variant with a star and a way
// into Compare, and the contact sheet of the starred (or all) variants.
type boardView struct {
	w        *Window
	content  fyne.CanvasObject
	title    *widget.Label
	body     *fyne.Container
	scroll   *container.Scroll
	starred  *keyed.Check
	export   *tipButton
	hash     string // the shot shown
	turn     int
	groups   []library.PromptGroup
	cells    []*boardCellView // as laid out: the original first, if loaded
	original *fyne.Container  // holds the original's cell
	hint     fyne.CanvasObject
}

func newBoardView(w *Window) *boardView {
	b := &boardView{w: w}
	b.title = widget.NewLabel("")
	b.title.Wrapping = fyne.TextWrapWord
	b.body = container.NewVBox()
	b.scroll = container.NewVScroll(b.body)
	b.starred = keyed.NewCheck("Starred only", nil, w.onKey)
	b.starred.SetChecked(true)
	b.export = w.tipButton("Contact sheet", theme.DocumentSaveIcon(), "Save one PNG of the starred (or all) variants with the prompt under each", b.exportSheet)
	// The shot itself stays at the top left, beside the title and the
	// sheet's buttons, so it can go into Compare whatever is scrolled.
	b.original = container.NewStack()
	actions := container.New(&rowOrStack{}, b.starred, b.export)
	hint := widget.NewLabel("Star the variants you like; the arrows under an image show it on the left or right of Compare (a click on it: the right).")
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText
	hint.Importance = widget.LowImportance
	b.hint = secondary(hint) // at the top of the runs: it scrolls away
	head := container.NewBorder(nil, nil, b.original, nil, container.NewVBox(b.title, actions))
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

// show lays the groups out, the shot itself in the head.
func (b *boardView) show(groups []library.PromptGroup) {
	b.cells = nil
	b.original.Objects = nil
	if len(groups) > 0 {
		if orig := b.originalCell(); orig != nil {
			b.original.Objects = []fyne.CanvasObject{orig}
		}
	}
	b.original.Refresh()
	var objs []fyne.CanvasObject
	if len(groups) > 0 {
		objs = append(objs, b.hint)
	}
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

// originalCell is the shot itself, which Compare can show on either side
// as well; nil when the shot is not loaded (a run whose file is gone).
func (b *boardView) originalCell() fyne.CanvasObject {
	w := b.w
	if w.shot == nil || w.shotHash != b.hash {
		return nil
	}
	c := b.newCell("Original", nil, w.originalToCompare)
	setImage(c.pic, w.shot.Preview)
	return container.New(&fixedGrid{cell: fyne.NewSize(boardCell+8, boardCell+44)}, c.content)
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
		cells.Add(b.variantCell(r, im).content)
	}
	if len(r.Images) == 0 {
		return line
	}
	return container.NewVBox(line, cells)
}

const boardCell = 104

// rowOrStack lays two objects side by side when the width allows, else
// one above the other (the board's head at 900 px). Its minimum is the
// stacked size, which the head's picture is taller than anyway.
type rowOrStack struct{}

func (rowOrStack) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	a, b := objs[0].MinSize(), objs[1].MinSize()
	if a.Width+gap+b.Width <= size.Width {
		h := max(a.Height, b.Height)
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(a.Width, h))
		objs[1].Move(fyne.NewPos(a.Width+gap, 0))
		objs[1].Resize(fyne.NewSize(b.Width, h))
		return
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(min(a.Width, size.Width), a.Height))
	objs[1].Move(fyne.NewPos(0, a.Height+gap))
	objs[1].Resize(fyne.NewSize(min(b.Width, size.Width), b.Height))
}

func (rowOrStack) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(a.Width, b.Width), a.Height+theme.Padding()+b.Height)
}

// boardCellView is one image of the board: its thumbnail, a star (variants
// only) and left/right into Compare. Tapping the picture puts it on the
// right.
type boardCellView struct {
	label       string
	run         library.ID // 0 for the original
	n           int
	pic         *canvas.Image
	star        *tipButton // nil for the original
	left, right *tipButton
	tap         *tapArea // over the picture
	content     fyne.CanvasObject
}

func (b *boardView) newCell(label string, star *tipButton, toCompare func(left bool)) *boardCellView {
	w := b.w
	c := &boardCellView{label: label, star: star}
	c.pic = canvas.NewImageFromImage(nil)
	c.pic.FillMode = canvas.ImageFillContain
	c.left = w.iconButton(theme.NavigateBackIcon(), label+": show it on the left of Compare", func() { toCompare(true) })
	c.right = w.iconButton(theme.NavigateNextIcon(), label+": show it on the right of Compare", func() { toCompare(false) })
	c.tap = newTapArea(func() { toCompare(false) })
	holder := container.NewStack(newPanel(theme.ColorNameInputBackground, theme.ColorNameInputBackground), container.NewPadded(c.pic), c.tap)
	buttons := container.NewHBox(c.left, c.right)
	if star != nil {
		buttons = container.NewHBox(star, c.left, c.right)
	}
	c.content = container.NewBorder(nil, buttons, nil, nil, holder)
	b.cells = append(b.cells, c)
	return c
}

// variantCell is one variant of a recorded run.
func (b *boardView) variantCell(r library.Run, im library.Variant) *boardCellView {
	w := b.w
	starred := im.Starred
	var star *tipButton
	star = w.iconButton(starIcon(starred), "Star this variant (starred ones make the contact sheet)", func() {
		starred = !starred
		star.Icon = starIcon(starred)
		star.Refresh()
		w.setStar(r.ID, im.N, starred)
	})
	label := fmt.Sprintf("Run %d · variant %d", r.ID, im.N)
	hash := b.hash
	c := b.newCell(label, star, func(left bool) { w.pinToCompare(hash, label, im.Path, left) })
	c.run, c.n = r.ID, im.N
	pic := c.pic
	setImage(pic, w.libThumb(r.ID, im.N, func() { setImage(pic, w.libThumb(r.ID, im.N, nil)) }))
	return c
}

// originalToCompare shows the shot on one side of Compare.
func (w *Window) originalToCompare(left bool) {
	if w.shot == nil {
		return
	}
	w.refreshCompare()
	if left {
		w.compare.Choose(0, w.compare.Right())
	} else {
		w.compare.Choose(w.compare.Left(), 0)
	}
	w.showCompare()
	w.say("The original is in Compare.")
	w.notify("pinned")
}

// keepStar keeps the board's copy of the library in step with a star.
func (b *boardView) keepStar(id library.ID, n int, on bool) {
	for _, g := range b.groups {
		for _, r := range g.Runs {
			if r.ID != id {
				continue
			}
			for i := range r.Images {
				if r.Images[i].N == n {
					r.Images[i].Starred = on
				}
			}
		}
	}
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
			w.board.keepStar(id, n, on)
			w.library.stale = true
			w.notify("starred")
		})
	}()
}

// exportSheet asks where to save the contact sheet of the shot (the
// native save dialog, opening in the output folder), then makes it off
// the UI thread: one PNG of the starred (or all) variants, the prompt
// under each.
func (b *boardView) exportSheet() {
	w, lib := b.w, b.w.deps.Library
	if lib == nil || b.hash == "" || len(b.groups) == 0 {
		w.say("Open a shot with runs in the library first.")
		return
	}
	hash, starredOnly := b.hash, b.starred.Checked
	if starredOnly && !anyStarred(b.groups) {
		w.say("No variant of this shot is starred yet: star some, or untick Starred only.")
		w.notify("sheet")
		return
	}
	r := b.groups[0].Runs[0]
	src := r.Source.Path
	if src == "" {
		src = r.Source.URL
	}
	dir := w.settings.OutputDir
	os.MkdirAll(dir, 0o755) // so the dialog can open there
	w.deps.Dialogs.SaveImage(dir, output.Stem(src)+"-contact-sheet.png", func(path string) {
		if path == "" {
			return
		}
		if !strings.EqualFold(filepath.Ext(path), ".png") {
			path += ".png"
		}
		w.say("Making the contact sheet…")
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			err := writeSheet(ctx, lib, hash, path, starredOnly)
			w.ui(func() {
				switch {
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
	})
}

// writeSheet renders the contact sheet and writes it to the path the
// designer chose (replacing a file there: the dialog asked).
func writeSheet(ctx context.Context, lib *library.Store, hash, path string, starredOnly bool) error {
	img, err := lib.ContactSheet(ctx, hash, library.SheetOptions{StarredOnly: starredOnly})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return replaceFile(path, buf.Bytes())
}

func anyStarred(groups []library.PromptGroup) bool {
	for _, g := range groups {
		for _, r := range g.Runs {
			for _, im := range r.Images {
				if im.Starred {
					return true
				}
			}
		}
	}
	return false
}

// maxPinned bounds the board images kept for Compare (each holds display
// copies in memory).
const maxPinned = 4

// pinToCompare decodes an image of the library off the UI thread, adds
// it to Compare's choices and shows it on one side. Images pinned from
// the board of another shot are let go.
func (w *Window) pinToCompare(hash, label, path string, left bool) {
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
			if hash != w.pinnedHash {
				w.pinned, w.pinnedHash = nil, hash
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
