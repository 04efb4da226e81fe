package engine

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	"backdrop/internal/engine/synth"
)

// BenchmarkPaint2048x4 paints four variants of a 2048×2048 product shot,
// cut-out included (a fresh Engine per iteration, so nothing is cached
// between iterations). ms/variant/core = wall time × GOMAXPROCS / 4.
func BenchmarkPaint2048x4(b *testing.B) {
	const variants = 4
	shot, _ := synth.ByName("bottle-on-gradient", 2048, 2048)
	prompt := "white marble tabletop, light from the left"
	ctx := context.Background()
	cores := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, _, err := New().PaintAll(ctx, shot.Image, prompt, variants, nil); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	// CPU time is the same figure without other processes' noise.
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N)/variants, "cpu-ms/variant")
	perVariantCore := float64(elapsed.Milliseconds()) / float64(b.N) * float64(cores) / variants
	b.ReportMetric(perVariantCore, "ms/variant/core")
	b.ReportMetric(float64(cores), "cores")

	big := scoreMask(shot, CutOut(shot.Image))
	b.ReportMetric(big.iou, "IoU-2048")
	meanIoU, haloMean, haloP95, _ := scoreSet(synth.Set(288, 256))
	b.ReportMetric(meanIoU, "meanIoU")
	b.ReportMetric(haloMean, "haloΔE-mean")
	b.ReportMetric(haloP95, "haloΔE-p95")
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchShot(size int) synth.Shot {
	s, _ := synth.ByName("bottle-on-gradient", size, size)
	return s
}
