package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"unicode"

	"backdrop/api"
)

// console is where a command prints: every byte, on stdout and stderr,
// passes the redactor, and every error is one line.
type console struct {
	cmd    string // "backdrop generate", the prefix of error lines
	stdout io.Writer
	stderr io.Writer
	// rawStderr is the stderr given, to tell a terminal (never written
	// to but through stderr).
	rawStderr io.Writer

	mu      sync.Mutex
	secrets []string
}

func newConsole(cmd string, stdout, stderr io.Writer) *console {
	c := &console{cmd: cmd, rawStderr: stderr}
	c.stdout = redactor{w: stdout, c: c}
	c.stderr = redactor{w: stderr, c: c}
	return c
}

// setToken adds a secret no output may show.
func (c *console) setToken(secret string) {
	secret = strings.TrimSpace(secret)
	if secret == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.secrets = append(c.secrets, secret)
}

// redact removes every secret from s.
func (c *console) redact(s string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.secrets {
		s = api.Redact(s, t)
	}
	return s
}

// errorf prints one error line, "backdrop generate: …".
func (c *console) errorf(format string, args ...any) {
	fmt.Fprintln(c.stderr, c.cmd+": "+oneLine(fmt.Sprintf(format, args...)))
}

// infof prints one line of information on stderr.
func (c *console) infof(format string, args ...any) {
	fmt.Fprintln(c.stderr, oneLine(fmt.Sprintf(format, args...)))
}

// maxLine bounds one printed error: error pages can be long.
const maxLine = 600

// oneLine makes any text one printable line: line breaks and other control
// characters become spaces, runs of spaces one, and a long text is cut.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxLine {
		s = string(r[:maxLine-1]) + "…"
	}
	return s
}

// describe words an error for someone at a terminal, on one line;
// endpoint is the service's host, which --endpoint can change.
func describe(err error, endpoint string) string {
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	if host, reason, ok := unreachable(err); ok {
		if api.IsNetwork(err) && !isServiceCall(err) {
			endpoint = "" // a result host: --endpoint is not to blame
		}
		return cannotReach(host, reason, endpoint)
	}
	msg := err.Error()
	if api.IsAuth(err) {
		msg += " — check the token given with --token-file, --token or BACKDROP_TOKEN"
	}
	return oneLine(msg)
}

// cannotReach says a host could not be reached, and what to check.
func cannotReach(host, reason, endpoint string) string {
	if host == endpoint {
		return fmt.Sprintf("Cannot reach %s (%s) — check the connection or --endpoint", host, reason)
	}
	return fmt.Sprintf("Cannot reach %s (%s) — check the connection", host, reason)
}

// isServiceCall reports whether a network failure was on a call to the
// service itself (create or poll), not on a result link.
func isServiceCall(err error) bool {
	var ne *api.NetworkError
	return errors.As(err, &ne) && ne.Op != "download"
}

// unreachable reports a connection that could not be made at all (refused,
// no route, unknown host), with the host and a short reason.
func unreachable(err error) (host, reason string, ok bool) {
	var ne *api.NetworkError
	if errors.As(err, &ne) {
		if !ne.Unreachable() {
			return "", "", false
		}
		reason = ne.Reason
		if ne.Timeout {
			reason = fmt.Sprintf("no connection within %s", ne.Limit)
		}
		return ne.Host, reason, true
	}
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		reason = "unknown host"
		if dns.IsTemporary || dns.IsTimeout {
			reason = "no answer from the name server"
		}
	case errors.As(err, &op) && op.Op == "dial":
		reason = op.Err.Error()
		var sys interface{ Unwrap() error }
		if errors.As(op.Err, &sys) && sys.Unwrap() != nil {
			reason = sys.Unwrap().Error()
		}
	default:
		return "", "", false
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		host = hostOf(ue.URL)
	} else if dns != nil {
		host = dns.Name
	} else if op.Addr != nil {
		host = op.Addr.String()
	}
	return host, reason, true
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == ':' || r == '=' || r == ',' || r == '+' || r == '@' ||
			r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
