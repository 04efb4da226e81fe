package engine

import (
	"hash/maphash"
	"image"
	"sync"
)

// Variants of one request share a source, so its cut-out (the costly part)
// is computed once. Entries are keyed by a hash of the pixels, not by the
// image pointer: a pointer can be reused for a different picture, the
// content can't lie. maphash runs at memory speed (a few ms for 2048²).

var hashSeed = maphash.MakeSeed()

type sourceKey struct {
	w, h int
	sum  uint64
}

func keyOf(img *image.NRGBA) sourceKey {
	return sourceKey{img.Rect.Dx(), img.Rect.Dy(), maphash.Bytes(hashSeed, img.Pix)}
}

// cutoutEntry is one source's cut-out, computed once, plus its resampled
// product layers by placement.
type cutoutEntry struct {
	done chan struct{}
	mask *Mask

	mu     sync.Mutex
	layers map[image.Rectangle]*layerEntry
}

type layerEntry struct {
	once  sync.Once
	layer *productLayer
}

// layer returns the cut-out resampled to placement p, once per placement.
func (e *cutoutEntry) layer(p Placement) *productLayer {
	e.mu.Lock()
	le, ok := e.layers[p.Rect]
	if !ok {
		le = &layerEntry{}
		e.layers[p.Rect] = le
	}
	e.mu.Unlock()
	le.once.Do(func() { le.layer = newProductLayer(e.mask, p) })
	return le.layer
}

// cutoutCache holds the last few sources' cut-outs.
type cutoutCache struct {
	mu      sync.Mutex
	entries map[sourceKey]*cutoutEntry
	order   []sourceKey // oldest first
	limit   int
}

func newCutoutCache(limit int) *cutoutCache {
	return &cutoutCache{entries: map[sourceKey]*cutoutEntry{}, limit: limit}
}

// get returns the entry for img, starting its cut-out in the background if
// it is new, so the caller can paint its backdrop meanwhile.
func (c *cutoutCache) get(img *image.NRGBA) *cutoutEntry {
	k := keyOf(img)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		return e
	}
	e := &cutoutEntry{done: make(chan struct{}), layers: map[image.Rectangle]*layerEntry{}}
	c.entries[k] = e
	c.order = append(c.order, k)
	if len(c.order) > c.limit {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	go func() {
		e.mask = cutOut(img)
		close(e.done)
	}()
	return e
}
