//go:build race

package engine

// raceEnabled: the race detector slows pixel loops tenfold; tests skip
// their largest pictures under it (the same code runs at 640 px).
const raceEnabled = true
