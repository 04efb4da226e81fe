package sysclip

import (
	"net/url"
	"strings"
)

// Content is what the clipboard holds that Backdrop can use.
type Content struct {
	Image []byte   // image data, nil when there is none
	Files []string // local paths of files copied in a file manager
}

// ImageTargets are the image types asked for, best first: the formats the
// service takes, as browsers, editors and screenshot tools offer them.
var ImageTargets = []string{"image/png", "image/jpeg", "image/webp", "image/bmp", "image/x-bmp"}

// FileTargets are how file managers offer copied files.
var FileTargets = []string{"x-special/gnome-copied-files", "text/uri-list"}

// ParseFiles reads the local paths out of a file target: a text/uri-list
// (RFC 2483: one URI a line, # comments) or GNOME's "copy\nURI\n…".
// Anything that is not a local file URI is left out.
func ParseFiles(target string, data []byte) []string {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if target == "x-special/gnome-copied-files" && len(lines) > 0 {
		if first := strings.TrimSpace(lines[0]); first == "copy" || first == "cut" {
			lines = lines[1:]
		}
	}
	var paths []string
	for _, line := range lines {
		line = strings.TrimSpace(strings.TrimRight(line, "\x00"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		u, err := url.Parse(line)
		if err != nil || u.Scheme != "file" || (u.Host != "" && u.Host != "localhost") || u.Path == "" {
			continue
		}
		paths = append(paths, u.Path)
	}
	return paths
}
