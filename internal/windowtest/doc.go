// Package windowtest starts the real backdrop binary in an Xvfb display and
// drives it with xdotool and xclip, the way a person at the keyboard would:
// start-up with a file, typing, the menu shortcuts, Ctrl+V of an image and
// of a copied file, Esc from every focusable widget, and the window held at
// its minimum size. The window reports what happened through its event log
// (BACKDROP_EVENT_LOG), and every wait is on a condition in that log.
//
// Without Xvfb, xdotool or xclip the tests skip, except under `make test`
// (BACKDROP_WINDOW_TESTS=required), where `make deps` has installed them
// and a missing tool is a failure.
package windowtest
