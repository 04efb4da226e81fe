package engine

import "backdrop/internal/engine/synth"

// The engine's speed is measured the way the app runs it, through the
// contract server: bench/engine/run.sh (bench/engine/serve). The stage
// benchmarks in micro_test.go show where the time goes.

func benchShot(size int) synth.Shot {
	s, _ := synth.ByName("bottle-on-gradient", size, size)
	return s
}
