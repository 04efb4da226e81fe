package cli

import "io"

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
