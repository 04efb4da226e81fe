package engine

import (
	"runtime"
	"sync"
)

// parallelRows splits rows [0,h) into one band per CPU for passes whose rows
// are independent. Results never depend on the split, so output stays
// deterministic.
func parallelRows(h int, fn func(y0, y1 int)) {
	n := runtime.GOMAXPROCS(0)
	if n > h/32 {
		n = h / 32
	}
	if n <= 1 {
		fn(0, h)
		return
	}
	step := (h + n - 1) / n
	var wg sync.WaitGroup
	for y0 := 0; y0 < h; y0 += step {
		y1 := min(y0+step, h)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(y0, y1)
		}()
	}
	wg.Wait()
}
