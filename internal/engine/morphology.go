package engine

// Mask clean-up works on connected components of the padded state plane:
// enclosed backdrop-coloured regions may be holes, tiny product islands are
// specks.

// forEachComponent calls visit with the pixel indices of each connected
// component of pixels for which member is true. The slice is reused.
func forEachComponent(n int, offsets []int32, member func(i int32) bool, visit func(comp []int32)) {
	forEachLinkedComponent(n, offsets, member, nil, visit)
}

// forEachLinkedComponent is forEachComponent where neighbours i and j
// also need link(i, j) (nil: always) to join.
func forEachLinkedComponent(n int, offsets []int32, member func(i int32) bool, link func(i, j int32) bool, visit func(comp []int32)) {
	seen := make([]bool, n)
	comp := make([]int32, 0, 4096)
	for start := int32(0); start < int32(n); start++ {
		if seen[start] || !member(start) {
			continue
		}
		seen[start] = true
		comp = append(comp[:0], start)
		for head := 0; head < len(comp); head++ {
			i := comp[head]
			for _, o := range offsets {
				j := i + o
				if !seen[j] && member(j) && (link == nil || link(i, j)) {
					seen[j] = true
					comp = append(comp, j)
				}
			}
		}
		visit(comp)
	}
}

func offsets4(pw int) []int32 { return []int32{-1, 1, -int32(pw), int32(pw)} }

func offsets8(pw int) []int32 {
	p := int32(pw)
	return []int32{-1, 1, -p, p, -p - 1, -p + 1, p - 1, p + 1}
}

// removeSpecks drops product islands too small to be part of the product:
// noise, dust, a stray dark pixel in the backdrop.
func removeSpecks(c *pixelClasses, state []uint8) {
	var islands [][]int32
	collect := max(16, c.w*c.h/500)
	largest := 0
	forEachComponent(len(state), offsets8(c.pw),
		func(i int32) bool { return state[i] == stateUnknown },
		func(comp []int32) {
			largest = max(largest, len(comp))
			if len(comp) < collect {
				islands = append(islands, append([]int32(nil), comp...))
			}
		})
	minArea := max(16, c.w*c.h/50000, largest/500)
	for _, isl := range islands {
		if len(isl) < minArea {
			for _, i := range isl {
				state[i] = stateBackground
			}
		}
	}
}
