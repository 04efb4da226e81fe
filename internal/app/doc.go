// Package app is the wiring the window and the CLI share: which backend
// a generation goes to (the service with a token, else the in-process
// offline engine), how API clients are built, the queue on top of them,
// the library that queue records into (OpenLibrary, Recorder,
// NewLibraryQueue, the daily cap gate), picking up at start the runs a
// process left under way (Resume), and the exit codes of the commands.
// It imports neither ui nor cli.
package app
