package settings

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"
)

type brokenKeyring struct{}

func (brokenKeyring) Get() (string, error) { return "", errors.New("no keyring") }
func (brokenKeyring) Set(string) error     { return errors.New("no keyring") }

type memKeyring struct{ token string }

func (m *memKeyring) Get() (string, error) { return m.token, nil }
func (m *memKeyring) Set(t string) error   { m.token = t; return nil }

func TestTokenGoesToTheKeyringWhenThereIsOne(t *testing.T) {
	a := test.NewTempApp(t)
	kr := &memKeyring{}
	s := NewStore(a.Preferences(), kr)
	st := s.Load()
	st.Token = " sk-1 "
	s.Save(st)
	if kr.token != "sk-1" || a.Preferences().String("token") != "" {
		t.Fatalf("keyring %q, prefs %q", kr.token, a.Preferences().String("token"))
	}
	if got := s.Load().Token; got != "sk-1" {
		t.Fatal(got)
	}
}

func TestTokenFallsBackToPrefs(t *testing.T) {
	a := test.NewTempApp(t)
	s := NewStore(a.Preferences(), brokenKeyring{})
	st := s.Load()
	if st.DefaultBatch != 2 || st.Theme != ThemeSystem || st.OutputDir == "" {
		t.Fatalf("defaults %+v", st)
	}
	st.Token, st.DefaultBatch = "sk-2", 3
	s.Save(st)
	if got := s.Load(); got.Token != "sk-2" || got.DefaultBatch != 3 {
		t.Fatalf("%+v", got)
	}
}

func TestRecentPrompts(t *testing.T) {
	s := NewStore(test.NewTempApp(t).Preferences(), nil)
	for _, p := range []string{"a", "b", "a", "c", " ", "d", "e", "f", "g", "h", "i"} {
		s.AddRecentPrompt(p)
	}
	got := s.RecentPrompts()
	if len(got) != 8 || got[0] != "i" || got[7] != "a" {
		t.Fatalf("%v", got)
	}
}
