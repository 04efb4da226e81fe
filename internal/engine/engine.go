// Package engine is Backdrop's offline painter: it cuts the product out of
// its photo and stands it in a studio backdrop painted from the prompt,
// with no service involved. It uses only the standard library.
package engine

import (
	"context"
	"errors"
	"image"
	"sync"
)

// Engine paints variants. Its zero value is not usable; call New. It is
// safe for concurrent use: variants of one source share one cut-out.
type Engine struct {
	cache *cutoutCache
}

// New returns an Engine that remembers the cut-outs of its last few
// sources.
func New() *Engine { return &Engine{cache: newCutoutCache(4)} }

// Paint returns variant (1-based) of a new background behind src for
// prompt, and the product's bounding box in the returned image. progress,
// if not nil, receives fractions from 0 to 1 as the work goes on.
func (e *Engine) Paint(ctx context.Context, src image.Image, prompt string, variant int, progress func(float64)) (image.Image, image.Rectangle, error) {
	if src == nil || src.Bounds().Empty() {
		return nil, image.Rectangle{}, errors.New("engine: empty source image")
	}
	report := func(f float64) {
		if progress != nil {
			progress(f)
		}
	}
	report(0)
	img := toNRGBA(src)
	return e.paint(ctx, img, e.cache.get(img), prompt, variant, report)
}

func (e *Engine) paint(ctx context.Context, img *image.NRGBA, entry *cutoutEntry, prompt string, variant int, report func(float64)) (image.Image, image.Rectangle, error) {
	if err := ctx.Err(); err != nil {
		return nil, image.Rectangle{}, err
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	report(0.05)
	scene := ParseScene(prompt, variant)
	select {
	case <-entry.done:
	case <-ctx.Done():
		return nil, image.Rectangle{}, ctx.Err()
	}
	report(0.5)
	if scene.Transparent {
		out, box := cutOutImage(entry.mask)
		report(1)
		return out, box, nil
	}
	// The floor is laid where the product stands, so the backdrop waits
	// for the cut-out.
	pl, scene := Frame(entry.mask.Bounds, scene, w, h)
	c := renderScene(scene, w, h)
	report(0.75)
	layer := entry.layer(pl)
	report(0.8)
	if err := ctx.Err(); err != nil {
		return nil, image.Rectangle{}, err
	}
	out, box := finishComposition(c, scene, layer, pl)
	report(1)
	return out, box, nil
}

// PaintAll paints variants 1..n of one request at once, sharing the
// cut-out: while it is computed the variants paint their backdrops, so no
// core sits idle. progress sees the overall fraction.
func (e *Engine) PaintAll(ctx context.Context, src image.Image, prompt string, n int, progress func(float64)) ([]image.Image, []image.Rectangle, error) {
	if src == nil || src.Bounds().Empty() {
		return nil, nil, errors.New("engine: empty source image")
	}
	imgs := make([]image.Image, n)
	boxes := make([]image.Rectangle, n)
	errs := make([]error, n)
	var mu sync.Mutex
	done := make([]float64, n)
	last := 0.0
	report := func(v int, f float64) {
		if progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		done[v] = f
		sum := 0.0
		for _, d := range done {
			sum += d
		}
		if t := sum / float64(n); t > last {
			last = t
			progress(t)
		}
	}
	if progress != nil {
		progress(0)
	}
	img := toNRGBA(src)
	entry := e.cache.get(img)
	var wg sync.WaitGroup
	for v := 0; v < n; v++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			imgs[v], boxes[v], errs[v] = e.paint(ctx, img, entry, prompt, v+1,
				func(f float64) { report(v, f) })
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return imgs, boxes, nil
}
