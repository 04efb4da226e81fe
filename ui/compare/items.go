package compare

import (
	"fmt"
	"image"
	"reflect"
)

// sameImage reports whether a and b are the very same image, so that its
// downscaled copies can be kept across SetItems. Images of a type that cannot
// be compared are never taken as the same.
func sameImage(a, b image.Image) bool {
	if a == nil || b == nil || reflect.TypeOf(a) != reflect.TypeOf(b) || !reflect.TypeOf(a).Comparable() {
		return false
	}
	return a == b
}

// uniqueLabels names the items for the choosers. A Select tells options apart
// by text only, so repeated labels get a number; empty ones get a default.
func uniqueLabels(items []Item) []string {
	labels := make([]string, len(items))
	seen := make(map[string]int, len(items))
	for i, it := range items {
		l := it.Label
		if l == "" {
			l = fmt.Sprintf("Image %d", i+1)
		}
		seen[l]++
		for n := seen[l]; n > 1; n++ {
			candidate := fmt.Sprintf("%s (%d)", l, n)
			if seen[candidate] == 0 {
				l = candidate
				seen[l]++
				break
			}
		}
		labels[i] = l
	}
	return labels
}
