package compare

import (
	"container/list"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// Full-size pixels of a large image live on disk in square tiles; only the
// tiles a zoomed-in pane shows are read, into one cache shared by every
// image and bounded in bytes. So four 4096² results cost their display
// copies in memory, not 64 MB each.
const (
	tileSide       = 256
	tileBytes      = tileSide * tileSide * 4
	tileCacheBytes = 48 << 20
)

var tileDir struct {
	sync.Mutex
	dir string
}

// SetTileDir sets the folder for the tile files (the user's cache folder
// by default). Files there are removed as soon as they are open.
func SetTileDir(dir string) {
	tileDir.Lock()
	tileDir.dir = dir
	tileDir.Unlock()
}

func currentTileDir() string {
	tileDir.Lock()
	defer tileDir.Unlock()
	if tileDir.dir != "" {
		return tileDir.dir
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "backdrop", "tiles")
	}
	return os.TempDir()
}

// tileStore is one image's full-size pixels, tile by tile, in a file.
type tileStore struct {
	id            uint64 // the cache's key: a pointer would keep the store alive
	f             *os.File
	width, height int
	across, down  int // tiles
	opaque        bool
	mu            sync.Mutex // guards reads of f against Close
	closed        bool
}

// newTileStore writes img's pixels (premultiplied RGBA at the origin) into
// a file that is unlinked at once: it goes away with the store, or with
// the process.
func newTileStore(img *image.RGBA) (*tileStore, error) {
	dir := currentTileDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "tiles-*")
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" {
		os.Remove(f.Name())
	}
	b := img.Rect
	s := &tileStore{id: storeIDs.Add(1), f: f, width: b.Dx(), height: b.Dy(), opaque: img.Opaque()}
	s.across, s.down = (s.width+tileSide-1)/tileSide, (s.height+tileSide-1)/tileSide
	buf := make([]byte, tileBytes)
	for ty := range s.down {
		for tx := range s.across {
			clear(buf)
			r := s.tileRect(tx, ty)
			for y := r.Min.Y; y < r.Max.Y; y++ {
				src := img.Pix[y*img.Stride+r.Min.X*4 : y*img.Stride+r.Max.X*4]
				copy(buf[(y-r.Min.Y)*tileSide*4:], src)
			}
			if _, err := f.WriteAt(buf, s.offset(tx, ty)); err != nil {
				s.Close()
				return nil, fmt.Errorf("keeping full-size tiles: %w", err)
			}
		}
	}
	runtime.SetFinalizer(s, (*tileStore).Close)
	return s, nil
}

func (s *tileStore) offset(tx, ty int) int64 { return int64(ty*s.across+tx) * tileBytes }

// tileRect is the image area tile (tx, ty) covers.
func (s *tileStore) tileRect(tx, ty int) image.Rectangle {
	return image.Rect(tx*tileSide, ty*tileSide, min((tx+1)*tileSide, s.width), min((ty+1)*tileSide, s.height))
}

// Close removes the tiles.
func (s *tileStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	cache.forget(s)
	name := s.f.Name()
	err := s.f.Close()
	if runtime.GOOS == "windows" {
		os.Remove(name)
	}
	return err
}

// region copies the pixels of r (within the image) into dst, which is
// grown as needed and returned with r's size at the origin.
func (s *tileStore) region(r image.Rectangle, dst *image.RGBA) (*image.RGBA, error) {
	if dst == nil || cap(dst.Pix) < r.Dx()*r.Dy()*4 {
		dst = image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	} else {
		dst = &image.RGBA{Pix: dst.Pix[:r.Dx()*r.Dy()*4], Stride: r.Dx() * 4, Rect: image.Rect(0, 0, r.Dx(), r.Dy())}
	}
	for ty := r.Min.Y / tileSide; ty <= (r.Max.Y-1)/tileSide; ty++ {
		for tx := r.Min.X / tileSide; tx <= (r.Max.X-1)/tileSide; tx++ {
			t, err := s.tile(tx, ty)
			if err != nil {
				return nil, err
			}
			part := s.tileRect(tx, ty).Intersect(r)
			for y := part.Min.Y; y < part.Max.Y; y++ {
				from := t[((y-ty*tileSide)*tileSide+(part.Min.X-tx*tileSide))*4:]
				to := dst.Pix[(y-r.Min.Y)*dst.Stride+(part.Min.X-r.Min.X)*4:]
				copy(to[:part.Dx()*4], from[:part.Dx()*4])
			}
		}
	}
	return dst, nil
}

// tile returns the pixels of one tile, from the cache or the file.
func (s *tileStore) tile(tx, ty int) ([]byte, error) {
	key := tileKey{s.id, tx, ty}
	if t := cache.get(key); t != nil {
		return t, nil
	}
	t := make([]byte, tileBytes)
	s.mu.Lock()
	var err error
	if s.closed {
		err = os.ErrClosed
	} else {
		_, err = s.f.ReadAt(t, s.offset(tx, ty))
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	cache.put(key, t)
	return t, nil
}

type tileKey struct {
	store  uint64
	tx, ty int
}

var storeIDs atomic.Uint64

// tileCache is a least-recently-used set of tiles, bounded in bytes.
type tileCache struct {
	mu    sync.Mutex
	order *list.List // of tileKey, most recent first
	tiles map[tileKey]*list.Element
	data  map[tileKey][]byte
	max   int
}

var cache = &tileCache{order: list.New(), tiles: map[tileKey]*list.Element{}, data: map[tileKey][]byte{}, max: tileCacheBytes / tileBytes}

func (c *tileCache) get(k tileKey) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.tiles[k]; ok {
		c.order.MoveToFront(e)
		return c.data[k]
	}
	return nil
}

func (c *tileCache) put(k tileKey, t []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.tiles[k]; ok {
		return
	}
	c.tiles[k] = c.order.PushFront(k)
	c.data[k] = t
	for c.order.Len() > c.max {
		old := c.order.Remove(c.order.Back()).(tileKey)
		delete(c.tiles, old)
		delete(c.data, old)
	}
}

// forget drops a closed store's tiles.
func (c *tileCache) forget(s *tileStore) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.tiles {
		if k.store == s.id {
			c.order.Remove(e)
			delete(c.tiles, k)
			delete(c.data, k)
		}
	}
}

// cachedBytes is what the cache holds now.
func (c *tileCache) cachedBytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len() * tileBytes
}
