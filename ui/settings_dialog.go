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
	"backdrop/internal/output"
	"backdrop/internal/settings"
	"backdrop/ui/keyed"
)

var themeChoices = []string{"System", "Light", "Dark"}

// showSettings opens the settings form (Ctrl,). It edits the saved
// settings: what --endpoint, --token, --out or the BACKDROP_* variables
// set wins for this session and is never written here unless typed in.
// The form scrolls, so it fits the smallest window.
func (w *Window) showSettings() {
	s := w.deps.Store.Load()
	var d *dialog.CustomDialog
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
	template := entry(s.Template, output.DefaultTemplate)
	template.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		return output.CheckTemplate(strings.TrimSpace(v))
	}
	quality := entry(qualityText(s.Quality), "as sent")
	quality.Validator = func(v string) error {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 100 {
			return fmt.Errorf("a quality from 1 to 100, or empty")
		}
		return nil
	}
	format := keyed.NewSelect(formatChoices, func(c string) {
		if c == formatChoices[1] {
			quality.Enable()
		} else {
			quality.Disable()
		}
	}, hook)
	if s.Format == settings.FormatJPEG {
		format.SetSelectedIndex(1)
	} else {
		format.SetSelectedIndex(0)
	}
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
	rate := entry(strconv.FormatFloat(s.Rate, 'f', -1, 64), "2")
	rate.Validator = func(v string) error {
		if r, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil || !(r > 0 && r <= settings.MaxRate) {
			return fmt.Errorf("creates per second, more than 0 and at most %g", settings.MaxRate)
		}
		return nil
	}
	dailyCap := entry(capText(s.DailyCap), "no cap")
	dailyCap.Validator = func(v string) error {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > settings.MaxDailyCap {
			return fmt.Errorf("a number of images a day, or empty for no cap")
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
	outHint := "Every variant is saved here as it arrives; nothing is overwritten"
	if w.start.OutputDir != "" {
		outHint = "This session saves into " + w.start.OutputDir + " (--out or BACKDROP_OUT)."
	}
	capHint := "Stops new creates once this many images were billed today (the service only; the offline engine is free)"
	if w.deps.Library == nil {
		capHint = "Needs the library, which could not be opened this session"
		dailyCap.Disable()
	}
	form := widget.NewForm(
		&widget.FormItem{Text: "API token", Widget: token, HintText: tokenHint},
		&widget.FormItem{Text: "Endpoint", Widget: endpoint, HintText: endpointHint},
		&widget.FormItem{Text: "Output folder", Widget: container.NewBorder(nil, nil, nil, browse, out), HintText: outHint},
		&widget.FormItem{Text: "File names", Widget: template, HintText: "Fields: {name} {n} {prompt} {date} {time} {task}"},
		&widget.FormItem{Text: "Save as", Widget: container.NewGridWithColumns(2, format, quality), HintText: "JPEG quality 1–100; empty keeps a JPEG result exactly as sent"},
		&widget.FormItem{Text: "Default variants", Widget: batch},
		&widget.FormItem{Text: "Waiting", Widget: sync},
		&widget.FormItem{Text: "Time limit", Widget: limit, HintText: "Minutes a run (send, wait, download) may take before it is stopped"},
		&widget.FormItem{Text: "Pace", Widget: rate, HintText: "Creates a second; the service allows 2, and a busy answer slows the queue down by itself"},
		&widget.FormItem{Text: "Daily cap", Widget: dailyCap, HintText: capHint},
		&widget.FormItem{Text: "Callback URL", Widget: callback},
		&widget.FormItem{Text: "Theme", Widget: themeSel},
	)
	save := func() {
		next := s
		next.Token = strings.TrimSpace(token.Text)
		next.Endpoint = strings.TrimSpace(endpoint.Text)
		next.OutputDir = strings.TrimSpace(out.Text)
		if next.OutputDir == "" {
			next.OutputDir = settings.DefaultOutputDir()
		}
		next.Template = strings.TrimSpace(template.Text)
		next.Format, next.Quality = settings.FormatPNG, 0
		if format.SelectedIndex() == 1 {
			next.Format = settings.FormatJPEG
			next.Quality, _ = strconv.Atoi(strings.TrimSpace(quality.Text))
		}
		next.DefaultBatch = batch.SelectedIndex() + 1
		next.Sync = sync.Checked
		minutes, _ := strconv.Atoi(strings.TrimSpace(limit.Text))
		next.RunLimit = time.Duration(minutes) * time.Minute
		next.Rate, _ = strconv.ParseFloat(strings.TrimSpace(rate.Text), 64)
		next.DailyCap, _ = strconv.Atoi(strings.TrimSpace(dailyCap.Text))
		next.CallbackURL = strings.TrimSpace(callback.Text)
		next.Theme = strings.ToLower(themeSel.Selected)
		w.applySettings(next)
	}
	saveBtn := widget.NewButton("Save", nil)
	saveBtn.Importance = widget.HighImportance
	cancelBtn := widget.NewButton("Cancel", nil)
	form.SetOnValidationChanged(func(err error) {
		if err != nil {
			saveBtn.Disable()
		} else {
			saveBtn.Enable()
		}
	})
	scroll := container.NewVScroll(form)
	size := w.win.Canvas().Size()
	scroll.SetMinSize(fyne.NewSize(min(660, size.Width-80), min(form.MinSize().Height, size.Height-170)))
	d = dialog.NewCustomWithoutButtons("Settings", scroll, w.win)
	saveBtn.OnTapped = func() {
		if form.Validate() == nil {
			d.Hide()
			save()
		}
	}
	cancelBtn.OnTapped = d.Hide
	d.SetButtons([]fyne.CanvasObject{cancelBtn, saveBtn})
	w.settingsDialog = d
	w.settingsSave = saveBtn
	d.Show()
	w.notify("settings")
}

var formatChoices = []string{"PNG", "JPEG"}

func qualityText(q int) string {
	if q <= 0 {
		return ""
	}
	return strconv.Itoa(q)
}

func capText(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// applySettings saves new settings and puts them in effect under the
// session's flags. Runs under way keep what they started with; a new
// token, endpoint or time limit starts a new session for the next ones.
func (w *Window) applySettings(saved settings.Settings) {
	if err := w.deps.Store.Save(saved); err != nil {
		w.showError(fmt.Errorf("the token could not be saved: %w", err))
	}
	next := w.start.apply(saved)
	reconnect := next.Token != w.settings.Token || next.Endpoint != w.settings.Endpoint || next.RunLimit != w.settings.RunLimit
	rate := next.Rate != w.settings.Rate
	w.settings = next
	w.dailyCap.Store(int64(next.DailyCap))
	w.variants.slider.SetValue(float64(next.DefaultBatch))
	applyTheme(w.app, next.Theme)
	if reconnect {
		w.connect()
	} else if rate && w.sess != nil {
		w.sess.queue.SetRate(next.Rate)
	}
	w.refreshSpend()
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
