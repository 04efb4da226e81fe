package engine

import (
	"hash/maphash"
	"image"
	"runtime"
	"sync"
	"weak"
)

// The contract server calls Paint once per variant with the same decoded
// source. Each call converting it (a 2048² shot is 16 MB as NRGBA) and
// hashing it would multiply the request's memory by its variants; so the
// converted source, and the cut-out entry it maps to, are kept per source
// image while that image lives. The key is the image's own pixel memory,
// held weakly: the cache never keeps a source alive, a collected source
// drops its entry, and a new image in reused memory never matches an old
// key (weak pointers are tied to objects, not addresses). A hash of the
// pixels (memory speed, no conversion) guards against a caller changing
// them between calls.

type identityKey struct {
	pix  weak.Pointer[byte]
	kind int // which image type, since two may share a pixel buffer
	rect image.Rectangle
}

// sourceEntry keeps the size of the converted source and its cut-out; the
// converted pixels themselves live only as long as the cut-out needs them.
type sourceEntry struct {
	once sync.Once
	sum  uint64 // of the source's pixel bytes
	size image.Point
	cut  *cutoutEntry
}

type sourceCache struct {
	mu      sync.Mutex
	entries map[identityKey]*sourceEntry
}

func newSourceCache() *sourceCache { return &sourceCache{entries: map[identityKey]*sourceEntry{}} }

// get returns the size of src as painted (after any shrinking) and its
// cut-out entry (started if new).
func (c *sourceCache) get(src image.Image, cuts *cutoutCache) (image.Point, *cutoutEntry) {
	pix, kind := pixelsOf(src)
	if len(pix) == 0 {
		img := toNRGBA(src)
		return img.Rect.Size(), cuts.get(img)
	}
	k := identityKey{weak.Make(&pix[0]), kind, src.Bounds()}
	sum := maphash.Bytes(hashSeed, pix)
	c.mu.Lock()
	e, ok := c.entries[k]
	if !ok || e.sum != sum {
		if !ok {
			runtime.AddCleanup(&pix[0], c.forget, k)
		}
		e = &sourceEntry{sum: sum}
		c.entries[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		img := toNRGBA(src)
		e.size, e.cut = img.Rect.Size(), cuts.get(img)
	})
	return e.size, e.cut
}

func (c *sourceCache) forget(k identityKey) {
	c.mu.Lock()
	delete(c.entries, k)
	c.mu.Unlock()
}

// pixelsOf returns the pixel memory of the standard image types, and a
// number for the type; nil for others (they are converted on every call).
func pixelsOf(src image.Image) ([]byte, int) {
	switch s := src.(type) {
	case *image.NRGBA:
		return s.Pix, 1
	case *image.RGBA:
		return s.Pix, 2
	case *image.YCbCr:
		return s.Y, 3
	case *image.Gray:
		return s.Pix, 4
	case *image.Paletted:
		return s.Pix, 5
	case *image.NRGBA64:
		return s.Pix, 6
	case *image.RGBA64:
		return s.Pix, 7
	case *image.CMYK:
		return s.Pix, 8
	case *image.Gray16:
		return s.Pix, 9
	case *image.NYCbCrA:
		return s.Y, 10
	}
	return nil, 0
}
