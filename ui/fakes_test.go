package ui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
	"backdrop/internal/app"
	"backdrop/internal/contract"
	"backdrop/internal/settings"
	"backdrop/internal/testshot"
	"backdrop/ui/sysclip"
)

const testToken = "sk-ui-test"

// fakeDialogs answers file dialogs with fixed paths and remembers where
// the save dialog opened.
type fakeDialogs struct {
	open                  []string
	save, folder, saveDir string
	shots                 string // the folder OpenFolder answers
}

func (d *fakeDialogs) OpenImages(on func([]string)) { on(d.open) }
func (d *fakeDialogs) OpenFolder(on func(string))   { on(d.shots) }
func (d *fakeDialogs) SaveImage(dir, _ string, on func(string)) {
	d.saveDir = dir
	on(d.save)
}
func (d *fakeDialogs) ChooseFolder(_ string, on func(string)) { on(d.folder) }

// fakeClipboard holds an image or copied files.
type fakeClipboard struct {
	data  []byte
	files []string
}

func (c *fakeClipboard) Read() (sysclip.Content, error) {
	return sysclip.Content{Image: c.data, Files: c.files}, nil
}
func (c *fakeClipboard) WriteImage(p []byte) error { c.data = p; return nil }

type fakeOpener struct{ opened []string }

func (o *fakeOpener) OpenFile(p string) error { o.opened = append(o.opened, p); return nil }

// harness is a window wired to a contract server on loopback.
type harness struct {
	t       testing.TB
	opts    []func(*Deps)
	app     fyne.App
	w       *Window
	srv     *contract.Server
	url     string
	out     string
	events  chan string
	calls   chan func() // UI work handed over by goroutines, run by expect
	dialogs *fakeDialogs
	clip    *fakeClipboard
	opener  *fakeOpener
	http    *http.Client
	cache   string
	checked bool // the reachability check has reported
}

func newHarness(t testing.TB, start StartOptions, opts ...contract.Option) *harness {
	return newHarnessWith(t, start, nil, opts...)
}

// newHarnessWith is newHarness with changes to the window's Deps.
func newHarnessWith(t testing.TB, start StartOptions, deps func(*Deps), opts ...contract.Option) *harness {
	t.Helper()
	h := &harness{t: t, events: make(chan string, 16), calls: make(chan func(), 64), dialogs: &fakeDialogs{}, clip: &fakeClipboard{}, opener: &fakeOpener{}}
	h.srv = contract.New(append([]contract.Option{contract.WithToken(testToken), contract.WithRecords(true)}, opts...)...)
	hs := httptest.NewServer(h.srv)
	h.url = hs.URL
	tr := &http.Transport{}
	h.http = &http.Client{Transport: tr}
	t.Cleanup(func() { tr.CloseIdleConnections(); hs.Close(); h.srv.Close() })
	if deps != nil {
		h.opts = append(h.opts, deps)
	}
	h.app = test.NewTempApp(t)
	h.out = t.TempDir()
	if start.OutputDir == "" {
		start.OutputDir = h.out
	}
	if start.Endpoint == "" {
		start.Endpoint = h.url
	}
	if start.Token == "" {
		start.Token = testToken
	}
	cache := t.TempDir()
	h.cache = cache
	connect := func(s settings.Settings) (Backend, error) {
		b, err := app.Connect(app.Config{Token: s.Token, Endpoint: s.Endpoint, CacheDir: cache, ClientOptions: []api.Option{
			api.WithHTTPClient(h.http), api.WithPollInterval(5 * time.Millisecond), api.WithRetry(1, time.Millisecond)}})
		if err != nil {
			return nil, err
		}
		// The same label in every screen, whatever the test port.
		return labelled{b, "Service: api.gpt.ge"}, nil
	}
	d := Deps{
		Store:     settings.NewStore(h.app.Preferences(), nil, filepath.Join(t.TempDir(), "token")),
		Connect:   connect,
		Dialogs:   h.dialogs,
		Clipboard: h.clip,
		Opener:    h.opener,
		CacheDir:  cache,
		Probe:     h.http,
	}
	for _, o := range h.opts {
		o(&d)
	}
	h.w = newWindow(h.app, d, start, func(f func()) { h.calls <- f }, h.events)
	if len(start.Files) == 1 {
		if info, err := os.Stat(start.Files[0]); err == nil && !info.IsDir() {
			h.expect("loaded")
		}
	}
	if !h.checked && h.w.sess != nil && !h.w.sess.offline {
		h.expect("checked") // the status bar says connected or not before tests look
	}
	return h
}

