// Package settings holds what the designer sets once: the service, the
// output folder and the defaults of a generation. The token lives in the
// system keyring, or where there is none in a file only the user can read.
package settings

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Theme choices.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// DefaultRunLimit bounds one run (create, wait, downloads).
const DefaultRunLimit = 10 * time.Minute

// Settings is the whole set, as the settings screen edits it.
type Settings struct {
	Token        string
	Endpoint     string
	OutputDir    string
	DefaultBatch int
	Sync         bool
	CallbackURL  string
	Theme        string
	RunLimit     time.Duration // whole minutes, 1..120

	// The queue: how fast creates go out, and how every variant is saved.
	Rate     float64 // creates per second the service allows (DefaultRate)
	Template string  // file names of saved variants ("" = output.DefaultTemplate)
	Format   string  // "png" or "jpeg"
	Quality  int     // JPEG quality 1..100; 0 keeps a JPEG result as sent
	// DailyCap stops new creates once this many images were billed today
	// (0: no cap). It counts service runs only; the offline engine is free.
	DailyCap int
}

// Queue defaults.
const (
	DefaultRate = 2.0  // creates per second: the service's own limit
	MaxRate     = 20.0 // creates per second, at most
	FormatPNG   = "png"
	FormatJPEG  = "jpeg"
	MaxDailyCap = 100000 // images a day
)

// Prefs is the key-value store the values are kept in (fyne.Preferences
// satisfies it).
type Prefs interface {
	StringWithFallback(key, fallback string) string
	SetString(key, value string)
	IntWithFallback(key string, fallback int) int
	SetInt(key string, value int)
	BoolWithFallback(key string, fallback bool) bool
	SetBool(key string, value bool)
	FloatWithFallback(key string, fallback float64) float64
	SetFloat(key string, value float64)
	StringListWithFallback(key string, fallback []string) []string
	SetStringList(key string, value []string)
	RemoveValue(key string)
}

// Secrets keeps the token out of the plain preferences file.
type Secrets interface {
	Get() (string, error)
	Set(token string) error
}

// Store reads and writes Settings.
type Store struct {
	prefs     Prefs
	secrets   Secrets // the keyring; nil when there is none
	tokenFile string  // the fallback: a file of mode 0600
}

// NewStore makes a store; secrets may be nil. tokenFile is where the
// token goes when the keyring cannot keep it.
func NewStore(prefs Prefs, secrets Secrets, tokenFile string) *Store {
	return &Store{prefs: prefs, secrets: secrets, tokenFile: tokenFile}
}

// DefaultTokenFile is the fallback token file in the user's config folder.
func DefaultTokenFile() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "backdrop", "token")
}

// Load reads the settings with their defaults.
func (s *Store) Load() Settings {
	st := Settings{
		Endpoint:     s.prefs.StringWithFallback("endpoint", ""),
		OutputDir:    s.prefs.StringWithFallback("output_dir", DefaultOutputDir()),
		DefaultBatch: s.prefs.IntWithFallback("default_batch", 2),
		Sync:         s.prefs.BoolWithFallback("sync", false),
		CallbackURL:  s.prefs.StringWithFallback("callback_url", ""),
		Theme:        s.prefs.StringWithFallback("theme", ThemeSystem),
		RunLimit:     time.Duration(s.prefs.IntWithFallback("run_limit_minutes", int(DefaultRunLimit/time.Minute))) * time.Minute,
	}
	if st.DefaultBatch < 1 || st.DefaultBatch > 4 {
		st.DefaultBatch = 2
	}
	if st.RunLimit < time.Minute || st.RunLimit > 2*time.Hour {
		st.RunLimit = DefaultRunLimit
	}
	st.Rate = s.prefs.FloatWithFallback("rate", DefaultRate)
	if !(st.Rate > 0 && st.Rate <= MaxRate) {
		st.Rate = DefaultRate
	}
	st.Template = s.prefs.StringWithFallback("template", "")
	st.Format = s.prefs.StringWithFallback("format", FormatPNG)
	if st.Format != FormatJPEG {
		st.Format = FormatPNG
	}
	st.Quality = s.prefs.IntWithFallback("quality", 0)
	if st.Quality < 0 || st.Quality > 100 {
		st.Quality = 0
	}
	st.DailyCap = s.prefs.IntWithFallback("daily_cap", 0)
	if st.DailyCap < 0 || st.DailyCap > MaxDailyCap {
		st.DailyCap = 0
	}
	st.Token = s.loadToken()
	return st
}

