package compare

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func nearVec(a, b vec) bool { return near(a.x, b.x) && near(a.y, b.y) }

func TestFitZoom(t *testing.T) {
	tests := []struct {
		name          string
		ref, viewport vec
		want          float64
	}{
		{"wide image, limited by width", vec{2000, 1000}, vec{1000, 700}, 0.5},
		{"tall image, limited by height", vec{1000, 2000}, vec{1000, 700}, 0.35},
		{"small image is enlarged", vec{100, 50}, vec{1000, 700}, 8},
		{"huge image stops at the minimum", vec{100000, 100000}, vec{500, 500}, minZoom},
		{"no viewport yet", vec{100, 100}, vec{0, 0}, 1},
		{"no image", vec{0, 0}, vec{100, 100}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fitZoom(tt.ref, tt.viewport); !near(got, tt.want) {
				t.Errorf("fitZoom(%v, %v) = %v, want %v", tt.ref, tt.viewport, got, tt.want)
			}
		})
	}
}

func TestClampAxis(t *testing.T) {
	tests := []struct {
		name                string
		c, extent, viewport float64
		want                float64
	}{
		{"smaller than pane stays centred", 0.2, 500, 1000, 0.5},
		{"inside the range is kept", 0.4, 2000, 1000, 0.4},
		{"left edge may not come in", 0.1, 2000, 1000, 0.25},
		{"right edge may not come in", 0.9, 2000, 1000, 0.75},
		{"exactly the pane size", 0.3, 1000, 1000, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clampAxis(tt.c, tt.extent, tt.viewport); !near(got, tt.want) {
				t.Errorf("clampAxis(%v, %v, %v) = %v, want %v", tt.c, tt.extent, tt.viewport, got, tt.want)
			}
		})
	}
}

func TestZoomAtKeepsThePointUnderThePointer(t *testing.T) {
	tests := []struct {
		name    string
		from    float64
		to      float64
		pointer vec
	}{
		{"zoom in at the middle", 1, 2, vec{500, 350}},
		{"zoom in off centre", 1, 4, vec{700, 200}},
		{"zoom out off centre", 4, 2, vec{300, 600}},
		{"zoom in at a corner", 2, 8, vec{999, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newViewState()
			s.setRef(vec{2000, 1400})
			s.setViewport(vec{1000, 700})
			s.setZoom(tt.from)
			before := s.toImage(tt.pointer)
			s.zoomAt(tt.to, tt.pointer)
			if s.fitted {
				t.Error("still fitted after zooming")
			}
			if !near(s.zoom, tt.to) {
				t.Errorf("zoom = %v, want %v", s.zoom, tt.to)
			}
			if after := s.toImage(tt.pointer); !nearVec(before, after) {
				t.Errorf("point under pointer moved from %v to %v", before, after)
			}
		})
	}
}

func TestZoomOutPastFitRecentres(t *testing.T) {
	s := newViewState()
	s.setRef(vec{2000, 1400})
	s.setViewport(vec{1000, 700})
	s.zoomAt(2, vec{900, 100})
	s.zoomAt(0.25, vec{900, 100})
	if !nearVec(s.centre, vec{0.5, 0.5}) {
		t.Errorf("centre = %v, want the middle once the image is smaller than the pane", s.centre)
	}
}

func TestPanBy(t *testing.T) {
	tests := []struct {
		name  string
		zoom  float64
		delta vec
		want  vec
	}{
		{"drag right shows more of the left", 1, vec{100, 0}, vec{0.45, 0.5}},
		{"drag up shows more of the bottom", 1, vec{0, -140}, vec{0.5, 0.6}},
		{"twice the zoom moves half as far", 2, vec{100, 0}, vec{0.475, 0.5}},
		{"cannot drag the image away", 1, vec{5000, 5000}, vec{0.25, 0.25}},
		{"smaller than the pane does not move", 0.25, vec{100, 100}, vec{0.5, 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newViewState()
			s.setRef(vec{2000, 1400})
			s.setViewport(vec{1000, 700})
			s.setZoom(tt.zoom)
			s.panBy(tt.delta)
			if !nearVec(s.centre, tt.want) {
				t.Errorf("centre = %v, want %v", s.centre, tt.want)
			}
		})
	}
}

func TestFittedFollowsTheViewport(t *testing.T) {
	s := newViewState()
	s.setRef(vec{2000, 1000})
	s.setViewport(vec{1000, 1000})
	if !near(s.zoom, 0.5) {
		t.Fatalf("zoom = %v, want 0.5", s.zoom)
	}
	s.setViewport(vec{500, 1000})
	if !near(s.zoom, 0.25) {
		t.Errorf("after resize zoom = %v, want 0.25", s.zoom)
	}
	s.setZoom(1)
	s.setViewport(vec{1000, 1000})
	if !near(s.zoom, 1) {
		t.Errorf("a chosen zoom changed on resize to %v", s.zoom)
	}
}

func TestPlacement(t *testing.T) {
	tests := []struct {
		name       string
		zoom       float64
		centre     vec
		img        vec
		wantScale  float64
		wantOrigin vec
	}{
		{"reference at 100 % centred", 1, vec{0.5, 0.5}, vec{2000, 1400}, 1, vec{-500, -350}},
		{"half-size variant is doubled", 1, vec{0.5, 0.5}, vec{1000, 700}, 2, vec{-500, -350}},
		{"top-left corner at the middle", 1, vec{0.25, 0.25}, vec{2000, 1400}, 1, vec{0, 0}},
		{"taller variant fits the frame by height", 0.5, vec{0.5, 0.5}, vec{1400, 1400}, 0.5, vec{150, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := viewState{zoom: tt.zoom, centre: tt.centre, ref: vec{2000, 1400}}
			scale, origin := s.placement(tt.img, vec{1000, 700})
			if !near(scale, tt.wantScale) || !nearVec(origin, tt.wantOrigin) {
				t.Errorf("placement = %v, %v; want %v, %v", scale, origin, tt.wantScale, tt.wantOrigin)
			}
		})
	}
}

// Both panes read the same state, so a spot of the product maps to the same
// screen point whatever the image size.
func TestSameSpotAlignsAcrossSizes(t *testing.T) {
	s := viewState{zoom: 1.7, centre: vec{0.3, 0.6}, ref: vec{2000, 1400}}
	vp := vec{900, 500}
	spot := vec{0.37, 0.52}
	var screen []vec
	for _, img := range []vec{{2000, 1400}, {1000, 700}, {4000, 2800}} {
		scale, origin := s.placement(img, vp)
		screen = append(screen, vec{origin.x + spot.x*img.x*scale, origin.y + spot.y*img.y*scale})
	}
	for i := 1; i < len(screen); i++ {
		if !nearVec(screen[0], screen[i]) {
			t.Errorf("spot lands at %v and %v", screen[0], screen[i])
		}
	}
}