// background are events that come whenever their work ends, in any order
// with the others: expect passes over them unless it waits for one.
var background = map[string]bool{"spend": true, "variant-shown": true, "library-page": true, "board": true, "idle": true}

// expect runs the UI work that goroutines hand over, as Fyne's main
// loop would, until the window reports want.
func (h *harness) expect(want string) {
	h.t.Helper()
	timeout := time.After(2 * time.Minute) // a hang guard: the machine may be busy
	for {
		select {
		case f := <-h.calls:
			f()
		case got := <-h.events:
			if (got == "connected" || got == "unreachable") && want != "checked" {
				h.checked = true
				continue // the reachability check, whenever it ends
			}
			if want == "checked" && (got == "connected" || got == "unreachable") {
				return
			}
			if got != want && background[got] {
				continue
			}
			if got != want {
				h.t.Fatalf("window reported %q, want %q", got, want)
			}
			return
		case <-timeout:
			h.t.Fatalf("window never reported %q", want)
		}
	}
}

// until runs the UI work handed over, passing over every event, until
// done holds.
func (h *harness) until(what string, done func() bool) {
	h.t.Helper()
	h.untilWithin(2*time.Minute, what, done)
}

// untilWithin is until with a hang guard of d.
func (h *harness) untilWithin(d time.Duration, what string, done func() bool) {
	h.t.Helper()
	timeout := time.After(d)
	for !done() {
		select {
		case f := <-h.calls:
			f()
		case <-h.events:
		case <-timeout:
			h.t.Fatalf("never: %s (queue: %+v)", what, h.w.queueStats())
		}
	}
	// What the last callbacks reported is passed over too.
	for {
		select {
		case <-h.events:
		default:
			return
		}
	}
}

// shown waits until n variants of the current entry are loaded for display.
func (h *harness) shown(n int) {
	h.t.Helper()
	h.until(fmt.Sprintf("%d variants shown", n), func() bool {
		loaded := 0
		for _, v := range h.w.show.variants {
			if v.preview != nil {
				loaded++
			}
		}
		return loaded >= n
	})
}

// labelled is a backend with a fixed label.
type labelled struct {
	*app.Backend
	label string
}

func (l labelled) Label() string { return l.label }

// images lists the image files in dir (not the queue's .backdrop folder).
func images(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && looksLikeImage(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// overlayTexts lists every text shown in the top overlay (a dialog).
func overlayTexts(c fyne.Canvas) string {
	top := c.Overlays().Top()
	if top == nil {
		return ""
	}
	var texts []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			texts = append(texts, v.Text)
		case *canvas.Text:
			texts = append(texts, v.Text)
		case *widget.Button:
			texts = append(texts, v.Text)
		}
		if wd, ok := o.(fyne.Widget); ok {
			for _, child := range test.WidgetRenderer(wd).Objects() {
				walk(child)
			}
		} else if ct, ok := o.(*fyne.Container); ok {
			for _, child := range ct.Objects {
				walk(child)
			}
		}
	}
	walk(top)
	return strings.Join(texts, "\n")
}

func writeShot(t *testing.T, dir, name string, w, h int) string {
	return testshot.Write(t, dir, name, w, h)
}

func writeShotAny(t testing.TB, dir, name string, w, h int) string {
	return testshot.Write(t, dir, name, w, h)
}
