// Package settings holds what the designer sets once: the service, the
// output folder and the defaults of a generation. The token lives in the
// system keyring where there is one.
package settings

import (
	"os"
	"path/filepath"
	"strings"
)

// Theme choices.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Settings is the whole set, as the settings screen edits it.
type Settings struct {
	Token        string
	Endpoint     string
	OutputDir    string
	DefaultBatch int
	Sync         bool
	CallbackURL  string
	Theme        string
}

// Prefs is the key-value store the values are kept in (fyne.Preferences
// satisfies it).
type Prefs interface {
	StringWithFallback(key, fallback string) string
	SetString(key, value string)
	IntWithFallback(key string, fallback int) int
	SetInt(key string, value int)
	BoolWithFallback(key string, fallback bool) bool
	SetBool(key string, value bool)
	StringListWithFallback(key string, fallback []string) []string
	SetStringList(key string, value []string)
}

// Secrets keeps the token out of the plain preferences file.
type Secrets interface {
	Get() (string, error)
	Set(token string) error
}

// Store reads and writes Settings.
type Store struct {
	prefs   Prefs
	secrets Secrets // nil: the token goes to prefs
}

// NewStore makes a store; secrets may be nil.
func NewStore(prefs Prefs, secrets Secrets) *Store { return &Store{prefs: prefs, secrets: secrets} }

// Load reads the settings with their defaults.
func (s *Store) Load() Settings {
	st := Settings{
		Endpoint:     s.prefs.StringWithFallback("endpoint", ""),
		OutputDir:    s.prefs.StringWithFallback("output_dir", DefaultOutputDir()),
		DefaultBatch: s.prefs.IntWithFallback("default_batch", 2),
		Sync:         s.prefs.BoolWithFallback("sync", false),
		CallbackURL:  s.prefs.StringWithFallback("callback_url", ""),
		Theme:        s.prefs.StringWithFallback("theme", ThemeSystem),
	}
	if st.DefaultBatch < 1 || st.DefaultBatch > 4 {
		st.DefaultBatch = 2
	}
	st.Token = s.prefs.StringWithFallback("token", "")
	if s.secrets != nil {
		if t, err := s.secrets.Get(); err == nil && t != "" {
			st.Token = t
		}
	}
	return st
}

// Save writes the settings. The token goes to the keyring when it works,
// and only otherwise to the preferences file.
func (s *Store) Save(st Settings) {
	s.prefs.SetString("endpoint", strings.TrimSpace(st.Endpoint))
	s.prefs.SetString("output_dir", strings.TrimSpace(st.OutputDir))
	s.prefs.SetInt("default_batch", st.DefaultBatch)
	s.prefs.SetBool("sync", st.Sync)
	s.prefs.SetString("callback_url", strings.TrimSpace(st.CallbackURL))
	s.prefs.SetString("theme", st.Theme)
	token := strings.TrimSpace(st.Token)
	if s.secrets != nil && s.secrets.Set(token) == nil {
		s.prefs.SetString("token", "")
		return
	}
	s.prefs.SetString("token", token)
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
