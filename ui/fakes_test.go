package ui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/settings"
	"backdrop/internal/testshot"
)

const testToken = "sk-ui-test"

// fakeDialogs answers file dialogs with fixed paths.
type fakeDialogs struct{ open, save, folder string }

func (d *fakeDialogs) OpenImage(on func(string))              { on(d.open) }
func (d *fakeDialogs) SaveImage(_ string, on func(string))    { on(d.save) }
func (d *fakeDialogs) ChooseFolder(_ string, on func(string)) { on(d.folder) }

// fakeClipboard holds one image.
type fakeClipboard struct{ data []byte }

func (c *fakeClipboard) ReadImage() []byte         { return c.data }
func (c *fakeClipboard) WriteImage(p []byte) error { c.data = p; return nil }

type fakeOpener struct{ opened []string }

func (o *fakeOpener) OpenFile(p string) error { o.opened = append(o.opened, p); return nil }

// harness is a window wired to a contract server on loopback.
type harness struct {
	t       *testing.T
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
}

func newHarness(t *testing.T, start StartOptions, opts ...contract.Option) *harness {
	t.Helper()
	h := &harness{t: t, events: make(chan string, 16), calls: make(chan func(), 64), dialogs: &fakeDialogs{}, clip: &fakeClipboard{}, opener: &fakeOpener{}}
	h.srv = contract.New(append([]contract.Option{contract.WithToken(testToken), contract.WithRecords(true)}, opts...)...)
	hs := httptest.NewServer(h.srv)
	h.url = hs.URL
	tr := &http.Transport{}
	h.http = &http.Client{Transport: tr}
	t.Cleanup(func() { tr.CloseIdleConnections(); hs.Close(); h.srv.Close() })
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
	connect := func(s settings.Settings) (Backend, error) {
		c, err := api.NewClient(api.WithBaseURL(s.Endpoint), api.WithToken(s.Token),
			api.WithHTTPClient(h.http), api.WithPollInterval(5*time.Millisecond), api.WithRetry(1, time.Millisecond))
		if err != nil {
			return nil, err
		}
		return &clientBackend{client: c, cacheDir: cache, label: "Test server"}, nil
	}
	h.w = newWindow(h.app, Deps{
		Store:     settings.NewStore(h.app.Preferences(), nil),
		Connect:   connect,
		Dialogs:   h.dialogs,
		Clipboard: h.clip,
		Opener:    h.opener,
		CacheDir:  cache,
	}, start, func(f func()) { h.calls <- f }, h.events)
	if start.File != "" {
		h.expect("loaded")
	}
	return h
}

// expect runs the UI work that goroutines hand over, as Fyne's main
// loop would, until the window reports want.
func (h *harness) expect(want string) {
	h.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case f := <-h.calls:
			f()
		case got := <-h.events:
			if got != want {
				h.t.Fatalf("window reported %q, want %q", got, want)
			}
			return
		case <-timeout:
			h.t.Fatalf("window never reported %q", want)
		}
	}
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
