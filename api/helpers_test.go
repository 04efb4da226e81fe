package api_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
)

const testToken = "sk-test-0123456789"

// writePNG writes a small product shot (a dark square on white) to dir.
func writePNG(t *testing.T, dir, name string, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{255, 255, 255, 255}
			if x > w/4 && x < 3*w/4 && y > h/4 && y < 3*h/4 {
				c = color.NRGBA{30, 60, 200, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// startServer runs a contract server on loopback and returns it with a
// client that polls and retries quickly.
func startServer(t *testing.T, opts ...contract.Option) (*contract.Server, *httptest.Server, *api.Client) {
	t.Helper()
	srv := contract.New(append([]contract.Option{contract.WithToken(testToken)}, opts...)...)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return srv, hs, newClient(t, hs.URL)
}

func newClient(t *testing.T, baseURL string, opts ...api.Option) *api.Client {
	t.Helper()
	c, err := api.NewClient(append([]api.Option{
		api.WithBaseURL(baseURL),
		api.WithToken(testToken),
		api.WithPollInterval(10 * time.Millisecond),
		api.WithRetry(3, 5*time.Millisecond),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// countingHandler counts requests by method before passing them on.
type countingHandler struct {
	next        http.Handler
	posts, gets int
}

func (h *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		h.posts++
	} else {
		h.gets++
	}
	h.next.ServeHTTP(w, r)
}

// tasksCreated counts the create requests that made a task (and a bill).
func tasksCreated(srv *contract.Server) int {
	n := 0
	for _, c := range srv.Creates() {
		if c.TaskID != "" {
			n++
		}
	}
	return n
}
