// Package output writes result images to disk safely: every file is written
// to a temporary name first and only then given its final name, and an
// existing file is never overwritten.
package output

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// Stem is the name a source is known by in result names: the file name
// without its extension, for a path or a URL.
func Stem(source string) string {
	base := source
	if u, err := url.Parse(source); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		base = path.Base(u.Path)
	} else {
		base = filepath.Base(source)
	}
	if base == "." || base == "/" {
		return "image"
	}
	base = strings.TrimSuffix(base, path.Ext(base))
	base = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, base)
	if base == "" {
		return "image"
	}
	return base
}

// ExtFor returns the file extension for an image content type.
func ExtFor(contentType string) string {
	switch contentType {
	case "image/jpeg":
		return ".jpg"
	case "image/webp":
		return ".webp"
	case "image/bmp":
		return ".bmp"
	case "image/gif":
		return ".gif"
	default:
		return ".png"
	}
}
