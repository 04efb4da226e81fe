// Package ui is Backdrop's window: source, prompt, variants, gallery and
// compare. It reaches the service, the dialogs and the clipboard through
// small interfaces (ports.go) so that tests drive it with fakes.
package ui

import (
	"flag"
	"fmt"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"backdrop/internal/app"
	"backdrop/internal/run"
	"backdrop/internal/settings"
)

// AppID identifies Backdrop's preferences and keyring entry.
const AppID = "app.backdrop.desktop"

// StartOptions are what the command line and environment say, over the
// saved settings.
type StartOptions struct {
	Files     []string // shots or folders to open at start
	Endpoint  string
	Token     string
	OutputDir string
}

// ParseStart reads `backdrop [--endpoint URL] [--token T] [--out DIR] [FILE|DIR…]`
// and the BACKDROP_* variables.
func ParseStart(args []string, env func(string) string) (StartOptions, error) {
	fs := flag.NewFlagSet("backdrop", flag.ContinueOnError)
	var o StartOptions
	fs.StringVar(&o.Endpoint, "endpoint", env("BACKDROP_ENDPOINT"), "service base URL (or BACKDROP_ENDPOINT)")
	fs.StringVar(&o.Token, "token", env("BACKDROP_TOKEN"), "API token (or BACKDROP_TOKEN)")
	fs.StringVar(&o.OutputDir, "out", env("BACKDROP_OUT"), "folder Save all writes into (or BACKDROP_OUT)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: backdrop [--endpoint URL] [--token TOKEN] [--out DIR] [FILE|DIR…]")
		fmt.Fprintln(fs.Output(), "       backdrop generate --help | backdrop serve --help | backdrop --version")
		fs.PrintDefaults()
	}
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if *showVersion {
		fmt.Fprintln(fs.Output(), "backdrop", version())
		return o, flag.ErrHelp
	}
	o.Files = fs.Args()
	return o, nil
}

// apply lays the start options over the saved settings; they last for
// this session only and are never saved (Settings edits the saved ones).
func (o StartOptions) apply(s settings.Settings) settings.Settings {
	if o.Endpoint != "" {
		s.Endpoint = o.Endpoint
	}
	if o.Token != "" {
		s.Token = o.Token
	}
	if o.OutputDir != "" {
		s.OutputDir = o.OutputDir
	}
	return s
}

// Main opens the window and returns the process exit code.
func Main(args []string, env func(string) string) int {
	opts, err := ParseStart(args, env)
	if err != nil {
		if err == flag.ErrHelp {
			return app.ExitOK
		}
		fmt.Fprintln(os.Stderr, "backdrop:", err)
		return app.ExitUsage
	}
	a := fyneapp.NewWithID(AppID)
	store := settings.NewStore(a.Preferences(), settings.NewKeyring(), settings.DefaultTokenFile())
	cache := run.DefaultCacheDir()
	connect := app.NewConnector(cache, app.OfflinePainter())
	deps := Deps{
		Store: store,
		Connect: func(s settings.Settings) (Backend, error) {
			b, err := connect(s)
			if err != nil {
				return nil, err
			}
			return b, nil
		},
		Dialogs:   newFileDialogs(),
		Clipboard: newClipboard(),
		Opener:    appOpener{a},
		CacheDir:  cache,
	}
	lib, err := app.OpenLibrary()
	if err != nil {
		deps.LibraryErr = err
	} else {
		defer lib.Close()
		deps.Library = lib
	}
	w := New(a, deps, opts)
	w.ShowAndRun()
	return app.ExitOK
}
