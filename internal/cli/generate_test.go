package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

func TestGenerateWritesEveryVariant(t *testing.T) {
	for _, sync := range []bool{false, true} {
		for batch := 1; batch <= 4; batch++ {
			srv, url := server(t, contract.WithShape(contract.ShapeSlots))
			in := t.TempDir()
			out := t.TempDir()
			env := testEnv(t)
			img := testshot.Write(t, in, "red shoe.png", 30, 20)
			args := []string{"--image", img, "--prompt", "white marble", "--batch", strconv.Itoa(batch), "--out", out, "--endpoint", url, "--token", token, "--json"}
			if sync {
				args = append(args, "--sync")
			}
			code, stdout, stderr := gen(t, env, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			res := decodeJSON(t, stdout)
			if len(res.Images) != batch || res.TaskID == "" || res.ForegroundRect == nil || len(res.Failed) != 0 || res.Error != "" || res.Fetch != "" {
				t.Fatalf("result %+v", res)
			}
			for i, im := range res.Images {
				want := filepath.Join(out, "red shoe-bg-"+strconv.Itoa(i+1)+".png")
				if im.Variant != i+1 || im.Path != want || im.Width != 30 || im.Height != 20 || !strings.HasPrefix(im.URL, "http") {
					t.Fatalf("image %d: %+v, want %s", i, im, want)
				}
				if _, err := os.Stat(im.Path); err != nil {
					t.Fatal(err)
				}
			}
			if cr := srv.Creates(); len(cr) != 1 || cr[0].Sync != sync || cr[0].BatchSize != batch || cr[0].Prompt != "white marble" {
				t.Fatalf("server saw %+v", cr)
			}
			// Saved results leave no copy behind in the cache.
			if left := files(t, filepath.Join(env["XDG_CACHE_HOME"], "backdrop", "results")); len(left) != 0 {
				t.Fatalf("cache keeps %v", left)
			}
			noPartials(t, out, env["XDG_CACHE_HOME"])
		}
	}
}

func TestGenerateNeverOverwrites(t *testing.T) {
	_, url := server(t)
	in, out := t.TempDir(), t.TempDir()
	img := testshot.Write(t, in, "mug.png", 30, 20)
	os.WriteFile(filepath.Join(out, "mug-bg-1.png"), []byte("keep me"), 0o644)
	env := testEnv(t, "BACKDROP_TOKEN", token, "BACKDROP_ENDPOINT", url)
	if code, _, stderr := gen(t, env, "--image", img, "--prompt", "p", "--batch", "1", "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "mug-bg-1.png")); string(b) != "keep me" {
		t.Fatal("overwrote an existing file")
	}
	if _, err := os.Stat(filepath.Join(out, "mug-bg-1_2.png")); err != nil {
		t.Fatal(err)
	}
}

func TestGenerateFromURLNamesAfterTheURL(t *testing.T) {
	_, url := server(t)
	in, out := t.TempDir(), t.TempDir()
	testshot.Write(t, in, "lamp.png", 30, 20)
	files := httptest.NewServer(http.FileServer(http.Dir(in)))
	defer files.Close()
	code, _, stderr := gen(t, nil, "--image-url", files.URL+"/lamp.png", "--prompt", "p", "--out", out, "--endpoint", url, "--token", token)
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, n := range []string{"lamp-bg-1.png", "lamp-bg-2.png"} {
		if _, err := os.Stat(filepath.Join(out, n)); err != nil {
			t.Fatal(err)
		}
	}
}

// Everything that can be known before paying is checked first: exit 2,
// nothing sent.
func TestGenerateRefusesBeforeSending(t *testing.T) {
	dir := t.TempDir()
	img := testshot.Write(t, dir, "a.png", 30, 20)
	plainFile := filepath.Join(dir, "notes.txt")
	os.WriteFile(plainFile, []byte("x"), 0o644)
	fifo := filepath.Join(dir, "pipe.png")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	bomb := filepath.Join(dir, "bomb.png")
	os.WriteFile(bomb, pngClaiming(100000, 100000), 0o644)
	srv, url := server(t)
	base := []string{"--prompt", "p", "--endpoint", url, "--token", token}
	cases := []struct {
		name  string
		env   map[string]string
		args  []string
		words string
	}{
		{"out under a regular file", nil, []string{"--image", img, "--out", filepath.Join(plainFile, "out")}, "--out: cannot create"},
		{"out is a regular file", nil, []string{"--image", img, "--out", plainFile}, "--out: cannot create"},
		{"a FIFO as the image", nil, []string{"--image", fifo, "--out", dir}, "named pipe"},
		{"a device as the image", nil, []string{"--image", "/dev/zero", "--out", dir}, "device"},
		{"a folder as the image", nil, []string{"--image", dir, "--out", dir}, "folder"},
		{"a pixel bomb", nil, []string{"--image", bomb, "--out", dir}, "100000 × 100000"},
		{"no such image", nil, []string{"--image", filepath.Join(dir, "gone.png"), "--out", dir}, "does not exist"},
		{"cache under a file", map[string]string{"XDG_CACHE_HOME": plainFile}, []string{"--image", img, "--out", dir}, "cache folder"},
		{"zero timeout", nil, []string{"--image", img, "--out", dir, "--timeout", "0s"}, "--timeout"},
		{"batch 5", nil, []string{"--image", img, "--batch", "5"}, "batch_size"},
		{"batch 0", nil, []string{"--image", img, "--batch", "0"}, "batch_size"},
		{"both sources", nil, []string{"--image", img, "--image-url", "https://x.test/a.png"}, "not both"},
		{"token twice", nil, []string{"--image", img, "--token-file", plainFile}, "not both"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan struct{})
			var code int
			var stderr string
			go func() {
				defer close(done)
				code, _, stderr = gen(t, tc.env, append(append([]string{}, base...), tc.args...)...)
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second): // a hang guard, not a timing
				t.Fatal("generate blocked")
			}
			if code != ExitUsage || !strings.Contains(stderr, tc.words) {
				t.Fatalf("exit %d, want 2 and %q; stderr:\n%s", code, tc.words, stderr)
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n"); lines != 0 {
				t.Fatalf("one line per error, got:\n%s", stderr)
			}
		})
	}
	if n := len(srv.Creates()); n != 0 {
		t.Fatalf("%d creates sent", n)
	}
}

