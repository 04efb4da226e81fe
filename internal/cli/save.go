package cli

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"path/filepath"
	"sync"

	_ "image/jpeg" // result formats the service may send
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"backdrop/api"
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
	saved := make([]savedImage, len(task.Images))
	errs := make([]error, len(task.Images))
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for i, ref := range task.Images {
		wg.Add(1)
		go func() {
			defer wg.Done()
			saved[i], errs[i] = saveOne(ctx, client, ref, dir, fmt.Sprintf("%s-bg-%d", stem, i+1))
			mu.Lock()
			done++
			onDone(done, len(task.Images))
			mu.Unlock()
		}()
	}
	wg.Wait()
	var kept []savedImage
	var failed []error
	for i := range saved {
		if errs[i] != nil {
			failed = append(failed, fmt.Errorf("result %d: %w", i+1, errs[i]))
			continue
		}
		kept = append(kept, saved[i])
	}
	return kept, errors.Join(failed...)
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
