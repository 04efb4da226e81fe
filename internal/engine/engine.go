// Package engine is Backdrop's offline painter: it cuts the product out of
// its photo and stands it in a studio backdrop painted from the prompt,
// with no service involved. It uses only the standard library.
package engine

import (
	"context"
	"errors"
	"image"
)

// Engine paints variants. Its zero value is not usable; call New. It is
// safe for concurrent use: variants of one source share one converted
// copy of it and one cut-out.
type Engine struct {
	cache   *cutoutCache
	sources *sourceCache
}

// New returns an Engine that remembers the cut-outs of its last two
// sources.
func New() *Engine { return &Engine{cache: newCutoutCache(2), sources: newSourceCache()} }

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
	size, cut := e.sources.get(src, e.cache)
	return e.paint(ctx, size, cut, prompt, variant, report)
}

func (e *Engine) paint(ctx context.Context, size image.Point, entry *cutoutEntry, prompt string, variant int, report func(float64)) (image.Image, image.Rectangle, error) {
	if err := ctx.Err(); err != nil {
		return nil, image.Rectangle{}, err
	}
	w, h := size.X, size.Y
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