func TestGenerateExitCodes(t *testing.T) {
	dir := t.TempDir()
	img := testshot.Write(t, dir, "a.png", 30, 20)
	_, good := server(t)
	_, limited := server(t, contract.WithRateLimit(1, time.Second))
	_, failing := server(t, contract.WithFailState(-7, ""))
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	cases := []struct {
		name  string
		args  []string
		code  int
		words string
	}{
		{"no token", []string{"--image", img, "--prompt", "p", "--endpoint", good}, 2, "token"},
		{"no prompt", []string{"--image", img, "--endpoint", good, "--token", token}, 2, "prompt"},
		{"unknown flag", []string{"--imag", img}, 2, "flag provided but not defined"},
		{"a shot that is not there", []string{"--image", img, "--prompt", "p", "extra", "--endpoint", good, "--token", token}, 2, "extra does not exist"},
		{"bad token", []string{"--image", img, "--prompt", "p", "--endpoint", good, "--token", "wrong-token-123", "--out", dir}, 1, "--token-file"},
		{"invalid image state", []string{"--image", img, "--prompt", "p", "--endpoint", failing, "--token", token, "--out", dir}, 1, "not a valid image"},
		{"rate limited once", []string{"--image", img, "--prompt", "p", "--sync", "--endpoint", limited, "--token", token, "--out", t.TempDir()}, 0, ""},
		{"clear-text remote endpoint", []string{"--image", img, "--prompt", "p", "--endpoint", "http://192.0.2.1", "--token", token, "--out", dir}, 2, "use https"},
		{"no server", []string{"--image", img, "--prompt", "p", "--endpoint", closedURL, "--token", token, "--out", dir}, 1, "Cannot reach " + strings.TrimPrefix(closedURL, "http://") + " (connection refused) — check the connection or --endpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := gen(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.words) {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if strings.Contains(stderr, token[:8]) {
				t.Fatal("the token is printed")
			}
		})
	}
}

