package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"backdrop/internal/library"
	"backdrop/internal/testshot"
)

func libraryCmd(ctx context.Context, args []string, env func(string) string, stdout, stderr *bytes.Buffer) int {
	return Library(ctx, args, env, stdout, stderr)
}

// The runs generate made are listed (newest first, searchable), as text
// or one JSON object per run, and a run's images can be written again.
func TestLibraryListsAndExports(t *testing.T) {
	_, url := server(t)
	in := t.TempDir()
	testshot.Write(t, in, "red mug.png", 30, 20)
	testshot.Write(t, in, "vase.png", 30, 20)
	env := testEnv(t, "BACKDROP_TOKEN", token, "BACKDROP_ENDPOINT", url)
	out := t.TempDir()
	if code, _, stderr := gen(t, env, "--prompt", "white marble", "--batch", "2", "--out", out, in); code != ExitOK {
		t.Fatal(stderr)
	}
	if code, _, stderr := gen(t, env, "--prompt", "oak table", "--batch", "1", "--out", out, filepath.Join(in, "vase.png")); code != ExitOK {
		t.Fatal(stderr)
	}

	code, stdout, stderr := runCmd(t, libraryCmd, env)
	if code != ExitOK || !strings.HasPrefix(stdout, "RUN") || strings.Count(stdout, "\n") != 4 ||
		!strings.Contains(stdout, "red mug.png") || !strings.Contains(stdout, "oak table") {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
	if first := strings.Split(stdout, "\n")[1]; !strings.Contains(first, "oak table") {
		t.Fatalf("the newest run is not first: %q", first)
	}

	code, stdout, _ = runCmd(t, libraryCmd, env, "--json", "--search", "marb")
	var runs []library.Run
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var r library.Run
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		runs = append(runs, r)
	}
	if code != ExitOK || len(runs) != 2 || runs[0].Prompt != "white marble" || len(runs[0].Images) != 2 || runs[0].State != library.StateDone {
		t.Fatalf("exit %d: %+v", code, runs)
	}
	if code, stdout, _ := runCmd(t, libraryCmd, env, "--limit", "1"); code != ExitOK || strings.Count(stdout, "\n") != 2 {
		t.Fatalf("--limit 1: %q", stdout)
	}

	again := t.TempDir()
	id := strconv.FormatInt(int64(runs[0].ID), 10)
	code, stdout, stderr = runCmd(t, libraryCmd, env, "export", id, "--out", again)
	if code != ExitOK || len(files(t, again)) != 2 || !strings.Contains(stderr, "wrote "+again) {
		t.Fatalf("export: exit %d, files %v:\n%s%s", code, files(t, again), stdout, stderr)
	}
	for _, name := range files(t, again) {
		a, _ := os.ReadFile(filepath.Join(again, name))
		b, _ := os.ReadFile(filepath.Join(out, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Fatalf("%s is not the image that was saved", name)
		}
	}
	for _, bad := range [][]string{{"export"}, {"export", "x", "--out", again}, {"export", "999", "--out", again}, {"--limit", "0"}, {"stray"}} {
		if code, _, _ := runCmd(t, libraryCmd, env, bad...); code != ExitUsage {
			t.Fatalf("%v: exit %d, want 2", bad, code)
		}
	}
}

// A damaged library is reported with its path and left as it is.
func TestLibraryDamaged(t *testing.T) {
	env := testEnv(t)
	file := filepath.Join(env["BACKDROP_LIBRARY"], library.DatabaseName)
	os.WriteFile(file, []byte("not a database at all, just words"), 0o644)
	code, _, stderr := runCmd(t, libraryCmd, env)
	if code != ExitFailure || !strings.Contains(stderr, file) || !strings.Contains(stderr, "left untouched") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if data, _ := os.ReadFile(file); string(data) != "not a database at all, just words" {
		t.Fatal("the damaged library was changed")
	}
	// generate goes on without it, saying so.
	_, url := server(t)
	shot := testshot.Write(t, t.TempDir(), "cup.png", 30, 20)
	code, _, stderr = gen(t, env, "--prompt", "p", "--batch", "1", "--out", t.TempDir(), "--endpoint", url, "--token", token, shot)
	if code != ExitOK || !strings.Contains(stderr, "runs are not recorded") {
		t.Fatalf("generate with a damaged library: exit %d:\n%s", code, stderr)
	}
}
