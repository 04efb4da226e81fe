package job

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"backdrop/api"
)

// fakeClient finishes at once with the given results; a ref "bad" fails.
type fakeClient struct{ refs []string }

func (f *fakeClient) Generate(ctx context.Context, req api.CreateRequest, on func(*api.Task)) (*api.Task, error) {
	on(&api.Task{ID: "t1", State: api.StateQueued})
	on(&api.Task{ID: "t1", State: api.StateProcessing, Progress: 50})
	return &api.Task{ID: "t1", State: api.StateDone, Images: f.refs}, nil
}

func (f *fakeClient) Download(ctx context.Context, ref string, w io.Writer) (int64, error) {
	if ref == "bad" {
		return 0, errors.New("link expired")
	}
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 4, 3)))
	return io.Copy(w, &buf)
}

func TestRunKeepsEveryResultOnDisk(t *testing.T) {
	cache := t.TempDir()
	var mu sync.Mutex
	var steps []string
	res, err := Run(context.Background(), &fakeClient{refs: []string{"https://x/1.png", "https://x/2.png"}}, api.CreateRequest{}, cache, func(p Progress) {
		mu.Lock()
		steps = append(steps, p.String())
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Images) != 2 || res.Images[1].Index != 2 || res.Images[0].Image.Bounds().Dx() != 4 {
		t.Fatalf("%+v", res.Images)
	}
	for _, img := range res.Images {
		if data, err := os.ReadFile(img.Cached); err != nil || !bytes.Equal(data, img.Data) {
			t.Fatalf("cached copy %s: %v", img.Cached, err)
		}
		if filepath.Dir(img.Cached) != cache {
			t.Fatalf("kept in %s", img.Cached)
		}
	}
	got := strings.Join(steps, "|")
	if !strings.HasPrefix(got, "Sending…|Queued|Processing 50 %|Downloading 0/2") || !strings.HasSuffix(got, "Downloading 2/2|Done") {
		t.Fatalf("steps %q", got)
	}
}

func TestRunReturnsWhatArrivedWhenOneFails(t *testing.T) {
	res, err := Run(context.Background(), &fakeClient{refs: []string{"https://x/1.png", "bad"}}, api.CreateRequest{}, "", nil)
	if err == nil || !strings.Contains(err.Error(), "variant 2: link expired") {
		t.Fatalf("err %v", err)
	}
	if len(res.Images) != 1 || res.Images[0].Index != 1 {
		t.Fatalf("%+v", res.Images)
	}
}

func TestProgressFractionIsMonotonic(t *testing.T) {
	steps := []Progress{{Stage: Sending}, {Stage: Queued}, {Stage: Processing, Percent: 10}, {Stage: Processing, Percent: 90},
		{Stage: Downloading, Total: 2}, {Stage: Downloading, Received: 1, Total: 2}, {Stage: Downloading, Received: 2, Total: 2}, {Stage: Done}}
	last := -1.0
	for _, p := range steps {
		if f := p.Fraction(); f < last || f > 1 {
			t.Fatalf("%v: %v after %v", p, f, last)
		} else {
			last = f
		}
	}
}
