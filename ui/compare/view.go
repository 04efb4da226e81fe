package compare

import "math"

// The zoom range the view accepts. Fit may ask for less than minZoom on a
// very large image in a small pane; it is clamped like any other zoom.
const (
	minZoom = 0.01
	maxZoom = 8.0
)

// vec is a width/height or x/y pair in pixels.
type vec struct{ x, y float64 }

// viewState is the zoom and pan that every pane shares, so that the same spot
// of the product stays under the same screen point in all of them.
//
// Positions are image-normalised ((0,0) top-left, (1,1) bottom-right) so that
// images of different sizes line up. Zoom is measured against the reference
// image (the left item): 1 shows it one image pixel per screen pixel. Any
// other image is scaled to fit the reference frame, which for the usual case
// of the same aspect ratio means it covers exactly the same area.
type viewState struct {
	zoom     float64 // screen pixels per reference-image pixel
	centre   vec     // normalised image point shown at the middle of the pane
	fitted   bool    // refit whenever the pane or reference changes
	ref      vec     // reference image size in pixels
	viewport vec     // pane size in screen pixels
}

func newViewState() viewState {
	return viewState{zoom: 1, centre: vec{0.5, 0.5}, fitted: true, ref: vec{1, 1}}
}

// fitZoom is the zoom that shows the whole reference image in the viewport.
func fitZoom(ref, viewport vec) float64 {
	if ref.x <= 0 || ref.y <= 0 || viewport.x <= 0 || viewport.y <= 0 {
		return 1
	}
	return clampZoom(math.Min(viewport.x/ref.x, viewport.y/ref.y))
}

func clampZoom(z float64) float64 {
	if math.IsNaN(z) || z <= 0 {
		return 1
	}
	return math.Max(minZoom, math.Min(maxZoom, z))
}

// fit zooms so the whole image is visible, centred, and keeps doing so when
// the pane is resized until the user zooms or pans.
func (s *viewState) fit() {
	s.fitted = true
	s.zoom = fitZoom(s.ref, s.viewport)
	s.centre = vec{0.5, 0.5}
}

// setViewport records the pane size in screen pixels.
func (s *viewState) setViewport(v vec) {
	s.viewport = v
	s.settle()
}

// setRef records the reference image size in pixels.
func (s *viewState) setRef(r vec) {
	if r.x <= 0 || r.y <= 0 {
		r = vec{1, 1}
	}
	s.ref = r
	s.settle()
}

// settle refits or re-clamps after the viewport or reference changed.
func (s *viewState) settle() {
	if s.fitted {
		s.fit()
		return
	}
	s.clampCentre()
}

// setZoom zooms around the middle of the pane.
func (s *viewState) setZoom(z float64) {
	s.zoomAt(z, vec{s.viewport.x / 2, s.viewport.y / 2})
}

// zoomAt zooms keeping the image point under p (viewport pixels) where it is.
func (s *viewState) zoomAt(z float64, p vec) {
	z = clampZoom(z)
	anchor := s.toImage(p)
	s.zoom = z
	s.fitted = false
	s.centre = vec{
		anchor.x - (p.x-s.viewport.x/2)/(z*s.ref.x),
		anchor.y - (p.y-s.viewport.y/2)/(z*s.ref.y),
	}
	s.clampCentre()
}

// panBy moves the image with the pointer by d screen pixels.
func (s *viewState) panBy(d vec) {
	s.fitted = false
	s.centre.x -= d.x / (s.zoom * s.ref.x)
	s.centre.y -= d.y / (s.zoom * s.ref.y)
	s.clampCentre()
}

// toImage maps a viewport pixel to normalised image coordinates.
func (s *viewState) toImage(p vec) vec {
	return vec{
		s.centre.x + (p.x-s.viewport.x/2)/(s.zoom*s.ref.x),
		s.centre.y + (p.y-s.viewport.y/2)/(s.zoom*s.ref.y),
	}
}

// clampCentre keeps the image from leaving the pane: along an axis where the
// image is smaller than the pane it stays centred, otherwise its edges may not
// come inside the pane edges.
func (s *viewState) clampCentre() {
	s.centre.x = clampAxis(s.centre.x, s.ref.x*s.zoom, s.viewport.x)
	s.centre.y = clampAxis(s.centre.y, s.ref.y*s.zoom, s.viewport.y)
}

func clampAxis(c, extent, viewport float64) float64 {
	if extent <= viewport || extent <= 0 {
		return 0.5
	}
	half := viewport / 2 / extent
	return math.Max(half, math.Min(1-half, c))
}

// placement is where an image of the given pixel size lands in a viewport of
// size vp: its scale (screen pixels per image pixel) and the screen position
// of its top-left corner.
func (s *viewState) placement(img, vp vec) (scale float64, origin vec) {
	if img.x <= 0 || img.y <= 0 {
		return 0, vec{}
	}
	scale = s.zoom * math.Min(s.ref.x/img.x, s.ref.y/img.y)
	origin = vec{
		vp.x/2 - s.centre.x*img.x*scale,
		vp.y/2 - s.centre.y*img.y*scale,
	}
	return scale, origin
}
