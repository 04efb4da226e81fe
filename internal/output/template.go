package output

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// DefaultTemplate names result files after the shot and the variant.
const DefaultTemplate = "{name}-bg-{n}"

// MaxStemBytes bounds a file name before its extension, in UTF-8 bytes.
// File systems allow 255 (bytes on Linux, UTF-16 units on Windows, which
// are never more than the UTF-8 bytes); the rest is room for the
// extension and the "_2" that WriteFile adds instead of overwriting.
const MaxStemBytes = 200

// maxPromptRunes bounds what {prompt} contributes: a readable slug, not
// the whole prompt.
const maxPromptRunes = 60

// maxExpandBytes stops a template that repeats a long field from
// building a huge string: only the first MaxStemBytes survive anyway.
const maxExpandBytes = 16 << 10

// templateFields are the fields a name template may use.
var templateFields = []string{"name", "n", "prompt", "date", "time", "task"}

// NameFields are the values a template is filled with.
type NameFields struct {
	Name   string    // the shot's name without extension (see Stem)
	N      int       // the variant, 1-based
	Prompt string    // the prompt; only its start is used
	Time   time.Time // when the run started: {date} and {time}, local time
	Task   string    // the service's task id
}

// CheckTemplate reports whether t is a usable name template: not empty,
// and every {field} one of {name} {n} {prompt} {date} {time} {task}.
func CheckTemplate(t string) error {
	if strings.TrimSpace(t) == "" {
		return fmt.Errorf("the name template is empty")
	}
	rest := t
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return fmt.Errorf("the name template %q has a { without its }", t)
		}
		field := rest[i+1 : i+j]
		if !isField(field) {
			return fmt.Errorf("the name template %q uses {%s}; the fields are {%s}", t, field, strings.Join(templateFields, "} {"))
		}
		rest = rest[i+j+1:]
	}
	return nil
}

func isField(s string) bool {
	for _, f := range templateFields {
		if s == f {
			return true
		}
	}
	return false
}

// ExpandTemplate fills t with f and returns a file name stem that every
// common file system accepts (see SanitizeName); the caller adds the
// extension. Text that is not a known {field} is kept as written.
func ExpandTemplate(t string, f NameFields) string {
	if strings.TrimSpace(t) == "" {
		t = DefaultTemplate
	}
	var b strings.Builder
	rest := t
	for b.Len() < maxExpandBytes {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		field := rest[i+1 : i+j]
		if v, ok := f.value(field); ok {
			b.WriteString(v)
		} else {
			b.WriteString(rest[i : i+j+1])
		}
		rest = rest[i+j+1:]
	}
	return SanitizeName(b.String())
}

func (f NameFields) value(field string) (string, bool) {
	at := f.Time
	if at.IsZero() {
		at = time.Now()
	}
	switch field {
	case "name":
		return f.Name, true
	case "n":
		return strconv.Itoa(f.N), true
	case "prompt":
		return promptSlug(f.Prompt), true
	case "date":
		return at.Local().Format("2006-01-02"), true
	case "time":
		return at.Local().Format("15-04-05"), true
	case "task":
		return f.Task, true
	}
	return "", false
}

// promptSlug is the prompt on one line, cut to its first words.
func promptSlug(p string) string {
	p = strings.Join(strings.Fields(p), " ")
	if utf8.RuneCountInString(p) <= maxPromptRunes {
		return p
	}
	cut := []rune(p)[:maxPromptRunes]
	s := string(cut)
	if sp := strings.LastIndexByte(s, ' '); sp > maxPromptRunes/2 {
		s = s[:sp]
	}
	return strings.TrimSpace(s)
}

// Windows refuses these names, with any extension and in any case.
var reservedNames = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
}

func isReserved(stem string) bool {
	base := stem
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.ToUpper(strings.TrimRight(base, " "))
	if reservedNames[base] {
		return true
	}
	if len(base) >= 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		switch base[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

// SanitizeName makes s a file name stem that Linux, macOS and Windows all
// accept: no path separators or characters Windows forbids, no control or
// text-direction characters, valid UTF-8, not a reserved device name, no
// leading dot (hidden, "." and ".."), no trailing dot or space, and at
// most MaxStemBytes bytes, also once macOS decomposes it (cut between
// whole characters). An empty result becomes "image".
func SanitizeName(s string) string {
	s = strings.ToValidUTF8(s, "_")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return '_'
		case strings.ContainsRune(`<>:"/\|?*`, r):
			return '_'
		case r == utf8.RuneError:
			return '_'
		case isInvisibleFormat(r):
			return -1
		}
		return r
	}, s)
	s = strings.TrimLeft(s, " ")
	if strings.HasPrefix(s, ".") {
		s = "_" + strings.TrimLeft(s, ".")
	}
	s = cutToBytes(s, MaxStemBytes)
	s = strings.TrimRight(s, " .")
	if s == "" {
		return "image"
	}
	if isReserved(s) {
		if i := strings.IndexByte(s, '.'); i >= 0 {
			s = s[:i] + "_" + s[i:]
		} else {
			s += "_"
		}
		s = strings.TrimRight(cutToBytes(s, MaxStemBytes), " .")
	}
	return s
}

// isInvisibleFormat reports characters that change how a name is shown
// without being seen (text-direction overrides can disguise an
// extension): they are dropped. Joiners stay, emoji need them.
func isInvisibleFormat(r rune) bool {
	switch {
	case r == 0x200e || r == 0x200f || r == 0x061c: // direction marks
		return true
	case r >= 0x202a && r <= 0x202e: // embeddings and overrides
		return true
	case r >= 0x2066 && r <= 0x2069: // isolates
		return true
	case r == 0xfeff: // byte order mark
		return true
	}
	return false
}

// cutToBytes shortens s, between whole characters (a base letter keeps
// its accents), until it and its decomposed form (macOS stores names
// decomposed) both fit in max bytes.
func cutToBytes(s string, max int) string {
	if len(s) <= max && len(norm.NFD.String(s)) <= max {
		return s
	}
	var b strings.Builder
	var it norm.Iter
	it.InitString(norm.NFC, s)
	for !it.Done() {
		seg := it.Next()
		if b.Len()+len(seg) > max || len(norm.NFD.String(b.String()+string(seg))) > max {
			break
		}
		b.Write(seg)
	}
	return b.String()
}
