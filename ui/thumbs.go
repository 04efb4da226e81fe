package ui

import (
	"container/list"
	"image"
	"os"
	"sync"

	"fyne.io/fyne/v2/canvas"

	"backdrop/internal/imagefile"
)

// newThumbImage is an empty image of a strip or library row: a thumbnail
// fits inside it, scaled the fastest way (it is already small).
func newThumbImage() *canvas.Image {
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleFastest
	return img
}

// Thumbnails of the strip and the library: small copies made off the UI
// thread by a few workers, newest request first (what is on screen now),
// kept in a cache bounded by count.
const (
	thumbSide      = 96  // pixels on the long side: sharp at 48 px on a 2× screen
	thumbWorkers   = 1   // decodes at once (the queue decodes every result too)
	thumbCacheSize = 800 // about 30 MB at most
)

type thumbnails struct {
	ui func(func())

	mu      sync.Mutex
	cache   map[string]*list.Element // of *thumb, most recent at the front
	order   *list.List
	waiting map[string]*thumbRequest // asked and not made yet
	stack   []*thumbRequest          // LIFO: the latest asked goes first
	failed  map[string]bool
	wake    chan struct{}
	quit    chan struct{}
}

type thumb struct {
	key string
	img image.Image
}

type thumbRequest struct {
	key     string
	load    func() (image.Image, error)
	onReady []func()
}

func newThumbnails(ui func(func()), workers int) *thumbnails {
	t := &thumbnails{ui: ui, cache: map[string]*list.Element{}, order: list.New(),
		waiting: map[string]*thumbRequest{}, failed: map[string]bool{},
		wake: make(chan struct{}, 1), quit: make(chan struct{})}
	for range workers {
		go t.work()
	}
	return t
}

// cached returns the thumbnail of key if it is made.
func (t *thumbnails) cached(key string) image.Image {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el := t.cache[key]; el != nil {
		t.order.MoveToFront(el)
		return el.Value.(*thumb).img
	}
	return nil
}

// file returns the thumbnail of an image file, or nil and makes it;
// onReady runs on the UI thread once it is made.
func (t *thumbnails) file(path string, onReady func()) image.Image {
	return t.get(path, func() (image.Image, error) { return thumbOfFile(path) }, onReady)
}

// get returns the thumbnail of key, or nil and asks for it to be made
// with load.
func (t *thumbnails) get(key string, load func() (image.Image, error), onReady func()) image.Image {
	if img := t.cached(key); img != nil {
		return img
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed[key] {
		return nil
	}
	if r := t.waiting[key]; r != nil {
		if onReady != nil {
			r.onReady = append(r.onReady, onReady)
		}
		// asked again: it is on screen, so it goes first
		for i, x := range t.stack {
			if x == r {
				t.stack = append(append(t.stack[:i:i], t.stack[i+1:]...), r)
				break
			}
		}
		return nil
	}
	r := &thumbRequest{key: key, load: load}
	if onReady != nil {
		r.onReady = []func(){onReady}
	}
	t.waiting[key] = r
	t.stack = append(t.stack, r)
	select {
	case t.wake <- struct{}{}:
	default:
	}
	return nil
}

// put keeps a thumbnail made elsewhere (from a display copy).
func (t *thumbnails) put(key string, img image.Image) {
	if img == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.keepLocked(key, img)
}

func (t *thumbnails) keepLocked(key string, img image.Image) {
	if el := t.cache[key]; el != nil {
		el.Value.(*thumb).img = img
		t.order.MoveToFront(el)
		return
	}
	t.cache[key] = t.order.PushFront(&thumb{key: key, img: img})
	for t.order.Len() > thumbCacheSize {
		last := t.order.Back()
		t.order.Remove(last)
		delete(t.cache, last.Value.(*thumb).key)
	}
}

// forget drops a thumbnail (its file changed or went).
func (t *thumbnails) forget(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el := t.cache[key]; el != nil {
		t.order.Remove(el)
		delete(t.cache, key)
	}
	delete(t.failed, key)
}

func (t *thumbnails) work() {
	for {
		t.mu.Lock()
		var r *thumbRequest
		if n := len(t.stack); n > 0 {
			r, t.stack = t.stack[n-1], t.stack[:n-1]
		}
		t.mu.Unlock()
		if r == nil {
			select {
			case <-t.wake:
				continue
			case <-t.quit:
				return
			}
		}
		img, err := r.load()
		t.mu.Lock()
		delete(t.waiting, r.key)
		if err != nil || img == nil {
			t.failed[r.key] = true
		} else {
			t.keepLocked(r.key, img)
		}
		ready := r.onReady
		t.mu.Unlock()
		if len(ready) > 0 {
			t.ui(func() {
				for _, f := range ready {
					f()
				}
			})
		}
		select {
		case <-t.quit:
			return
		default:
		}
	}
}

// stop ends the workers (with the window); one decoding finishes first.
func (t *thumbnails) stop() { close(t.quit) }

// thumbOfFile decodes an image file into its thumbnail.
func thumbOfFile(path string) (image.Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	img, err := imagefile.DecodeImage(data)
	if err != nil {
		return nil, err
	}
	return thumbOf(img), nil
}

// thumbOf shrinks an image to a thumbnail in two steps, which keeps fine
// detail from aliasing.
func thumbOf(img image.Image) image.Image {
	if img == nil {
		return nil
	}
	return imagefile.Shrink(imagefile.Shrink(img, thumbSide*4), thumbSide)
}
