// Package ui is Backdrop's window: source, prompt, variants, gallery and
// compare. It reaches the service, the dialogs and the clipboard through
// small interfaces (ports.go) so that tests drive it with fakes.
package ui

import (
	"flag"
	"fmt"
	"os"

	"fyne.io/fyne/v2/app"

	"backdrop/internal/cli"
	"backdrop/internal/job"
	"backdrop/internal/settings"
)

// AppID identifies Backdrop's preferences and keyring entry.
const AppID = "app.backdrop.desktop"

// StartOptions are what the command line and environment say, over the
// saved settings.
type StartOptions struct {
	File      string
	Endpoint  string
	Token     string
	OutputDir string
}

// ParseStart reads `backdrop [--endpoint URL] [--token T] [--out DIR] [FILE]`
// and the BACKDROP_* variables.
func ParseStart(args []string, env func(string) string) (StartOptions, error) {
	fs := flag.NewFlagSet("backdrop", flag.ContinueOnError)
	var o StartOptions
	fs.StringVar(&o.Endpoint, "endpoint", env("BACKDROP_ENDPOINT"), "service base URL (or BACKDROP_ENDPOINT)")
	fs.StringVar(&o.Token, "token", env("BACKDROP_TOKEN"), "API token (or BACKDROP_TOKEN)")
	fs.StringVar(&o.OutputDir, "out", env("BACKDROP_OUT"), "folder Save all writes into (or BACKDROP_OUT)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: backdrop [--endpoint URL] [--token TOKEN] [--out DIR] [FILE]")
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
	if fs.NArg() > 1 {
		return o, fmt.Errorf("one file at a time, got %d", fs.NArg())
	}
	o.File = fs.Arg(0)
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
			return cli.ExitOK
		}
		fmt.Fprintln(os.Stderr, "backdrop:", err)
		return cli.ExitUsage
	}
	a := app.NewWithID(AppID)
	store := settings.NewStore(a.Preferences(), settings.NewKeyring(), settings.DefaultTokenFile())
	w := New(a, Deps{
		Store:     store,
		Connect:   NewConnector(job.DefaultCacheDir(), cli.OfflinePainter()),
		Dialogs:   newFileDialogs(),
		Clipboard: newClipboard(),
		Opener:    appOpener{a},
		CacheDir:  job.DefaultCacheDir(),
	}, opts)
	w.ShowAndRun()
	return cli.ExitOK
}
