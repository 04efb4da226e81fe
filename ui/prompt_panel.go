package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
)

// promptPanel is the prompt box with its live counter, inline validation,
// built-in presets and the last prompts used.
type promptPanel struct {
	content fyne.CanvasObject
	entry   *escEntry
	counter *widget.Label
	problem *widget.Label
	recent  *fyne.Container
	w       *Window
}

func newPromptPanel(w *Window) *promptPanel {
	p := &promptPanel{w: w}
	p.entry = newEscEntry(true, w.cancelRun)
	p.entry.SetPlaceHolder("Describe the new background, e.g. white marble tabletop, soft light from the left")
	p.entry.SetMinRowsVisible(4)
	p.entry.Wrapping = fyne.TextWrapWord
	p.counter = widget.NewLabel("0 / 1024")
	p.counter.Alignment = fyne.TextAlignTrailing
	p.problem = widget.NewLabel("")
	p.problem.Importance = widget.DangerImportance
	p.problem.Wrapping = fyne.TextWrapWord
	p.problem.Hide()
	p.entry.OnChanged = func(string) { p.check(false) }

	// Fixed-size cells that wrap: three a row in the usual sidebar, fewer
	// when it is narrowed, never wider than it.
	chips := container.NewGridWrap(fyne.NewSize(112, 34))
	for _, pr := range presets {
		chip := w.tipButton(pr.name, nil, pr.prompt, func() { p.set(pr.prompt) })
		chip.Importance = widget.LowImportance
		chips.Add(chip)
	}
	p.recent = container.NewVBox()
	title := widget.NewLabelWithStyle("Prompt", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.content = container.NewVBox(
		container.NewBorder(nil, nil, title, p.counter),
		p.entry,
		p.problem,
		widget.NewLabelWithStyle("Presets", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		chips,
		p.recent,
	)
	p.showRecent(w.deps.Store.RecentPrompts())
	return p
}

// text is the prompt as it will be sent.
func (p *promptPanel) text() string { return strings.TrimSpace(p.entry.Text) }

// set replaces the prompt (a preset or a recent one) and focuses it.
func (p *promptPanel) set(s string) {
	p.entry.SetText(s)
	p.entry.CursorRow, p.entry.CursorColumn = 0, 0
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
		link := widget.NewHyperlink(shorten(r, 80), nil)
		link.OnTapped = func() { p.set(r) }
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

// escEntry is an Entry where Esc cancels a running generation: a focused
// Entry gets keys before the window's menu and canvas do.
type escEntry struct {
	widget.Entry
	onEscape func()
}

func newEscEntry(multiLine bool, onEscape func()) *escEntry {
	e := &escEntry{onEscape: onEscape}
	e.MultiLine = multiLine
	e.ExtendBaseWidget(e)
	return e
}

func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}
