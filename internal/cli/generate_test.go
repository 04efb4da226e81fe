package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

const token = "sk-cli-test"

func server(t *testing.T, opts ...contract.Option) (*contract.Server, string) {
	srv := contract.New(append([]contract.Option{contract.WithToken(token)}, opts...)...)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return srv, hs.URL
}

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Generate(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestGenerateWritesEveryVariant(t *testing.T) {
	for _, sync := range []bool{false, true} {
		for batch := 1; batch <= 4; batch++ {
			srv, url := server(t, contract.WithShape(contract.ShapeSlots))
			in := t.TempDir()
			out := t.TempDir()
			img := testshot.Write(t, in, "red shoe.png", 30, 20)
			args := []string{"--image", img, "--prompt", "white marble", "--batch", string(rune('0' + batch)), "--out", out, "--endpoint", url, "--token", token, "--json"}
			if sync {
				args = append(args, "--sync")
			}
			code, stdout, stderr := run(t, nil, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var res jsonResult
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout)
			}
			if len(res.Images) != batch || res.TaskID == "" || res.ForegroundRect == nil {
				t.Fatalf("result %+v", res)
			}
			for i, im := range res.Images {
				want := filepath.Join(out, "red shoe-bg-"+string(rune('1'+i))+".png")
				if im.Path != want || im.Width != 30 || im.Height != 20 || !strings.HasPrefix(im.URL, "http") {
					t.Fatalf("image %d: %+v, want %s", i, im, want)
				}
				if _, err := os.Stat(im.Path); err != nil {
					t.Fatal(err)
				}
			}
			if cr := srv.Creates(); len(cr) != 1 || cr[0].Sync != sync || cr[0].BatchSize != batch || cr[0].Prompt != "white marble" {
				t.Fatalf("server saw %+v", cr)
			}
		}
	}
}

func TestGenerateNeverOverwrites(t *testing.T) {
	_, url := server(t)
	in, out := t.TempDir(), t.TempDir()
	img := testshot.Write(t, in, "mug.png", 30, 20)
	os.WriteFile(filepath.Join(out, "mug-bg-1.png"), []byte("keep me"), 0o644)
	env := map[string]string{"BACKDROP_TOKEN": token, "BACKDROP_ENDPOINT": url}
	if code, _, stderr := run(t, env, "--image", img, "--prompt", "p", "--batch", "1", "--out", out); code != 0 {
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
	files := httptest.NewServer(fileServer(in))
	defer files.Close()
	code, _, stderr := run(t, nil, "--image-url", files.URL+"/lamp.png", "--prompt", "p", "--out", out, "--endpoint", url, "--token", token)
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, n := range []string{"lamp-bg-1.png", "lamp-bg-2.png"} {
		if _, err := os.Stat(filepath.Join(out, n)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGenerateExitCodes(t *testing.T) {
	dir := t.TempDir()
	img := testshot.Write(t, dir, "a.png", 30, 20)
	_, good := server(t)
	_, limited := server(t, contract.WithRateLimit(1, time.Second))
	_, failing := server(t, contract.WithFailState(-7, ""))
	cases := []struct {
		name  string
		args  []string
		code  int
		words string
	}{
		{"no token", []string{"--image", img, "--prompt", "p", "--endpoint", good}, 2, "token"},
		{"no prompt", []string{"--image", img, "--endpoint", good, "--token", token}, 2, "prompt"},
		{"batch 5", []string{"--image", img, "--prompt", "p", "--batch", "5", "--endpoint", good, "--token", token}, 2, "batch_size"},
		{"batch 0", []string{"--image", img, "--prompt", "p", "--batch", "0", "--endpoint", good, "--token", token}, 2, "batch_size"},
		{"both", []string{"--image", img, "--image-url", "https://x.test/a.png", "--prompt", "p", "--endpoint", good, "--token", token}, 2, "not both"},
		{"unknown flag", []string{"--imag", img}, 2, "flag provided but not defined"},
		{"stray argument", []string{"--image", img, "--prompt", "p", "extra"}, 2, "extra"},
		{"bad token", []string{"--image", img, "--prompt", "p", "--endpoint", good, "--token", "wrong", "--out", dir}, 1, "token was refused"},
		{"invalid image state", []string{"--image", img, "--prompt", "p", "--endpoint", failing, "--token", token, "--out", dir}, 1, "not a valid image"},
		{"rate limited once", []string{"--image", img, "--prompt", "p", "--sync", "--endpoint", limited, "--token", token, "--out", t.TempDir()}, 0, ""},
		{"clear-text remote endpoint", []string{"--image", img, "--prompt", "p", "--endpoint", "http://192.0.2.1", "--token", token}, 2, "use https"},
		{"no server", []string{"--image", img, "--prompt", "p", "--endpoint", "http://127.0.0.1:1", "--token", token}, 1, "cannot reach"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.words) {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if strings.Contains(stderr, token) {
				t.Fatal("the token is printed")
			}
		})
	}
}

func fileServer(dir string) http.Handler { return http.FileServer(http.Dir(dir)) }
