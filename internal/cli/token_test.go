package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backdrop/api"
	"backdrop/internal/testshot"
)

func TestRedact(t *testing.T) {
	const secret = "sk-live-ABCDEFGHIJKLMNOP"
	cases := map[string]string{
		"token " + secret + " echoed":   "token [redacted] echoed",
		"cut: sk-live-ABCD":             "cut: [redacted]",
		"tail: HIJKLMNOP.":              "tail: [redacted].",
		"middle xxEFGHIJKLyy":           "middle xx[redacted]yy",
		"short part sk-live not hidden": "short part sk-live not hidden",
		"Bearer " + secret + secret:     "Bearer [redacted]",
		"nothing here":                  "nothing here",
		"":                              "",
	}
	for in, want := range cases {
		if got := api.Redact(in, secret); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
	if got := api.Redact("a tok1 b", "tok1"); got != "a [redacted] b" {
		t.Errorf("short token: %q", got)
	}
}

// noPartOfToken fails if any 8 characters of the token appear in text.
func noPartOfToken(t *testing.T, secret, text string) {
	t.Helper()
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+8]) {
			t.Fatalf("output holds %q, part of the token:\n%s", secret[i:i+8], text)
		}
	}
}

// A service and a result host that echo the token (whole, cut, or in
// parts) in their error bodies: nothing of it is printed, on stderr, on
// stdout or in the JSON answer.
func TestTokenIsNeverPrinted(t *testing.T) {
	shot := testshot.Write(t, t.TempDir(), "cup.png", 30, 20)
	echo := []string{
		token,
		token[:12],
		token[len(token)-10:],
		strings.Join(strings.Split(token, ""), "\n")[:30], // line breaks inside it
		"<html><head><title>Denied " + token + "</title></head><body>" + token[3:15] + "</body></html>",
	}
	for i, body := range echo {
		for _, where := range []string{"create", "result"} {
			t.Run(fmt.Sprintf("%s-%d", where, i), func(t *testing.T) {
				f := newFake(t, 2)
				if where == "create" {
					f.create = func(w http.ResponseWriter, r *http.Request) bool {
						w.WriteHeader(http.StatusBadRequest)
						fmt.Fprintf(w, `{"status":400,"message":%q}`, "invalid token "+body)
						return true
					}
				} else {
					f.result = func(n int, w http.ResponseWriter) bool {
						if n != 2 {
							return false
						}
						w.WriteHeader(http.StatusBadRequest) // not retried: the test stays quick
						w.Write([]byte(body))
						return true
					}
				}
				code, stdout, stderr := gen(t, nil, "--image", shot, "--prompt", "p", "--out", t.TempDir(), "--endpoint", f.url, "--token", token, "--json")
				if code == 0 {
					t.Fatalf("exit 0:\n%s", stderr)
				}
				noPartOfToken(t, token, stdout+stderr)
				oneLinePerError(t, "backdrop generate", stderr)
			})
		}
	}
}

// --token-file keeps the token out of the process list: from a file or
// from standard input, and never printed.
func TestTokenFile(t *testing.T) {
	_, url := server(t)
	shot := testshot.Write(t, t.TempDir(), "cup.png", 30, 20)
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	os.WriteFile(file, []byte(token+"\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	wrong := filepath.Join(dir, "wrong")
	os.WriteFile(wrong, []byte("sk-wrong-but-long-enough\n"), 0o600)

	base := []string{"--image", shot, "--prompt", "p", "--batch", "1", "--out", t.TempDir(), "--endpoint", url}
	if code, _, stderr := gen(t, nil, append(base, "--token-file", file)...); code != 0 {
		t.Fatalf("from a file: %s", stderr)
	}
	Stdin = strings.NewReader(token + "\n")
	defer func() { Stdin = os.Stdin }()
	if code, _, stderr := gen(t, nil, append(base, "--token-file", "-")...); code != 0 {
		t.Fatalf("from stdin: %s", stderr)
	}
	// The file wins over the environment.
	if code, _, stderr := gen(t, testEnv(t, "BACKDROP_TOKEN", "sk-from-env-xxxxxxxx"), append(base, "--token-file", file)...); code != 0 {
		t.Fatalf("file and env: %s", stderr)
	}
	for name, tc := range map[string]struct {
		file  string
		code  int
		words string
	}{
		"empty":   {empty, 2, "is empty"},
		"missing": {filepath.Join(dir, "nope"), 2, "cannot read the token file"},
		"refused": {wrong, 1, "token was refused"},
	} {
		code, _, stderr := gen(t, nil, append(base, "--token-file", tc.file)...)
		if code != tc.code || !strings.Contains(stderr, tc.words) {
			t.Errorf("%s: exit %d:\n%s", name, code, stderr)
		}
		noPartOfToken(t, "sk-wrong-but-long-enough", stderr)
	}
}

// oneLinePerError fails unless every line of stderr is a progress line,
// a saved file, or one whole error that starts with the command's name.
func oneLinePerError(t *testing.T, cmd, stderr string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		// Errors, or an item's line of what it saved or skipped.
		ok := strings.HasPrefix(line, cmd+": ") || strings.Contains(line, ": saved ") || strings.Contains(line, ": skipped, already done: ") ||
			strings.HasPrefix(line, "passed over ") || strings.HasPrefix(line, "picked up ")
		for _, p := range []string{"sending", "queued", "processing ", "downloading "} {
			ok = ok || strings.HasPrefix(line, p)
		}
		if !ok {
			t.Fatalf("a line that is neither progress nor one whole error: %q in\n%s", line, stderr)
		}
	}
}