// loadToken reads the keyring, then the file. A token an older version
// left in the preferences file is moved out of it.
func (s *Store) loadToken() string {
	if legacy := s.prefs.StringWithFallback("token", ""); legacy != "" {
		if s.saveToken(legacy) == nil {
			s.prefs.RemoveValue("token")
		}
	}
	if s.secrets != nil {
		if t, err := s.secrets.Get(); err == nil && t != "" {
			return t
		}
	}
	if data, err := os.ReadFile(s.tokenFile); err == nil {
		return strings.TrimSpace(string(data))
	}
	return ""
}

// Save writes the settings.
func (s *Store) Save(st Settings) error {
	s.prefs.SetString("endpoint", strings.TrimSpace(st.Endpoint))
	s.prefs.SetString("output_dir", strings.TrimSpace(st.OutputDir))
	s.prefs.SetInt("default_batch", st.DefaultBatch)
	s.prefs.SetBool("sync", st.Sync)
	s.prefs.SetString("callback_url", strings.TrimSpace(st.CallbackURL))
	s.prefs.SetString("theme", st.Theme)
	if st.RunLimit >= time.Minute {
		s.prefs.SetInt("run_limit_minutes", int(st.RunLimit/time.Minute))
	}
	if st.Rate > 0 {
		s.prefs.SetFloat("rate", st.Rate)
	}
	s.prefs.SetString("template", strings.TrimSpace(st.Template))
	s.prefs.SetString("format", st.Format)
	s.prefs.SetInt("quality", st.Quality)
	s.prefs.SetInt("daily_cap", max(st.DailyCap, 0))
	return s.saveToken(strings.TrimSpace(st.Token))
}

// saveToken keeps the token in the keyring when it works, else in the
// file (0600, in a 0700 folder); an empty token removes it from both.
func (s *Store) saveToken(token string) error {
	if s.secrets != nil && s.secrets.Set(token) == nil {
		os.Remove(s.tokenFile)
		return nil
	}
	if token == "" {
		if err := os.Remove(s.tokenFile); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(s.tokenFile), 0o700); err != nil {
		return err
	}
	tmp := s.tokenFile + ".new"
	if err := os.WriteFile(tmp, []byte(token+"\n"), 0o600); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil { // an old .new may have had another mode
		return err
	}
	return os.Rename(tmp, s.tokenFile)
}

// TokenPlace says in words where a saved token is kept.
func (s *Store) TokenPlace() string {
	if s.secrets != nil {
		if _, err := s.secrets.Get(); err == nil {
			return "Saved in the system keyring."
		}
	}
	return "No system keyring here: saved in " + s.tokenFile + ", a file only you can read."
}

// RecentPrompts returns the last prompts used, newest first.
func (s *Store) RecentPrompts() []string {
	return s.prefs.StringListWithFallback("recent_prompts", nil)
}

// AddRecentPrompt puts p first in the recent list, without repeats, keeping
// at most 8.
func (s *Store) AddRecentPrompt(p string) []string {
	p = strings.TrimSpace(p)
	if p == "" {
		return s.RecentPrompts()
	}
	list := []string{p}
	for _, old := range s.RecentPrompts() {
		if old != p && len(list) < 8 {
			list = append(list, old)
		}
	}
	s.prefs.SetStringList("recent_prompts", list)
	return list
}

// DefaultOutputDir is the user's Pictures/Backdrop.
func DefaultOutputDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "Backdrop"
	}
	pictures := filepath.Join(home, "Pictures")
	if xdg := os.Getenv("XDG_PICTURES_DIR"); xdg != "" {
		pictures = xdg
	}
	return filepath.Join(pictures, "Backdrop")
}
