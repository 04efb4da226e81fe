package keyed

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestInsertAndReplaceCanBeUndone(t *testing.T) {
	test.NewTempApp(t)
	e := NewEntry(true, nil)
	w := test.NewTempWindow(t, e)
	w.Canvas().Focus(e)
	test.Type(e, "my own words\nsecond line")
	e.Insert(", marble")
	if e.Text != "my own words\nsecond line, marble" {
		t.Fatalf("after Insert %q", e.Text)
	}
	e.TypedShortcut(&fyne.ShortcutUndo{})
	if e.Text != "my own words\nsecond line" {
		t.Fatalf("after undoing Insert %q", e.Text)
	}
	e.Replace("studio white")
	if e.Text != "studio white" {
		t.Fatalf("after Replace %q", e.Text)
	}
	e.TypedShortcut(&fyne.ShortcutUndo{})
	e.TypedShortcut(&fyne.ShortcutUndo{})
	if e.Text != "my own words\nsecond line" {
		t.Fatalf("after undoing Replace %q", e.Text)
	}
}

func TestHookSeesKeysFirst(t *testing.T) {
	test.NewTempApp(t)
	var got []fyne.KeyName
	hook := func(k *fyne.KeyEvent) bool { got = append(got, k.Name); return k.Name == fyne.KeyEscape }
	s := NewSlider(1, 4, hook)
	s.SetValue(2)
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if len(got) != 2 || s.Value != 3 {
		t.Fatalf("hook saw %v, value %v", got, s.Value)
	}
}
