package engine

// Pockets are small patches of shadow left beside the product: JPEG's
// blocking draws faint straight steps across a shadow's gradient, and
// where such a step meets the product's outline it can fence a patch off
// from the flood. A pocket is passable (backdrop or shadow in colour), small
// next to the product, and a good share of its outline is a faint step
// with flooded backdrop of nearly its own lightness just beyond; a part of
// the product is fenced by a real outline instead, with a different
// lightness on the other side.

const (
	// pocketShare is the least share of a pocket's outline that must face
	// flooded backdrop across a faint step.
	pocketShare = 0.25
	// faintStep, in noise floors, is the most a faint step may change the
	// lightness.
	faintStep = 3
)

// openPockets floods the pockets.
func openPockets(c *pixelClasses, state []uint8) {
	fgArea := countState(state, stateUnknown)
	maxArea := max(16, fgArea/50)
	faint := int(faintStep * c.floor)
	in := make([]bool, len(state))
	var seeds []int32
	forEachLinkedComponent(len(state), offsets4(c.pw),
		func(i int32) bool { return state[i] == stateUnknown && c.passable(int(i)) },
		func(i, j int32) bool { return !c.cliff(i, j) && !c.cliff(j, i) },
		func(comp []int32) {
			if len(comp) > maxArea {
				return
			}
			for _, i := range comp {
				in[i] = true
			}
			boundary, open := 0, 0
			for _, i := range comp {
				for _, o := range offsets4(c.pw) {
					j := i + o
					if in[j] {
						continue
					}
					boundary++
					k := j
					for t := 0; t < 2 && c.edge[k] == 1 && state[k] == stateUnknown; t++ {
						k += o
					}
					if state[k] == stateBackground && abs(int(c.luma[k])-int(c.luma[i])) <= faint {
						open++
					}
				}
			}
			if float64(open) >= pocketShare*float64(boundary) {
				seeds = append(seeds, comp...)
			}
			for _, i := range comp {
				in[i] = false
			}
		})
	c.flood(state, seeds)
	// The faint steps themselves, now lines of product between flooded
	// backdrop, go too when they are of the backdrop's colour.
	for range 2 {
		for _, i := range seeds {
			for _, o := range offsets4(c.pw) {
				j := i + o
				if state[j] != stateUnknown || !(c.dist[j] < c.threshold || c.shadow[j] == 1) {
					continue
				}
				n := 0
				for _, o2 := range offsets4(c.pw) {
					if state[j+o2] == stateBackground {
						n++
					}
				}
				if n >= 3 {
					state[j] = stateBackground
				}
			}
		}
	}
}

// trimHairs removes product pixels of the backdrop's colour that no 3×3
// block of product holds: lines a pixel or two wide that JPEG's block
// steps draw out from the outline into a shadow. (The product's own
// outline survives: the block reaches into its body.)
func trimHairs(c *pixelClasses, state []uint8) {
	pw := c.pw
	n := len(state)
	core := make([]bool, n)
	for i := pw + 1; i < n-pw-1; i++ {
		if state[i] != stateUnknown {
			continue
		}
		solid := true
		for _, o := range offsets8(pw) {
			if state[i+int(o)] != stateUnknown {
				solid = false
				break
			}
		}
		core[i] = solid
	}
	for i := pw + 1; i < n-pw-1; i++ {
		if state[i] != stateUnknown || core[i] || !(c.dist[i] < c.threshold || c.shadow[i] == 1) {
			continue
		}
		kept := false
		for _, o := range offsets8(pw) {
			if core[i+int(o)] {
				kept = true
				break
			}
		}
		if !kept {
			state[i] = stateBackground
		}
	}
}
