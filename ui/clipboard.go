package ui

import "backdrop/ui/sysclip"

func newClipboard() ImageClipboard { return sysclip.Clipboard{} }
