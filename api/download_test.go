package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"backdrop/api"
)

func startFileServer(t *testing.T, dir string) string {
	hs := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(hs.Close)
	return hs.URL
}

func TestDownloadCap(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte{1}, 4096))
	}))
	defer hs.Close()
	c := newClient(t, hs.URL, api.WithMaxDownload(1000))
	if _, err := c.Download(context.Background(), hs.URL+"/r.png", io.Discard); !errors.Is(err, api.ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
	inline := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 4096))
	if _, err := c.Download(context.Background(), inline, io.Discard); !errors.Is(err, api.ErrTooLarge) {
		t.Fatalf("inline: got %v", err)
	}
}

func TestDownloadDoesNotSendTheToken(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Error("the token was sent with a result download")
		}
		w.Write([]byte("ok"))
	}))
	defer hs.Close()
	if _, err := newClient(t, hs.URL).Download(context.Background(), hs.URL+"/r.png", io.Discard); err != nil {
		t.Fatal(err)
	}
}

func TestDownloadInlineForms(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1")
	raw := []byte("\x89PNG\r\n\x1a\nimage bytes")
	for _, ref := range []string{
		base64.StdEncoding.EncodeToString(raw),
		base64.RawURLEncoding.EncodeToString(raw),
		"data:image/png;base64," + base64.StdEncoding.EncodeToString(raw),
	} {
		var buf bytes.Buffer
		if _, err := c.Download(context.Background(), ref, &buf); err != nil || !bytes.Equal(buf.Bytes(), raw) {
			t.Fatalf("%q: %v %q", ref, err, buf.Bytes())
		}
	}
}

// The upload streams from disk: memory allocated while sending a 14 MB
// image stays a small fraction of the image.
func TestUploadStreamsFromDisk(t *testing.T) {
	dir := t.TempDir()
	shot := writePNG(t, dir, "a.png", 8, 8)
	head, _ := os.ReadFile(shot)
	big := filepath.Join(dir, "big.png")
	f, _ := os.Create(big)
	f.Write(head)
	f.Truncate(14 << 20)
	f.Close()
	var got int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.Copy(io.Discard, r.Body)
		w.Write([]byte(`{"status":200,"data":{"task_id":"t1","state":0}}`))
	}))
	defer hs.Close()
	c := newClient(t, hs.URL)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := c.CreateTask(context.Background(), api.CreateRequest{ImageFile: big, Prompt: "p"}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got < 14<<20 {
		t.Fatalf("server got %d bytes", got)
	}
	// Client and test server share this process; both stream.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Fatalf("allocated %d bytes to send a 14 MB file", alloc)
	}
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	var path string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		w.Write([]byte(`{"status":200,"data":{"task_id":"abc","state":4,"progress":10}}`))
	}))
	defer hs.Close()
	c := newClient(t, hs.URL+"/v1/")
	if _, err := c.GetTask(context.Background(), "abc"); err != nil || path != "/v1/task/abc" {
		t.Fatalf("%v, path %q", err, path)
	}
	if !strings.HasPrefix(c.BaseURL(), hs.URL) {
		t.Fatal(c.BaseURL())
	}
}

func TestRelativeResultPathsAreResolved(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/files/1.png" {
			w.Write(pngBytes(4, 3))
			return
		}
		w.Write([]byte(`{"status":200,"data":{"task_id":"t","state":1,"image":"/files/1.png"}}`))
	}))
	defer hs.Close()
	c := newClient(t, hs.URL)
	task, err := c.GetTask(context.Background(), "t")
	if err != nil || task.Images[0] != hs.URL+"/files/1.png" {
		t.Fatalf("%v %v", err, task)
	}
	if _, err := c.Download(context.Background(), task.Images[0], io.Discard); err != nil {
		t.Fatal(err)
	}
}
