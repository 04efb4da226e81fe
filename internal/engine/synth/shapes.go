package synth

import "math"

func circle(cx, cy, r float64) func(x, y float64) float64 {
	return func(x, y float64) float64 { return math.Hypot(x-cx, y-cy) - r }
}

func roundBox(cx, cy, hw, hh, r float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		qx := math.Abs(x-cx) - (hw - r)
		qy := math.Abs(y-cy) - (hh - r)
		return math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - r
	}
}

func capsule(ax, ay, bx, by, r float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		px, py := x-ax, y-ay
		dx, dy := bx-ax, by-ay
		t := math.Max(0, math.Min(1, (px*dx+py*dy)/(dx*dx+dy*dy)))
		return math.Hypot(px-t*dx, py-t*dy) - r
	}
}

func annulus(cx, cy, radius, half float64) func(x, y float64) float64 {
	return func(x, y float64) float64 { return math.Abs(math.Hypot(x-cx, y-cy)-radius) - half }
}

func union(fs ...func(x, y float64) float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		d := math.Inf(1)
		for _, f := range fs {
			d = math.Min(d, f(x, y))
		}
		return d
	}
}

// smoothUnion blends shapes with a fillet of size k (a bottle's shoulders).
func smoothUnion(k float64, a, b func(x, y float64) float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		da, db := a(x, y), b(x, y)
		h := math.Max(k-math.Abs(da-db), 0) / k
		return math.Min(da, db) - h*h*k/4
	}
}

// The products. Each takes the frame size; all stand on a base line at
// 85% of the height with room around them.

func ball(c RGB) func(w, h float64) []part {
	return func(w, h float64) []part {
		r := 0.3 * h
		return []part{{sdf: circle(w/2, 0.85*h-r, r), color: c, cx: w / 2, halfWidth: r}}
	}
}

func box(c RGB) func(w, h float64) []part {
	return func(w, h float64) []part {
		return []part{{sdf: roundBox(w/2, 0.85*h-0.3*h, 0.22*w, 0.3*h, 0.04*h), color: c, cx: w / 2, halfWidth: 0.22 * w}}
	}
}

func bottle(body, cap RGB) func(w, h float64) []part {
	return func(w, h float64) []part {
		base := 0.85 * h
		b := roundBox(w/2, base-0.22*h, 0.17*w, 0.22*h, 0.05*h)
		neck := roundBox(w/2, base-0.5*h, 0.06*w, 0.1*h, 0.02*h)
		capY := base - 0.62*h
		return []part{
			{sdf: roundBox(w/2, capY, 0.075*w, 0.06*h, 0.015*h), color: cap, cx: w / 2, halfWidth: 0.075 * w},
			{sdf: smoothUnion(0.08*h, b, neck), color: body, cx: w / 2, halfWidth: 0.17 * w},
		}
	}
}

func mug(c RGB) func(w, h float64) []part {
	return func(w, h float64) []part {
		base := 0.85 * h
		cx := w/2 - 0.06*w
		hw, hh := 0.2*w, 0.26*h
		body := roundBox(cx, base-hh, hw, hh, 0.03*h)
		handle := annulus(cx+hw, base-hh, 0.15*h, 0.035*h)
		return []part{{sdf: union(body, handle), color: c, cx: cx, halfWidth: hw}}
	}
}

func ring(c RGB) func(w, h float64) []part {
	return func(w, h float64) []part {
		r := 0.3 * h
		return []part{{sdf: annulus(w/2, 0.85*h-r, 0.22*h, 0.08*h), color: c}}
	}
}

// glyphs draws "A O H"-like strokes: thin parts, counters, separate pieces.
func glyphs(c RGB) func(w, h float64) []part {
	return func(w, h float64) []part {
		top, base := 0.3*h, 0.75*h
		sw := 0.035 * h
		gw := 0.22 * w
		x0 := w/2 - 1.6*gw
		a := union(
			capsule(x0, base, x0+gw/2, top, sw),
			capsule(x0+gw/2, top, x0+gw, base, sw),
			capsule(x0+gw*0.25, (top+base)*0.58, x0+gw*0.75, (top+base)*0.58, sw*0.8),
		)
		ox := w / 2
		o := annulus(ox, (top+base)/2, (base-top)/2-sw, sw)
		hx := w/2 + 0.9*gw
		hh := union(
			capsule(hx, top, hx, base, sw),
			capsule(hx+gw*0.7, top, hx+gw*0.7, base, sw),
			capsule(hx, (top+base)/2, hx+gw*0.7, (top+base)/2, sw*0.8),
		)
		return []part{{sdf: a, color: c}, {sdf: o, color: c}, {sdf: hh, color: c}}
	}
}

// labelledBottle has a large label close to (but not) the backdrop colour:
// an enclosed region a designer keeps as product.
func labelledBottle(body, label RGB) func(w, h float64) []part {
	return func(w, h float64) []part {
		ps := bottle(body, body)(w, h)
		base := 0.85 * h
		l := roundBox(w/2, base-0.2*h, 0.12*w, 0.1*h, 0.01*h)
		return append([]part{{sdf: l, color: label, cx: w / 2, halfWidth: 0.17 * w}}, ps...)
	}
}
