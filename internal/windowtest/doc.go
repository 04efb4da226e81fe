// Package windowtest starts the real backdrop binary in an Xvfb display and
// drives it with xdotool, the way a person at the keyboard would: start-up
// with a file, typing into the focused prompt, and the menu shortcuts.
package windowtest
