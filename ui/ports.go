package ui

import (
	"context"

	"backdrop/internal/library"
	"backdrop/internal/run"
	"backdrop/internal/settings"
	"backdrop/ui/sysclip"
)

// Backend is where runs go: the service, or the offline engine running in
// this process (*app.Backend). Every run goes through a run.Queue made on
// it; the window keeps no run of its own.
type Backend interface {
	Label() string // shown in the status bar
	Offline() bool // true for the built-in engine
	Endpoint() string
	NewQueue(cfg run.Config) (*run.Queue, error)
	Close()
}

// Connector makes the backend for the current settings; it is called again
// when the token, endpoint or time limit change (runs under way stay on
// the backend they started on).
type Connector func(settings.Settings) (Backend, error)

// QueueSetup adds what lives outside the window to a queue's config before
// it is made: the library's Recorder and skip-done index, the daily-cap
// gate. nil leaves the queue on its own (skip-done by the output folder's
// manifest, nothing recorded).
type QueueSetup func(cfg *run.Config, b Backend, s settings.Settings)

// Library is the record of every run (*library.Store): the Library view,
// the board of a shot, stars, spend and contact sheets.
type Library interface {
	List(ctx context.Context, q library.Query) (library.Page, error)
	Get(ctx context.Context, id library.ID) (library.Run, error)
	Board(ctx context.Context, shot string) ([]library.PromptGroup, error)
	Shots(ctx context.Context) ([]library.Shot, error)
	SetStar(ctx context.Context, id library.ID, n int, starred bool) error
	Delete(ctx context.Context, id library.ID, opts library.DeleteOptions) error
	Spend(ctx context.Context) (library.Spend, error)
	CheckCap(ctx context.Context, cap, want int) error
	Thumbnail(ctx context.Context, id library.ID, n int) (string, error)
	WriteContactSheet(ctx context.Context, shot, dir string, opts library.SheetOptions) (string, error)
	Path() string
}

var _ Library = (*library.Store)(nil)

// FileDialogs are the native open, save and folder pickers. They are
// called on the UI thread only (GTK demands it) and report through the
// callback; nothing (or "") means the user cancelled.
type FileDialogs interface {
	// OpenImages asks for one or several images.
	OpenImages(onChosen func(paths []string))
	// SaveImage starts in dir with the name suggested. The dialog asks
	// before replacing a file; the path it returns is the user's choice.
	SaveImage(dir, suggestedName string, onChosen func(path string))
	// ChooseFolder asks for the output folder.
	ChooseFolder(start string, onChosen func(path string))
	// OpenFolder asks for a folder of shots.
	OpenFolder(onChosen func(path string))
}

// Clipboard moves images to and from the system clipboard (Fyne's own
// clipboard is text only) and reads files copied in a file manager.
type Clipboard interface {
	// Read may wait on the clipboard's owner (which can be this window),
	// so it is called off the UI thread.
	Read() (sysclip.Content, error)
	WriteImage(png []byte) error
}

// Opener shows a file in the system's image viewer.
type Opener interface {
	OpenFile(path string) error
}
