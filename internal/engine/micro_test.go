package engine

import "testing"

// Stage benchmarks, to see where the time of BenchmarkPaint2048x4 goes.

func BenchmarkCutOut2048(b *testing.B) {
	img := benchShot(2048).Image
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cutOut(img)
	}
}

func BenchmarkRenderMarble2048(b *testing.B) {
	sc := ParseScene("white marble tabletop, light from the left", 1)
	for i := 0; i < b.N; i++ {
		renderScene(sc, 2048, 2048)
	}
}

func BenchmarkFinish2048(b *testing.B) {
	c := renderScene(ParseScene("pastel pink", 1), 2048, 2048)
	r, g, bl := c.r, c.g, c.b
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// finish spends the canvas; give it fresh planes (the values
		// don't matter for the timing).
		c.r, c.g, c.b = append([]float32(nil), r...), append([]float32(nil), g...), append([]float32(nil), bl...)
		c.finish()
	}
}
