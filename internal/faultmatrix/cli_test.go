package faultmatrix

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"backdrop/internal/cli"
)

// lockedBuffer is a stdout or stderr the command may write from several
// goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runCLI is the terminal's path: `backdrop generate` as cli.Generate runs
// it (its own flags, its own client made with the app's builder; the
// matrix's short limits come through api.DefaultOptions), saving into an
// output folder, with --json.
func runCLI(t *testing.T, env legEnv) legOut {
	args := []string{"--prompt", env.req.Prompt, "--batch", strconv.Itoa(env.req.BatchSize),
		"--endpoint", env.base, "--out", env.outDir, "--timeout", env.bound.String(), "--json"}
	if env.req.ImageURL != "" {
		args = append(args, "--image-url", env.req.ImageURL)
	} else {
		args = append(args, "--image", env.req.ImageFile)
	}
	if env.req.Sync {
		args = append(args, "--sync")
	}
	vars := map[string]string{"BACKDROP_TOKEN": token, "XDG_CACHE_HOME": env.cache, "BACKDROP_LIBRARY": t.TempDir()}
	var stdout, stderr lockedBuffer
	code := cli.Generate(context.Background(), args, func(k string) string { return vars[k] }, &stdout, &stderr)
	out := legOut{exit: code, stdout: stdout.String(), stderr: stderr.String()}
	out.texts = []string{out.stdout, out.stderr}
	if code != cli.ExitOK {
		out.err = fmt.Errorf("exit %d: %s", code, lastLine(out.stderr))
	}
	// The images as the service sent them: saved in the output folder, or
	// still in the cache folder when they could not be saved.
	for _, dir := range []string{env.outDir, env.cache} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			if data, err := os.ReadFile(path); err == nil {
				out.images = append(out.images, data)
				if dir == env.outDir {
					out.n++
				}
			}
			return nil
		})
	}
	return out
}

// judgeCLI wants exit 0 with every image saved when the case should
// succeed, exit 1 otherwise (keeping what arrived), a --json object on
// stdout in both cases, and the command that fetches a paid task later
// when the wait for it gave up.
func judgeCLI(tc tcase, out legOut) string {
	switch {
	case tc.check == nil && (out.exit != cli.ExitOK || out.n != tc.images):
		return fmt.Sprintf("want exit 0 with %d files, got exit %d with %d: %s", tc.images, out.exit, out.n, lastLine(out.stderr))
	case tc.check != nil && out.exit != cli.ExitFailure:
		return fmt.Sprintf("want exit 1, got %d with %d files: %s", out.exit, out.n, lastLine(out.stderr))
	case tc.check != nil && tc.images > 0 && out.n != tc.images:
		return fmt.Sprintf("got %d files, want %d", out.n, tc.images)
	}
	if strings.TrimSpace(out.stdout) != "" {
		var v map[string]any
		if err := json.Unmarshal([]byte(out.stdout), &v); err != nil {
			return fmt.Sprintf("--json printed something that is not one JSON object: %q", out.stdout)
		}
	} else if tc.check == nil || tc.images > 0 {
		return "--json printed nothing"
	}
	gaveUp := strings.HasPrefix(tc.name, "poll/") && tc.check != nil && !strings.Contains(tc.name, "without-images")
	if gaveUp && !strings.Contains(out.stderr, "backdrop fetch task-") {
		return fmt.Sprintf("the wait gave up but stderr does not say how to fetch the task later: %q", out.stderr)
	}
	return ""
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
