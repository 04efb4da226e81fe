package ui

import "backdrop/ui/sysclip"

func newClipboard() Clipboard { return sysclip.Clipboard{} }
