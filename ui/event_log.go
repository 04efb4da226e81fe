package ui

import (
	"fmt"
	"os"
	"strings"
	"sync"
)

// The real-window tests (internal/windowtest) drive the binary with
// xdotool and wait on what it reports: with BACKDROP_EVENT_LOG=FILE the
// window appends its events and status messages there, one a line.
var eventLog struct {
	sync.Mutex
	f *os.File
}

func (w *Window) setUpEventLog() {
	path := os.Getenv("BACKDROP_EVENT_LOG")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return
	}
	eventLog.Lock()
	eventLog.f = f
	eventLog.Unlock()
	w.logEvent("ready", fmt.Sprintf("%.0fx%.0f", w.win.Canvas().Size().Width, w.win.Canvas().Size().Height))
}

// logEvent writes "kind text" to the event log, when there is one.
func (w *Window) logEvent(kind, text string) {
	eventLog.Lock()
	defer eventLog.Unlock()
	if eventLog.f != nil {
		fmt.Fprintf(eventLog.f, "%s %s\n", kind, strings.ReplaceAll(text, "\n", " "))
	}
}
