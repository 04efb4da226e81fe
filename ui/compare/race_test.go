//go:build race

package compare

// The race detector slows rendering several times over, so timings mean
// nothing under it.
const raceEnabled = true
