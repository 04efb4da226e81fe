package ui

func (w *Window) previewURL(string) {}
