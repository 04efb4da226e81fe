package engine

// The flood can slip through a gap in a product's outline: where, for a
// few pixels, the product's colour matches what lies outside it (a grey
// bottle's highlight against its own contact shadow, a pale highlight on a
// light backdrop). A real backdrop joins the border along a broad front;
// such a leak squeezes through a neck. So flooded pixels are kept only if
// reachable from the border through a path wider than the neck, or within
// the neck's width of one. Whatever is cut off returns to the product,
// where openHoles judges it again like any enclosed region.

// cutBridges undoes flooding that only got through necks narrower than
// 2r+1 pixels.
func cutBridges(c *pixelClasses, state []uint8, r int) {
	n := len(state)
	pw, ph := c.pw, c.h+2
	// The core: flooded pixels at least r+1 away from anything that isn't
	// (the frame counts as flooded, so the border is not eroded). Specks
	// must be gone before this (removeSpecks), or noise in a shadow would
	// perforate the core.
	notBg := make([]uint8, n)
	for i, s := range state {
		if s == stateUnknown {
			notBg[i] = 1
		}
	}
	tmp := make([]uint8, n)
	dilateRows(notBg, tmp, pw, ph, r)
	clear(notBg)
	dilateCols(tmp, notBg, pw, ph, r)

	const reached = 1
	mark := make([]uint8, n)
	queue := make([]int32, 0, n/2)
	depth := make([]uint8, 0, n/2)
	// Seeds: core pixels on the image's outer ring.
	for y := 1; y <= c.h; y++ {
		for x := 1; x <= c.w; x++ {
			if y != 1 && y != c.h && x != 1 && x != c.w {
				continue
			}
			i := int32(y*pw + x)
			if notBg[i] == 0 && state[i] == stateBackground && mark[i] == 0 {
				mark[i] = reached
				queue = append(queue, i)
			}
		}
	}
	offs := offsets4(pw)
	for head := 0; head < len(queue); head++ {
		i := queue[head]
		for _, o := range offs {
			j := i + o
			if mark[j] == 0 && notBg[j] == 0 && state[j] == stateBackground {
				mark[j] = reached
				queue = append(queue, j)
			}
		}
	}
	// Grow r+1 steps (8-connected, so as far as the erosion reached)
	// through flooded pixels to take back the rim the erosion removed.
	for range queue {
		depth = append(depth, 0)
	}
	offs8 := offsets8(pw)
	for head := 0; head < len(queue); head++ {
		i, d := queue[head], depth[head]
		if int(d) > r {
			continue
		}
		for _, o := range offs8 {
			j := i + o
			if mark[j] == 0 && state[j] == stateBackground {
				mark[j] = reached
				queue = append(queue, j)
				depth = append(depth, d+1)
			}
		}
	}
	for i, s := range state {
		if s == stateBackground && mark[i] != reached {
			state[i] = stateUnknown
		}
	}
}

// dilateRows sets dst to 1 wherever src is set within ±r along the row.
func dilateRows(src, dst []uint8, w, h, r int) {
	for y := 0; y < h; y++ {
		row, out := src[y*w:(y+1)*w], dst[y*w:(y+1)*w]
		last := -r - 1
		for x := 0; x < w; x++ {
			if row[x] != 0 {
				last = x
			}
			if x-last <= r {
				out[x] = 1
			}
		}
		last = w + r + 1
		for x := w - 1; x >= 0; x-- {
			if row[x] != 0 {
				last = x
			}
			if last-x <= r {
				out[x] = 1
			}
		}
	}
}

// dilateCols is dilateRows down the columns, row by row for the cache.
func dilateCols(src, dst []uint8, w, h, r int) {
	last := make([]int, w)
	for x := range last {
		last[x] = -r - 1
	}
	for y := 0; y < h; y++ {
		in, out := src[y*w:(y+1)*w], dst[y*w:(y+1)*w]
		for x, v := range in {
			if v != 0 {
				last[x] = y
			}
			if y-last[x] <= r {
				out[x] = 1
			}
		}
	}
	for x := range last {
		last[x] = h + r + 1
	}
	for y := h - 1; y >= 0; y-- {
		in, out := src[y*w:(y+1)*w], dst[y*w:(y+1)*w]
		for x, v := range in {
			if v != 0 {
				last[x] = y
			}
			if last[x]-y <= r {
				out[x] = 1
			}
		}
	}
}
