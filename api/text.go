package api

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Bounds on the text of errors: one line each, short enough for a dialog
// or a terminal line.
const (
	maxMessageRunes = 240 // the service's own words in an error
	maxErrorRunes   = 400 // a whole Error() string
)

// oneLine makes untrusted text safe to print on one line: control
// characters (a terminal's escape sequences among them) and line breaks
// become spaces, invisible format characters are dropped, runs of spaces
// collapse. It does not shorten; see bound.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cf, r):
			continue // zero-width and direction marks: could hide text
		case unicode.IsControl(r) || unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// bound cuts s to at most n runes, marking the cut with an ellipsis.
func bound(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// cleanText is how every text from the network enters an error: on one
// line, without the token, bounded. Redaction runs after the line is made
// (so that a token split by a newline or a zero-width character is joined
// and found) and before the cut (so that the cut cannot leave a piece).
func (c *Client) cleanText(s string, n int) string {
	return bound(c.Redact(oneLine(s)), n)
}

// maxSnippetScan bounds how much of an error page is parsed.
const maxSnippetScan = 64 << 10

// reduceBody turns an answer that is not JSON into one telling line: an
// HTML page's <title>, an XML error's Code and Message (as object stores
// send), or else the first line of text in it.
func reduceBody(body []byte) string {
	if len(body) > maxSnippetScan {
		body = body[:maxSnippetScan]
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return ""
	}
	if trimmed[0] != '<' {
		return firstLine(string(trimmed))
	}
	var title, code, message, first strings.Builder
	var current string
	skip := 0 // inside <script> or <style>
	z := html.NewTokenizer(bytes.NewReader(trimmed))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken: // the end, or markup too broken to go on
			return pickSnippet(title.String(), code.String(), message.String(), first.String())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			current = strings.ToLower(string(name))
			if tt == html.StartTagToken && (current == "script" || current == "style") {
				skip++
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if n := strings.ToLower(string(name)); (n == "script" || n == "style") && skip > 0 {
				skip--
			}
			current = ""
		case html.TextToken:
			if skip > 0 {
				continue
			}
			text := string(z.Text()) // entities already decoded
			switch current {
			case "title":
				title.WriteString(text)
			case "code":
				code.WriteString(text)
			case "message":
				message.WriteString(text)
			}
			if first.Len() == 0 && current != "title" {
				if line := firstLine(text); line != "" {
					first.WriteString(line)
				}
			}
			if title.Len() > 0 && current != "title" {
				return pickSnippet(title.String(), code.String(), message.String(), first.String())
			}
		}
	}
}

func pickSnippet(title, code, message, first string) string {
	title, code, message = oneLine(title), oneLine(code), oneLine(message)
	switch {
	case title != "":
		return title
	case message != "" && code != "":
		return code + ": " + message
	case message != "":
		return message
	case code != "":
		return code
	}
	return first
}

// firstLine is the first line of s with any text on it.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if l := oneLine(line); l != "" {
			return l
		}
	}
	return ""
}
