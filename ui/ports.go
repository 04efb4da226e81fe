package ui

import (
	"context"

	"backdrop/api"
	"backdrop/internal/job"
	"backdrop/internal/settings"
)

// Generator runs one generation to downloaded images.
type Generator interface {
	Generate(ctx context.Context, req api.CreateRequest, onProgress func(job.Progress)) (*job.Result, error)
}

// Backend is where generations go: the service, or the offline engine.
type Backend interface {
	Generator
	Label() string // shown in the status bar
	Offline() bool // true for the built-in engine
	Endpoint() string
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
	SaveImage(suggestedName string, onChosen func(path string))
	ChooseFolder(start string, onChosen func(path string))
}

// ImageClipboard moves image data to and from the system clipboard
// (Fyne's own clipboard is text only).
type ImageClipboard interface {
	ReadImage() []byte // PNG data, or nil when the clipboard holds no image
	WriteImage(png []byte) error
}

// Opener shows a file in the system's image viewer.
type Opener interface {
	OpenFile(path string) error
}