// A result that is cut short or claims a pixel bomb is a failure named
// with its link; the others are saved, exit 1, and the task id and the
// way to fetch it again are printed.
func TestGenerateBrokenResults(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		f := newFake(t, 4)
		f.result = func(n int, w http.ResponseWriter) bool {
			switch n {
			case 2:
				full := pngOf(32, 24)
				w.Write(full[:len(full)-30]) // truncated: no IEND, data cut
			case 3:
				w.Write(pngClaiming(100000, 100000))
			default:
				return false
			}
			return true
		}
		shot := testshot.Write(t, t.TempDir(), "vase.png", 30, 20)
		out := t.TempDir()
		env := testEnv(t)
		args := []string{"--image", shot, "--prompt", "p", "--batch", "4", "--out", out, "--endpoint", f.url, "--token", token}
		if asJSON {
			args = append(args, "--json")
		}
		code, stdout, stderr := gen(t, env, args...)
		if code != ExitFailure {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		if got := files(t, out); strings.Join(got, ",") != "vase-bg-1.png,vase-bg-4.png" {
			t.Fatalf("saved %v", got)
		}
		for _, words := range []string{
			"variant 2 not saved", f.url + "/img/2.png?sig=abc",
			"variant 3 not saved", "100000 × 100000", f.url + "/img/3.png?sig=abc",
			"task task-42", "backdrop fetch task-42 --out " + out + " --endpoint " + f.url,
		} {
			if !strings.Contains(stderr, words) {
				t.Errorf("stderr lacks %q:\n%s", words, stderr)
			}
		}
		noPartials(t, out, env["XDG_CACHE_HOME"])
		oneLinePerError(t, "backdrop generate", stderr)
		if f.creates.Load() != 1 {
			t.Fatalf("%d creates", f.creates.Load())
		}
		if !asJSON {
			continue
		}
		res := decodeJSON(t, stdout)
		if res.TaskID != "task-42" || len(res.Images) != 2 || len(res.Failed) != 2 || res.Error == "" || !strings.Contains(res.Fetch, "backdrop fetch task-42") {
			t.Fatalf("json %+v", res)
		}
		if res.Failed[0].Variant != 2 || res.Failed[0].URL != f.url+"/img/2.png?sig=abc" || res.Failed[1].Variant != 3 || !strings.Contains(res.Failed[1].Error, "100000") {
			t.Fatalf("failures %+v", res.Failed)
		}
	}
}

// A 403 on a result link is an expired link, with the task id, not a
// refused token.
func TestGenerateExpiredLink(t *testing.T) {
	f := newFake(t, 2)
	f.result = func(n int, w http.ResponseWriter) bool {
		if n != 1 {
			return false
		}
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"))
		return true
	}
	shot := testshot.Write(t, t.TempDir(), "cup.png", 30, 20)
	out := t.TempDir()
	code, _, stderr := gen(t, nil, "--image", shot, "--prompt", "p", "--out", out, "--endpoint", f.url, "--token", token)
	if code != ExitFailure || !strings.Contains(stderr, "variant 1 not saved: the result link has expired") || !strings.Contains(stderr, "task-42") ||
		strings.Contains(stderr, "check the token") || strings.Contains(stderr, "backdrop fetch") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if got := files(t, out); len(got) != 1 {
		t.Fatalf("saved %v", got)
	}
}

// No more files than the batch, whatever the service lists.
func TestGenerateTakesNoMoreThanTheBatch(t *testing.T) {
	f := newFake(t, 50)
	shot := testshot.Write(t, t.TempDir(), "cup.png", 30, 20)
	out := t.TempDir()
	code, stdout, stderr := gen(t, nil, "--image", shot, "--prompt", "p", "--batch", "3", "--out", out, "--endpoint", f.url, "--token", token, "--json")
	if code != 0 {
		t.Fatal(stderr)
	}
	if res := decodeJSON(t, stdout); len(res.Images) != 3 || len(files(t, out)) != 3 {
		t.Fatalf("%+v, files %v", res, files(t, out))
	}
}

