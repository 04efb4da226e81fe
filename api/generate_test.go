package api_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/png"
	"strings"
	"sync"
	"testing"

	"backdrop/api"
	"backdrop/internal/contract"
)

func TestGenerateEveryShapeAndBatch(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "mug.png", 64, 48)
	shapes := map[string]contract.Shape{
		"url": contract.ShapeURL, "list": contract.ShapeList,
		"slots": contract.ShapeSlots, "base64": contract.ShapeBase64,
	}
	for name, shape := range shapes {
		for batch := 1; batch <= 4; batch++ {
			for _, sync := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/batch%d/sync=%v", name, batch, sync), func(t *testing.T) {
					srv, _, c := startServer(t, contract.WithShape(shape))
					task, err := c.Generate(context.Background(), api.CreateRequest{
						ImageFile: shot, Prompt: "soft pastel studio", BatchSize: batch, Sync: sync,
					}, nil)
					if err != nil {
						t.Fatal(err)
					}
					want := batch
					if shape == contract.ShapeURL {
						want = 1 // one URL string carries the first image only
					}
					if len(task.Images) != want {
						t.Fatalf("%d images, want %d", len(task.Images), want)
					}
					for _, ref := range task.Images {
						var buf bytes.Buffer
						if _, err := c.Download(context.Background(), ref, &buf); err != nil {
							t.Fatal(err)
						}
						img, _, err := image.Decode(&buf)
						if err != nil {
							t.Fatalf("result is not an image: %v", err)
						}
						if img.Bounds().Dx() != 64 || img.Bounds().Dy() != 48 {
							t.Fatalf("result is %v, want 64×48", img.Bounds())
						}
					}
					creates := srv.Creates()
					if len(creates) != 1 {
						t.Fatalf("%d creates, want 1", len(creates))
					}
					cr := creates[0]
					if cr.Prompt != "soft pastel studio" || cr.BatchSize != batch || cr.Sync != sync {
						t.Fatalf("server saw %+v", cr)
					}
					if cr.FileName != "mug.png" || cr.FileContentType != "image/png" {
						t.Fatalf("file part sent as %q %q", cr.FileName, cr.FileContentType)
					}
				})
			}
		}
	}
}

func TestGenerateFromURL(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, dir, "bottle.png", 40, 40)
	images := startFileServer(t, dir)
	srv, _, c := startServer(t)
	task, err := c.Generate(context.Background(), api.CreateRequest{
		ImageURL: images + "/bottle.png", Prompt: "marble", BatchSize: 2,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(task.Images) != 2 || task.ForegroundRect == nil {
		t.Fatalf("task %+v", task)
	}
	if cr := srv.Creates()[0]; cr.ImageURL != images+"/bottle.png" || cr.FileName != "" {
		t.Fatalf("server saw %+v", cr)
	}
}

func TestWaitFollowsEveryState(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	_, _, c := startServer(t, contract.WithScript(
		contract.Step{State: 0}, contract.Step{State: 2}, contract.Step{State: 3},
		contract.Step{State: 4, Progress: 40}, contract.Step{State: 4, Progress: 80},
	))
	var mu sync.Mutex
	var seen []string
	task, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"}, func(t *api.Task) {
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%d:%d", t.State, t.Progress))
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(seen, " ")
	if !strings.HasPrefix(got, "0:0 0:0 2:0 3:0 4:40 4:80") || !strings.HasSuffix(got, "1:100") {
		t.Fatalf("progress went %q", got)
	}
	if task.State != api.StateDone {
		t.Fatalf("state %v", task.State)
	}
}

func TestFailureStatesAreTypedAndExplained(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	cases := map[int]string{
		-1: "could not make", -2: "failed to store", -3: "could not download",
		-5: "15 MB", -7: "not a valid image", -8: "timed out", -9: "state -9",
	}
	for state, words := range cases {
		for _, sync := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/sync=%v", state, sync), func(t *testing.T) {
				_, _, c := startServer(t, contract.WithFailState(state, ""))
				_, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p", Sync: sync}, nil)
				var te *api.TaskError
				if !errors.As(err, &te) {
					t.Fatalf("got %v, want *TaskError", err)
				}
				if int(te.State) != state || te.TaskID == "" {
					t.Fatalf("TaskError %+v", te)
				}
				if !strings.Contains(err.Error(), words) {
					t.Fatalf("message %q lacks %q", err, words)
				}
			})
		}
	}
}
