//go:build race

package library

// raceEnabled: the race detector slows the transpiled SQLite about
// twentyfold, so the largest tests use fewer rows under it.
const raceEnabled = true