// A task that never ends: the run ends at its bound, names the task, and
// fetch gets its images once it is done.
func TestGenerateGivesUpAtTheBoundAndFetchGetsTheRest(t *testing.T) {
	f := newFake(t, 2)
	f.pending.Store(true)
	shot := testshot.Write(t, t.TempDir(), "jar.png", 30, 20)
	out := t.TempDir()
	env := testEnv(t, "BACKDROP_TOKEN", token, "BACKDROP_ENDPOINT", f.url)
	code, stdout, stderr := gen(t, env, "--image", shot, "--prompt", "p", "--out", out, "--timeout", "1500ms", "--json")
	if code != ExitFailure || !strings.Contains(stderr, "did not finish within 1.5s") || !strings.Contains(stderr, "backdrop fetch task-42 --out "+out) {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "--endpoint "+f.url) {
		t.Fatalf("the hint must name the endpoint, wherever it came from:\n%s", stderr)
	}
	if res := decodeJSON(t, stdout); res.TaskID != "task-42" || len(res.Images) != 0 || !strings.Contains(res.Error, "did not finish") {
		t.Fatalf("json %+v", res)
	}

	f.pending.Store(false)
	code, stdout, stderr = runCmd(t, fetchCmd, env, "task-42", "--out", out, "--json")
	if code != 0 {
		t.Fatalf("fetch: exit %d:\n%s", code, stderr)
	}
	res := decodeJSON(t, stdout)
	if res.TaskID != "task-42" || len(res.Images) != 2 || res.Images[1].Path != filepath.Join(out, "task-42-bg-2.png") || res.Images[0].Width != 32 {
		t.Fatalf("fetch json %+v", res)
	}
	if f.creates.Load() != 1 {
		t.Fatalf("%d creates", f.creates.Load())
	}
	noPartials(t, out)
}

// Ctrl-C while waiting: what the task is, and how to get its images.
func TestGenerateCancelledNamesTheTask(t *testing.T) {
	f := newFake(t, 2)
	f.pending.Store(true)
	shot := testshot.Write(t, t.TempDir(), "jar.png", 30, 20)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for f.gets.Load() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	defer func(g time.Duration) { cancelGrace = g }(cancelGrace)
	cancelGrace = 300 * time.Millisecond
	code, _, stderr := runCtx(ctx, t, generateCmd, nil, "--image", shot, "--prompt", "p", "--out", t.TempDir(), "--endpoint", f.url, "--token", token)
	if code != ExitFailure || !strings.Contains(stderr, "cancelled") || !strings.Contains(stderr, "backdrop fetch task-42") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
}

func TestFetch(t *testing.T) {
	f := newFake(t, 1)
	out := t.TempDir()
	base := []string{"--endpoint", f.url, "--token", token}
	cases := []struct {
		name  string
		args  []string
		code  int
		words string
	}{
		{"flags after the id", append([]string{"task-42", "--out", out}, base...), 0, "saved " + filepath.Join(out, "task-42-bg-1.png")},
		// The same task again into the same folder: its files are there,
		// none is written twice.
		{"flags before the id", append(append([]string{"--out", out}, base...), "task-42"), 0, "saved " + filepath.Join(out, "task-42-bg-1.png")},
		{"unknown task", append([]string{"nope", "--out", out}, base...), 1, "task nope: the service does not know this task"},
		{"no id", append([]string{"--out", out}, base...), 2, "give the task id"},
		{"two ids", append([]string{"a", "b", "--out", out}, base...), 2, "one task id"},
		{"out under a file", append([]string{"task-42", "--out", filepath.Join(shotFile(t), "x")}, base...), 2, "--out"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, fetchCmd, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.words) {
				t.Fatalf("exit %d, want %d and %q:\n%s", code, tc.code, tc.words, stderr)
			}
		})
	}
	if got := files(t, out); len(got) != 1 {
		t.Fatalf("the output folder holds %v", got)
	}
}

func shotFile(t *testing.T) string {
	return testshot.Write(t, t.TempDir(), "s.png", 4, 4)
}

// A result host that cannot be reached is not blamed on --endpoint.
func TestGenerateUnreachableResultHost(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	f := newFake(t, 2)
	f.result = func(n int, w http.ResponseWriter) bool {
		if n != 2 {
			return false
		}
		w.Header().Set("Location", goneURL+"/img.png")
		w.WriteHeader(http.StatusFound)
		return true
	}
	shot := testshot.Write(t, t.TempDir(), "cup.png", 30, 20)
	code, _, stderr := gen(t, nil, "--image", shot, "--prompt", "p", "--out", t.TempDir(), "--endpoint", f.url, "--token", token)
	want := "variant 2 not saved: Cannot reach " + strings.TrimPrefix(goneURL, "http://") + " (connection refused) — check the connection — link:"
	if code != ExitFailure || !strings.Contains(stderr, want) {
		t.Fatalf("exit %d, want %q:\n%s", code, want, stderr)
	}
}
