package contract

import (
	"context"
	"image"
)

// Painter makes the result images of a task. The server calls it once per
// variant, possibly in parallel; it must be safe for concurrent use.
type Painter interface {
	// Paint returns variant n (1-based) of a new background behind src for
	// prompt, and the foreground's bounding box in the returned image.
	// progress receives the fraction done (0..1) as the work goes on.
	Paint(ctx context.Context, src image.Image, prompt string, variant int, progress func(float64)) (image.Image, image.Rectangle, error)
}
