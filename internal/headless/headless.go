// Package headless spares the sub-commands that never open a window the
// cost of GUI start-up. sqweek/dialog initialises GTK in its package init,
// which connects to the X server when DISPLAY is set (about 12 ms, more
// than a whole small `backdrop generate`). Go initialises packages in
// import-path order as far as their imports allow; this one imports only
// os, so its init runs before sqweek/dialog's (which needs fmt) and hides
// the display from it.
package headless

import "os"

// Commands are the sub-commands that run without a window.
var Commands = map[string]bool{"generate": true, "fetch": true, "library": true, "serve": true}

func init() {
	if len(os.Args) > 1 && Commands[os.Args[1]] {
		os.Unsetenv("DISPLAY")
		os.Unsetenv("WAYLAND_DISPLAY")
	}
}
