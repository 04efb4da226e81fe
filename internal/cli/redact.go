package cli

import (
	"io"
	"strings"
)

// minSecretPart is the shortest part of the token that is hidden: any run
// of 8 or more of its characters, so that a text cut in the middle of the
// token, or a server echoing its tail, prints nothing of use.
const minSecretPart = 8

// redacted stands for the token, or a part of it, in printed text.
const redacted = "[redacted]"

// redactText removes the token from s. It is a variable so that the api
// package's own Redact (same rule) can take its place once it is in main.
var redactText = redact

// redact returns s with the token, and any part of it of minSecretPart or
// more characters, replaced. A shorter token is removed only whole.
func redact(s, token string) string {
	token = strings.TrimSpace(token)
	if token == "" || s == "" {
		return s
	}
	if len(token) < minSecretPart {
		if len(token) < 4 {
			return s // too short to tell from ordinary text
		}
		return strings.ReplaceAll(s, token, redacted)
	}
	// A part of 8+ bytes shared with the token is a union of 8-byte
	// windows that are all in the token: mark those windows.
	grams := make(map[string]bool, len(token))
	for i := 0; i+minSecretPart <= len(token); i++ {
		grams[token[i:i+minSecretPart]] = true
	}
	var covered []bool
	for i := 0; i+minSecretPart <= len(s); i++ {
		if !grams[s[i:i+minSecretPart]] {
			continue
		}
		if covered == nil {
			covered = make([]bool, len(s))
		}
		for j := i; j < i+minSecretPart; j++ {
			covered[j] = true
		}
	}
	if covered == nil {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !covered[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(redacted)
		for i < len(s) && covered[i] {
			i++
		}
	}
	return b.String()
}

// redactor is a writer that removes the console's secrets from everything
// written through it. Each Write is redacted on its own: the commands write
// whole lines (and the JSON answer) in one Write each.
type redactor struct {
	w io.Writer
	c *console
}

func (r redactor) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.c.redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
