// Package run is the core that the window and the CLI share: an Item is one
// shot (or URL) with its prompt, variant count and options, with its own
// state machine, cancel and results; a Queue runs many items at once, paced
// below the service's rate limit, saving every variant as it arrives.
//
// It has no Fyne import. Observers follow it through Subscribe (cheap,
// coalesced, never blocking the workers); a Recorder (the library) is told
// of every step before its side effect, so that a crash at any point leaves
// enough to resume without paying twice.
package run
