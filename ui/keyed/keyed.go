// Package keyed holds Fyne widgets that offer keys to the window before
// using them. A focused widget gets every key without a Ctrl or Alt
// (Fyne's driver gives the window no say), so Esc (cancel) and F1 (the
// shortcut sheet) work whatever has focus only if each focusable widget
// asks the window first.
package keyed

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Hook is the window's key handler; it reports whether it used the key.
type Hook func(*fyne.KeyEvent) bool

func (h Hook) used(k *fyne.KeyEvent) bool { return h != nil && h(k) }

// Entry is a text entry that offers keys to Hook first and hands a paste
// (Ctrl+V) to OnPaste, which decides between an image and text.
type Entry struct {
	widget.Entry
	Hook    Hook
	OnPaste func()
}

// NewEntry makes an entry.
func NewEntry(multiLine bool, hook Hook) *Entry {
	e := &Entry{Hook: hook}
	e.MultiLine = multiLine
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey is part of fyne.Focusable.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if !e.Hook.used(k) {
		e.Entry.TypedKey(k)
	}
}

// TypedShortcut is part of fyne.Shortcutable.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*fyne.ShortcutPaste); ok && e.OnPaste != nil {
		e.OnPaste()
		return
	}
	e.Entry.TypedShortcut(s)
}

// PasteText pastes the clipboard's text as a plain Entry would.
func (e *Entry) PasteText(c fyne.Clipboard) {
	e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: c})
}

// Slider is a slider that offers keys to Hook first.
type Slider struct {
	widget.Slider
	Hook Hook
}

// NewSlider makes a slider from min to max.
func NewSlider(min, max float64, hook Hook) *Slider {
	s := &Slider{Hook: hook}
	s.Min, s.Max, s.Step = min, max, 1
	s.Orientation = widget.Horizontal
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey is part of fyne.Focusable.
func (s *Slider) TypedKey(k *fyne.KeyEvent) {
	if !s.Hook.used(k) {
		s.Slider.TypedKey(k)
	}
}

// Button is a button that offers keys to Hook first.
type Button struct {
	widget.Button
	Hook Hook
}

// NewButton makes a button.
func NewButton(label string, icon fyne.Resource, tapped func(), hook Hook) *Button {
	b := &Button{Hook: hook}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey is part of fyne.Focusable.
func (b *Button) TypedKey(k *fyne.KeyEvent) {
	if !b.Hook.used(k) {
		b.Button.TypedKey(k)
	}
}

// Select is a drop-down that offers keys to Hook first.
type Select struct {
	widget.Select
	Hook Hook
}

// NewSelect makes a drop-down.
func NewSelect(options []string, changed func(string), hook Hook) *Select {
	s := &Select{Hook: hook}
	s.Options, s.OnChanged = options, changed
	s.PlaceHolder = "(Select one)"
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey is part of fyne.Focusable.
func (s *Select) TypedKey(k *fyne.KeyEvent) {
	if !s.Hook.used(k) {
		s.Select.TypedKey(k)
	}
}

// Check is a check box that offers keys to Hook first.
type Check struct {
	widget.Check
	Hook Hook
}

// NewCheck makes a check box.
func NewCheck(label string, changed func(bool), hook Hook) *Check {
	c := &Check{Hook: hook}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey is part of fyne.Focusable.
func (c *Check) TypedKey(k *fyne.KeyEvent) {
	if !c.Hook.used(k) {
		c.Check.TypedKey(k)
	}
}

// Hyperlink is a link that offers keys to Hook first.
type Hyperlink struct {
	widget.Hyperlink
	Hook Hook
}

// NewHyperlink makes a link that calls tapped.
func NewHyperlink(text string, tapped func(), hook Hook) *Hyperlink {
	h := &Hyperlink{Hook: hook}
	h.Text, h.OnTapped = text, tapped
	h.ExtendBaseWidget(h)
	return h
}

// TypedKey is part of fyne.Focusable.
func (h *Hyperlink) TypedKey(k *fyne.KeyEvent) {
	if !h.Hook.used(k) {
		h.Hyperlink.TypedKey(k)
	}
}

// List is a virtualised list that offers keys to Hook first.
type List struct {
	widget.List
	Hook Hook
}

// NewList makes a list, as widget.NewList does.
func NewList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject), hook Hook) *List {
	l := &List{Hook: hook}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey is part of fyne.Focusable.
func (l *List) TypedKey(k *fyne.KeyEvent) {
	if !l.Hook.used(k) {
		l.List.TypedKey(k)
	}
}

// Insert adds text at the end, as a paste would, so that Ctrl+Z takes it
// back (SetText would clear the undo history).
func (e *Entry) Insert(text string) {
	e.CursorRow = len(strings.Split(e.Text, "\n")) - 1
	e.CursorColumn = len([]rune(e.Text[strings.LastIndex(e.Text, "\n")+1:]))
	e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fixedText(text)})
}

// Replace puts text in place of the whole content, undoably.
func (e *Entry) Replace(text string) {
	e.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fixedText(text)})
}

// fixedText is a clipboard that holds one text, for Insert.
type fixedText string

func (t fixedText) Content() string   { return string(t) }
func (t fixedText) SetContent(string) {}

// AcceptsTab is part of fyne.Tabbable: Tab moves the focus on, as in any
// form, rather than typing a tab into the prompt.
func (e *Entry) AcceptsTab() bool { return false }
