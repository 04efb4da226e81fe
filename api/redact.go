package api

import "strings"

// MinSecretFragment is the shortest part of the token that Redact removes:
// any run of 8 or more of the token's characters, so that a snippet cut in
// the middle of the token, or a server echoing only its tail, prints
// nothing that could be pieced back together.
const MinSecretFragment = 8

// Redacted replaces the token, or a part of it, in a redacted text.
const Redacted = "[redacted]"

// Redact returns s with every occurrence of the token, and of any part of
// it of MinSecretFragment or more characters, replaced by Redacted. A token
// shorter than that is only removed whole. The CLI and the window pass
// everything they print that came from the network or from an error
// through it (or through (*Client).Redact).
func Redact(s, token string) string {
	token = strings.TrimSpace(token)
	if token == "" || s == "" {
		return s
	}
	if len(token) < MinSecretFragment {
		if len(token) < 4 {
			return s // too short to tell from ordinary text
		}
		return strings.ReplaceAll(s, token, Redacted)
	}
	if len(s) < MinSecretFragment {
		return s
	}
	// Every substring of s of 8+ bytes that is also in the token is a union
	// of 8-byte windows that are all in the token: mark those windows.
	grams := make(map[string]struct{}, len(token)-MinSecretFragment+1)
	for i := 0; i+MinSecretFragment <= len(token); i++ {
		grams[token[i:i+MinSecretFragment]] = struct{}{}
	}
	var covered []bool
	for i := 0; i+MinSecretFragment <= len(s); i++ {
		if _, ok := grams[s[i:i+MinSecretFragment]]; !ok {
			continue
		}
		if covered == nil {
			covered = make([]bool, len(s))
		}
		for j := i; j < i+MinSecretFragment; j++ {
			covered[j] = true
		}
	}
	if covered == nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if !covered[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(Redacted)
		for i < len(s) && covered[i] {
			i++
		}
	}
	return b.String()
}

// Redact removes the client's token (and any 8+ character part of it)
// from s; see the package function Redact.
func (c *Client) Redact(s string) string { return Redact(s, c.token) }

// seal is the last guard on every error the client returns: should any
// text in it still hold the token (or a part of it), the error is wrapped
// in one whose text is redacted; errors.Is/As still see the original.
func (c *Client) seal(err error) error {
	if err == nil || c.token == "" {
		return err
	}
	s := err.Error()
	if r := c.Redact(s); r != s {
		return &redactedError{err: err, text: bound(oneLine(r), maxErrorRunes)}
	}
	return err
}

type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }
