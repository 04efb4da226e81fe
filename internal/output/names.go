// Package output writes result images to disk safely: every file is written
// to a temporary name first and only then given its final name, and an
// existing file is never overwritten.
package output

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxStemBytes leaves room in a 255-byte file name for "-bg-4", a "_9999"
// made to avoid overwriting, and the extension.
const maxStemBytes = 200

// Stem is the name a source is known by in result names: the file name
// without its extension, for a path or a URL. The stem is safe as part of
// a file name on every system: no path separator, no control or reserved
// character, not "." or "..", not hidden, not a reserved device name.
func Stem(source string) string {
	base := source
	if u, err := url.Parse(source); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		base = path.Base(u.Path)
	} else {
		base = filepath.Base(strings.ReplaceAll(source, `\`, "/"))
	}
	if base == "." || base == "/" {
		return "image"
	}
	base = strings.TrimSuffix(base, path.Ext(base))
	return cleanStem(base)
}

// cleanStem makes any text safe as the start of a file name.
func cleanStem(s string) string {
	s = strings.ToValidUTF8(s, "_")
	s = strings.Map(func(r rune) rune {
		if r < 32 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) || !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return '_'
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	// Windows drops trailing dots and spaces; a leading dot hides the file.
	s = strings.TrimRight(s, ". ")
	s = strings.TrimLeft(s, ". ")
	if len(s) > maxStemBytes {
		cut := maxStemBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimRight(s[:cut], ". ")
	}
	if s == "" {
		return "image"
	}
	if reservedName(s) {
		s = "_" + s
	}
	return s
}

// reservedName reports a Windows device name (CON, NUL, COM1…), which
// cannot be a file name whatever its extension.
func reservedName(s string) bool {
	head, _, _ := strings.Cut(s, ".")
	head = strings.ToUpper(strings.TrimRight(head, " "))
	switch head {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(head) == 4 && (strings.HasPrefix(head, "COM") || strings.HasPrefix(head, "LPT")) {
		return head[3] >= '0' && head[3] <= '9'
	}
	if len(head) == 5 && (strings.HasPrefix(head, "COM") || strings.HasPrefix(head, "LPT")) {
		// COM¹ COM² COM³ are devices too.
		r, _ := utf8.DecodeRuneInString(head[3:])
		return r == '¹' || r == '²' || r == '³'
	}
	return false
}

// VariantName is the file name of result n (1-based) of a source known by
// stem, e.g. "red shoe-bg-2.png".
func VariantName(stem string, n int, contentType string) string {
	return cleanStem(stem) + "-bg-" + strconv.Itoa(n) + ExtFor(contentType)
}

// CheckName refuses a name that is not one plain file name: empty, "." or
// "..", with a path separator or a NUL, or too long.
func CheckName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return fmt.Errorf("%q is not a file name", name)
	case strings.ContainsAny(name, "/\x00") || filepath.Base(name) != name:
		return fmt.Errorf("%q holds a path separator", name)
	case len(name) > 255:
		return errors.New("the file name is longer than 255 bytes")
	}
	return nil
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
