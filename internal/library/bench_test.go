package library

import (
	"context"
	"fmt"
	"image/color"
	"testing"
)

// BenchmarkRecordRun times the recorder for one run of three variants
// (bench/library prints the figures on a 10,000-run library).
func BenchmarkRecordRun(b *testing.B) {
	ctx := context.Background()
	work := b.TempDir()
	s := openStore(b, b.TempDir(), WithoutThumbnailWorker()) // the recording alone
	img := writePNG(b, work, "v.png", 64, 64, color.RGBA{1, 2, 3, 255})
	b.ResetTimer()
	for i := range b.N {
		id, err := s.Added(ctx, NewRun{Source: Source{Path: "/s/a.png", Hash: "h"}, Prompt: fmt.Sprint("p ", i), Variants: 3,
			Options: map[string]any{"format": "png"}, Backend: "api.example.com"})
		if err != nil {
			b.Fatal(err)
		}
		s.Sending(ctx, id)
		s.Created(ctx, id, "T")
		for n := 1; n <= 3; n++ {
			if err := s.VariantSaved(ctx, id, SavedVariant{N: n, CachedPath: img, Width: 64, Height: 64, Format: "image/png"}); err != nil {
				b.Fatal(err)
			}
		}
		s.Ended(ctx, id, StateDone, "")
	}
}
