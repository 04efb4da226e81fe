package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
	"backdrop/internal/settings"
)

var themeChoices = []string{"System", "Light", "Dark"}

// showSettings opens the settings form (Ctrl+,). Saving reconnects when
// the token or endpoint changed.
func (w *Window) showSettings() {
	s := w.settings
	token := widget.NewPasswordEntry()
	token.SetText(s.Token)
	token.SetPlaceHolder("empty: use the offline engine")
	endpoint := widget.NewEntry()
	endpoint.SetText(s.Endpoint)
	endpoint.SetPlaceHolder(api.DefaultBaseURL)
	endpoint.Validator = optionalURL
	out := widget.NewEntry()
	out.SetText(s.OutputDir)
	browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() {
		w.deps.Dialogs.ChooseFolder(out.Text, func(dir string) {
			if dir != "" {
				out.SetText(dir)
			}
		})
	})
	batch := widget.NewSelect([]string{"1", "2", "3", "4"}, nil)
	batch.SetSelectedIndex(s.DefaultBatch - 1)
	wait := widget.NewRadioGroup([]string{"Poll (async)", "Wait on the request (sync)"}, nil)
	wait.Horizontal = true
	wait.SetSelected(wait.Options[0])
	if s.Sync {
		wait.SetSelected(wait.Options[1])
	}
	callback := widget.NewEntry()
	callback.SetText(s.CallbackURL)
	callback.SetPlaceHolder("optional https://… notified when a task ends")
	callback.Validator = optionalURL
	themeSel := widget.NewSelect(themeChoices, nil)
	themeSel.SetSelected(themeLabel(s.Theme))

	items := []*widget.FormItem{
		{Text: "API token", Widget: token, HintText: "Kept in the system keyring where there is one"},
		{Text: "Endpoint", Widget: endpoint},
		{Text: "Output folder", Widget: container.NewBorder(nil, nil, nil, browse, out), HintText: "Save all writes here; nothing is overwritten"},
		{Text: "Default variants", Widget: batch},
		{Text: "Waiting", Widget: wait},
		{Text: "Callback URL", Widget: callback},
		{Text: "Theme", Widget: themeSel},
	}
	d := dialog.NewForm("Settings", "Save", "Cancel", items, func(ok bool) {
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
		next.Sync = wait.Selected == wait.Options[1]
		next.CallbackURL = strings.TrimSpace(callback.Text)
		next.Theme = strings.ToLower(themeSel.Selected)
		w.applySettings(next)
	}, w.win)
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}

// applySettings keeps and uses new settings.
func (w *Window) applySettings(next settings.Settings) {
	reconnect := next.Token != w.settings.Token || next.Endpoint != w.settings.Endpoint
	w.deps.Store.Save(next)
	w.settings = next
	w.variants.slider.SetValue(float64(next.DefaultBatch))
	applyTheme(w.app, next.Theme)
	if reconnect {
		w.connect()
		if !w.backend.Offline() {
			w.say("Connected: " + w.backend.Label())
		}
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

func optionalURL(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	_, err := api.NewClient(api.WithBaseURL(s))
	return err
}
