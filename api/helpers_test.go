package api_test

import (
	"bytes"
	"image"
	"image/png"
	"net/http/httptest"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

const testToken = "sk-test-0123456789"

// startServer runs a contract server on loopback and returns it with a
// client that polls and retries quickly.
func startServer(t *testing.T, opts ...contract.Option) (*contract.Server, *httptest.Server, *api.Client) {
	t.Helper()
	srv := contract.New(append([]contract.Option{contract.WithToken(testToken), contract.WithRecords(true)}, opts...)...)
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

// pngBytes is a whole PNG file of w×h pixels.
func pngBytes(w, h int) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, w, h)))
	return buf.Bytes()
}

func writePNG(t *testing.T, dir, name string, w, h int) string {
	return testshot.Write(t, dir, name, w, h)
}
