package cli

import (
	"context"
	"fmt"
	"image"
	"io"
	"path/filepath"

	_ "image/jpeg" // result formats the service may send
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"backdrop/api"
	"backdrop/internal/job"
	"backdrop/internal/output"
)

// savedImage is one result written to disk.
type savedImage struct {
	path          string
	url           string
	width, height int
}

// saveResults downloads every result of task at once (result URLs expire
// within the hour) into dir as <stem>-bg-<n>.<ext>, calling onDone after
// each. Results that arrive are kept even when another fails.
func saveResults(ctx context.Context, client *api.Client, task *api.Task, dir, source string, onDone func(done, total int)) ([]savedImage, error) {
	stem := output.Stem(source)
	total := len(task.Images)
	return job.All(total, "result", func(i int) (savedImage, error) {
		return saveOne(ctx, client, task.Images[i], dir, fmt.Sprintf("%s-bg-%d", stem, i+1))
	}, func(done int) { onDone(done, total) })
}

func saveOne(ctx context.Context, client *api.Client, ref, dir, name string) (savedImage, error) {
	tmp, err := output.CreateTemp(dir)
	if err != nil {
		return savedImage{}, err
	}
	if _, err := client.Download(ctx, ref, tmp); err != nil {
		tmp.Discard()
		return savedImage{}, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		tmp.Discard()
		return savedImage{}, err
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(tmp, head)
	ctype := api.SniffImage(head[:n])
	if ctype == "" {
		tmp.Discard()
		return savedImage{}, fmt.Errorf("the service sent something that is not an image")
	}
	tmp.Seek(0, io.SeekStart)
	cfg, _, err := image.DecodeConfig(tmp)
	if err != nil {
		tmp.Discard()
		return savedImage{}, fmt.Errorf("the service sent an unreadable image: %v", err)
	}
	path, err := tmp.Keep(name + output.ExtFor(ctype))
	if err != nil {
		return savedImage{}, err
	}
	s := savedImage{path: path, width: cfg.Width, height: cfg.Height}
	if api.IsURL(ref) {
		s.url = ref
	}
	if abs, err := filepath.Abs(path); err == nil {
		s.path = abs
	}
	return s, nil
}
