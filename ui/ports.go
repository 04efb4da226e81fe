package ui

import (
	"context"

	"backdrop/api"
	"backdrop/internal/job"
	"backdrop/internal/settings"
	"backdrop/ui/sysclip"
)

// Generator runs one generation to downloaded images.
type Generator interface {
	// Generate runs req; onTask hears the task id as soon as the
	// service gives it.
	Generate(ctx context.Context, req api.CreateRequest, onProgress func(job.Progress), onTask func(id string)) (*job.Result, error)
	// Fetch downloads the results of a task made before.
	Fetch(ctx context.Context, taskID string, onProgress func(job.Progress)) (*job.Result, error)
}

// Backend is where generations go: the service, or the offline engine.
type Backend interface {
	Generator
	Label() string // shown in the status bar
	Offline() bool // true for the built-in engine
	Endpoint() string
	Check(ctx context.Context) error // is the endpoint reachable?
	Close()
}

// Connector makes the backend for the current settings; it is called again
// when the token or endpoint change.
type Connector func(settings.Settings) (Backend, error)

// FileDialogs are the native open, save and folder pickers. They are
// called on the UI thread only (GTK demands it) and report through the
// callback; "" means the user cancelled.
type FileDialogs interface {
	OpenImage(onChosen func(path string))
	// SaveImage starts in dir with the name suggested. The dialog asks
	// before replacing a file; the path it returns is the user's choice.
	SaveImage(dir, suggestedName string, onChosen func(path string))
	ChooseFolder(start string, onChosen func(path string))
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
