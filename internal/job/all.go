package job

import (
	"errors"
	"fmt"
	"sync"
)

// All runs fetch for every index 0..n-1 at once (result links expire, so
// nothing waits its turn), calling onDone with the count finished so far,
// one call at a time. It returns the results that worked, in order, and
// the failures joined, each named by noun and its 1-based number; what
// arrived is kept even when another one fails.
func All[T any](n int, noun string, fetch func(i int) (T, error), onDone func(done int)) ([]T, error) {
	results := make([]T, n)
	errs := make([]error, n)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = fetch(i)
			mu.Lock()
			done++
			onDone(done)
			mu.Unlock()
		}()
	}
	wg.Wait()
	var kept []T
	var failed []error
	for i := range results {
		if errs[i] != nil {
			failed = append(failed, fmt.Errorf("%s %d: %w", noun, i+1, errs[i]))
			continue
		}
		kept = append(kept, results[i])
	}
	return kept, errors.Join(failed...)
}
