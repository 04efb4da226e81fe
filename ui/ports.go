package ui

import (
	"backdrop/internal/app"
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
	// NewLibraryQueue makes a queue that records every item into the
	// library, skips what the library knows is done and stops creates
	// past the daily cap.
	NewLibraryQueue(cfg run.Config, opts app.QueueOptions) (*run.Queue, *app.LibraryRecorder, error)
	Close()
}

var _ Backend = (*app.Backend)(nil)

// Connector makes the backend for the current settings; it is called again
// when the token, endpoint or time limit change (runs under way stay on
// the backend they started on).
type Connector func(settings.Settings) (Backend, error)

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
