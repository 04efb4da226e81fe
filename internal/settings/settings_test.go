package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

type brokenKeyring struct{}

func (brokenKeyring) Get() (string, error) { return "", errors.New("no keyring") }
func (brokenKeyring) Set(string) error     { return errors.New("no keyring") }

type memKeyring struct{ token string }

func (m *memKeyring) Get() (string, error) { return m.token, nil }
func (m *memKeyring) Set(t string) error   { m.token = t; return nil }

func tokenFile(t *testing.T) string { return filepath.Join(t.TempDir(), "cfg", "backdrop", "token") }

func TestTokenGoesToTheKeyringWhenThereIsOne(t *testing.T) {
	a := test.NewTempApp(t)
	kr := &memKeyring{}
	file := tokenFile(t)
	s := NewStore(a.Preferences(), kr, file)
	st := s.Load()
	st.Token = " sk-1 "
	if err := s.Save(st); err != nil {
		t.Fatal(err)
	}
	if kr.token != "sk-1" || a.Preferences().String("token") != "" {
		t.Fatalf("keyring %q, prefs %q", kr.token, a.Preferences().String("token"))
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a token file was written beside a working keyring (%v)", err)
	}
	if got := s.Load().Token; got != "sk-1" {
		t.Fatal(got)
	}
	if !strings.Contains(s.TokenPlace(), "keyring") {
		t.Fatal(s.TokenPlace())
	}
}

func TestWithoutAKeyringTheTokenGoesToAPrivateFile(t *testing.T) {
	a := test.NewTempApp(t)
	file := tokenFile(t)
	s := NewStore(a.Preferences(), brokenKeyring{}, file)
	st := s.Load()
	if st.DefaultBatch != 2 || st.Theme != ThemeSystem || st.OutputDir == "" || st.RunLimit != DefaultRunLimit {
		t.Fatalf("defaults %+v", st)
	}
	st.Token, st.DefaultBatch, st.RunLimit = "sk-2", 3, 25*time.Minute
	if err := s.Save(st); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("token file %v (%v), want mode 0600", info, err)
	}
	if dir, _ := os.Stat(filepath.Dir(file)); dir.Mode().Perm() != 0o700 {
		t.Fatalf("token folder mode %v", dir.Mode().Perm())
	}
	if a.Preferences().String("token") != "" {
		t.Fatal("the token went into the preferences file")
	}
	if got := s.Load(); got.Token != "sk-2" || got.DefaultBatch != 3 || got.RunLimit != 25*time.Minute {
		t.Fatalf("%+v", got)
	}
	if place := s.TokenPlace(); !strings.Contains(place, file) || !strings.Contains(place, "only you") {
		t.Fatal(place)
	}
	st.Token = ""
	s.Save(st)
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("clearing the token left the file")
	}
}

func TestATokenInThePreferencesFileIsMovedOut(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString("token", "sk-old")
	kr := &memKeyring{}
	s := NewStore(a.Preferences(), kr, tokenFile(t))
	if got := s.Load().Token; got != "sk-old" {
		t.Fatal(got)
	}
	if kr.token != "sk-old" || a.Preferences().String("token") != "" {
		t.Fatalf("keyring %q, prefs %q", kr.token, a.Preferences().String("token"))
	}
}

func TestRecentPrompts(t *testing.T) {
	s := NewStore(test.NewTempApp(t).Preferences(), nil, tokenFile(t))
	for _, p := range []string{"a", "b", "a", "c", " ", "d", "e", "f", "g", "h", "i"} {
		s.AddRecentPrompt(p)
	}
	got := s.RecentPrompts()
	if len(got) != 8 || got[0] != "i" || got[7] != "a" {
		t.Fatalf("%v", got)
	}
}

func TestQueueSettingsKeepTheirValuesAndDefaults(t *testing.T) {
	a := test.NewTempApp(t)
	s := NewStore(a.Preferences(), &memKeyring{}, tokenFile(t))
	st := s.Load()
	if st.Rate != DefaultRate || st.Format != FormatPNG || st.Quality != 0 || st.Template != "" || st.DailyCap != 0 {
		t.Fatalf("defaults %+v", st)
	}
	st.Rate, st.Format, st.Quality, st.Template, st.DailyCap = 0.5, FormatJPEG, 85, " {name}-{n} ", 40
	if err := s.Save(st); err != nil {
		t.Fatal(err)
	}
	got := s.Load()
	if got.Rate != 0.5 || got.Format != FormatJPEG || got.Quality != 85 || got.Template != "{name}-{n}" || got.DailyCap != 40 {
		t.Fatalf("%+v", got)
	}
	// Values no build would write fall back to the defaults.
	p := a.Preferences()
	p.SetFloat("rate", -3)
	p.SetString("format", "tiff")
	p.SetInt("quality", 400)
	p.SetInt("daily_cap", -1)
	if got := s.Load(); got.Rate != DefaultRate || got.Format != FormatPNG || got.Quality != 0 || got.DailyCap != 0 {
		t.Fatalf("%+v", got)
	}
}
