package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
	"backdrop/ui/keyed"
)

// promptPanel is the prompt box with its live counter, inline validation,
// built-in presets and the last prompts used.
type promptPanel struct {
	content fyne.CanvasObject // the prompt box
	extras  fyne.CanvasObject // presets and recent prompts, which may scroll
	entry   *keyed.Entry
	counter *widget.Label
	problem *widget.Label
	recent  *fyne.Container
	pick    *keyed.Select // the presets as a drop-down, when the chips have no room
	w       *Window
}

func newPromptPanel(w *Window) *promptPanel {
	p := &promptPanel{w: w}
	p.entry = w.textEntry(true)
	p.entry.SetPlaceHolder("Describe the new background, e.g. white marble tabletop, soft light from the left")
	p.entry.SetMinRowsVisible(4)
	p.entry.Wrapping = fyne.TextWrapWord
	p.counter = widget.NewLabel("0 / 1024")
	p.counter.Alignment = fyne.TextAlignTrailing
	p.problem = widget.NewLabel("")
	p.problem.Importance = widget.DangerImportance
	p.problem.Wrapping = fyne.TextWrapWord
	p.problem.Hide()
	p.entry.OnChanged = func(string) {
		p.check(false)
		w.formChanged()
	}

	// Fixed-size cells that wrap: three a row in the usual sidebar, fewer
	// when it is narrowed, never wider than it.
	chips := container.NewGridWrap(fyne.NewSize(112, 34))
	for _, pr := range presets {
		chip := w.tipButton(pr.name, nil, "Add to the prompt: "+pr.prompt+" (Ctrl+Z takes it back)", func() { p.add(pr.prompt) })
		chip.Importance = widget.LowImportance
		chips.Add(chip)
	}
	p.recent = container.NewVBox()
	title := widget.NewLabelWithStyle("Prompt", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	var names []string
	for _, pr := range presets {
		names = append(names, pr.name)
	}
	p.pick = keyed.NewSelect(names, func(name string) {
		for _, pr := range presets {
			if pr.name == name {
				p.add(pr.prompt)
			}
		}
		p.pick.ClearSelected()
	}, w.onKey)
	p.pick.PlaceHolder = "Presets"
	p.pick.Hide()
	p.content = container.NewVBox(
		container.NewBorder(nil, nil, title, container.NewHBox(p.pick, p.counter)),
		p.entry,
		p.problem,
	)
	p.extras = container.NewVBox(
		widget.NewLabelWithStyle("Presets (add to the prompt)", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		chips,
		p.recent,
	)
	p.showRecent(w.deps.Store.RecentPrompts())
	return p
}

// compact shows the presets as a drop-down when the chips are hidden.
func (p *promptPanel) compact(on bool) {
	if on == p.pick.Visible() {
		return
	}
	if on {
		p.pick.Show()
	} else {
		p.pick.Hide()
	}
}

// text is the prompt as it will be sent.
func (p *promptPanel) text() string { return strings.TrimSpace(p.entry.Text) }

// add adds a preset to what is written (Ctrl+Z takes it back) and
// focuses the prompt.
func (p *promptPanel) add(preset string) {
	switch text := p.text(); {
	case text == "":
		p.entry.Replace(preset)
	case !strings.Contains(text, preset):
		p.entry.Insert(", " + preset)
	}
	p.focus()
}

// set replaces the prompt with a recent one, undoably, and focuses it.
func (p *promptPanel) set(s string) {
	p.entry.Replace(s)
	p.focus()
}

func (p *promptPanel) focus() {
	if c := p.w.win.Canvas(); c != nil {
		c.Focus(p.entry)
	}
}

// check updates the counter and says what is wrong; strict also refuses
// an empty prompt (only when the user tries to generate).
func (p *promptPanel) check(strict bool) bool {
	n := utf8.RuneCountInString(p.text())
	p.counter.SetText(fmt.Sprintf("%d / %d", n, api.MaxPromptChars))
	msg := ""
	switch {
	case n > api.MaxPromptChars:
		msg = fmt.Sprintf("The prompt is %d characters too long; the service takes at most %d.", n-api.MaxPromptChars, api.MaxPromptChars)
	case n == 0 && strict:
		msg = "Write what the new background should be."
	}
	if n > api.MaxPromptChars {
		p.counter.Importance = widget.DangerImportance
	} else {
		p.counter.Importance = widget.MediumImportance
	}
	p.counter.Refresh()
	if msg == "" {
		p.problem.Hide()
		return true
	}
	p.problem.SetText(msg)
	p.problem.Show()
	return false
}

// showRecent lists the last prompts as one-click links.
func (p *promptPanel) showRecent(list []string) {
	p.recent.RemoveAll()
	if len(list) == 0 {
		return
	}
	p.recent.Add(widget.NewLabelWithStyle("Recent", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	for i, r := range list {
		if i == 4 {
			break
		}
		link := keyed.NewHyperlink(shorten(r, 80), func() { p.set(r) }, p.w.onKey)
		link.Truncation = fyne.TextTruncateEllipsis // never wider than the sidebar
		p.recent.Add(link)
	}
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// textEntry is an entry of the window: Esc and F1 work in it, and Ctrl+V
// pastes an image when the clipboard holds one.
func (w *Window) textEntry(multiLine bool) *keyed.Entry {
	e := keyed.NewEntry(multiLine, w.onKey)
	e.OnPaste = w.paste
	return e
}
