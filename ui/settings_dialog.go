package ui

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
	"backdrop/internal/settings"
	"backdrop/ui/keyed"
)

var themeChoices = []string{"System", "Light", "Dark"}

// showSettings opens the settings form (Ctrl,). It edits the saved
// settings: what --endpoint, --token, --out or the BACKDROP_* variables
// set wins for this session and is never written here unless typed in.
func (w *Window) showSettings() {
	s := w.deps.Store.Load()
	var d *dialog.FormDialog
	// Esc in the form closes it (a run is cancelled from the window).
	hook := func(k *fyne.KeyEvent) bool {
		if k.Name == fyne.KeyEscape && d != nil {
			d.Hide()
			return true
		}
		return false
	}
	entry := func(text, placeholder string) *keyed.Entry {
		e := keyed.NewEntry(false, hook)
		e.SetText(text)
		e.SetPlaceHolder(placeholder)
		return e
	}
	token := keyed.NewEntry(false, hook)
	token.Password = true
	token.SetText(s.Token)
	token.SetPlaceHolder("empty: use the offline engine")
	endpoint := entry(s.Endpoint, api.DefaultBaseURL)
	endpoint.Validator = httpURL("the endpoint")
	out := entry(s.OutputDir, settings.DefaultOutputDir())
	browse := keyed.NewButton("", theme.FolderOpenIcon(), func() {
		w.deps.Dialogs.ChooseFolder(out.Text, func(dir string) {
			if dir != "" {
				out.SetText(dir)
			}
		})
	}, hook)
	batch := keyed.NewSelect([]string{"1", "2", "3", "4"}, nil, hook)
	batch.SetSelectedIndex(s.DefaultBatch - 1)
	sync := keyed.NewCheck("Wait on the request (sync) instead of polling", nil, hook)
	sync.SetChecked(s.Sync)
	limit := entry(strconv.Itoa(int(s.RunLimit/time.Minute)), "10")
	limit.Validator = func(v string) error {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || n < 1 || n > 120 {
			return fmt.Errorf("a whole number of minutes, 1 to 120")
		}
		return nil
	}
	callback := entry(s.CallbackURL, "optional https://… notified when a task ends")
	callback.Validator = httpURL("the callback URL")
	themeSel := keyed.NewSelect(themeChoices, nil, hook)
	themeSel.SetSelected(themeLabel(s.Theme))

	tokenHint := w.deps.Store.TokenPlace()
	if w.start.Token != "" {
		tokenHint = "This session uses the token given with --token or BACKDROP_TOKEN; it is not saved unless you type it here. " + tokenHint
	}
	endpointHint := ""
	if w.start.Endpoint != "" {
		endpointHint = "This session uses " + w.start.Endpoint + " (--endpoint or BACKDROP_ENDPOINT); what you save here applies when started without it."
	}
	outHint := "Save all writes here; nothing is overwritten"
	if w.start.OutputDir != "" {
		outHint = "This session saves into " + w.start.OutputDir + " (--out or BACKDROP_OUT)."
	}
	items := []*widget.FormItem{
		{Text: "API token", Widget: token, HintText: tokenHint},
		{Text: "Endpoint", Widget: endpoint, HintText: endpointHint},
		{Text: "Output folder", Widget: container.NewBorder(nil, nil, nil, browse, out), HintText: outHint},
		{Text: "Default variants", Widget: batch},
		{Text: "Waiting", Widget: sync},
		{Text: "Time limit", Widget: limit, HintText: "Minutes a run (send, wait, download) may take before it is stopped"},
		{Text: "Callback URL", Widget: callback},
		{Text: "Theme", Widget: themeSel},
	}
	d = dialog.NewForm("Settings", "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		next := s
		next.Token = strings.TrimSpace(token.Text)
		next.Endpoint = strings.TrimSpace(endpoint.Text)
		next.OutputDir = strings.TrimSpace(out.Text)
		if next.OutputDir == "" {
			next.OutputDir = settings.DefaultOutputDir()
		}
		next.DefaultBatch = batch.SelectedIndex() + 1
		next.Sync = sync.Checked
		minutes, _ := strconv.Atoi(strings.TrimSpace(limit.Text))
		next.RunLimit = time.Duration(minutes) * time.Minute
		next.CallbackURL = strings.TrimSpace(callback.Text)
		next.Theme = strings.ToLower(themeSel.Selected)
		w.applySettings(next)
	}, w.win)
	d.Resize(fyne.NewSize(min(680, w.win.Canvas().Size().Width-40), 0))
	d.Show()
	w.notify("settings")
}

// applySettings saves new settings and puts them in effect under the
// session's flags.
func (w *Window) applySettings(saved settings.Settings) {
	if err := w.deps.Store.Save(saved); err != nil {
		w.showError(fmt.Errorf("the token could not be saved: %w", err))
	}
	next := w.start.apply(saved)
	reconnect := next.Token != w.settings.Token || next.Endpoint != w.settings.Endpoint
	w.settings = next
	w.variants.slider.SetValue(float64(next.DefaultBatch))
	applyTheme(w.app, next.Theme)
	if reconnect {
		w.connect()
	}
}

func themeLabel(choice string) string {
	switch choice {
	case settings.ThemeLight:
		return "Light"
	case settings.ThemeDark:
		return "Dark"
	}
	return "System"
}

// httpURL checks an optional http(s) address, naming it in the message.
func httpURL(what string) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%s must be an http(s) address, e.g. https://example.com/…", what)
		}
		return nil
	}
}
