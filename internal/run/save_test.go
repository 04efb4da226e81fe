package run

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/imagefile"
)

// Names follow the template; nothing existing is overwritten, and two
// shots of the same name into one folder both keep all their variants.
func TestQueueNamesByTemplateWithoutOverwriting(t *testing.T) {
	b := newFakeBackend()
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "shoe-bg-1.png"), []byte("keep me"), 0o644)
	a := filepath.Join(t.TempDir(), "shoe.png")
	c := filepath.Join(t.TempDir(), "shoe.png")
	os.WriteFile(a, pngBytes(20, 10, false), 0o644)
	os.WriteFile(c, pngBytes(21, 10, false), 0o644)
	q := newQueue(t, Config{Backend: b, Rate: 100})
	mustAdd(t, q, Spec{ImageFile: a, Prompt: "p", Variants: 2, Options: Options{OutDir: out}})
	mustAdd(t, q, Spec{ImageFile: c, Prompt: "p", Variants: 2, Options: Options{OutDir: out}})
	custom := mustAdd(t, q, Spec{ImageFile: a, Prompt: "Marble / \"dusk\"?", Variants: 1, Options: Options{OutDir: out, Template: "{prompt}_{date}_{n}_{task}", Format: JPEG}})
	waitIdle(t, q)
	got := names(out)
	slices.Sort(got)
	if len(got) != 6 {
		t.Fatalf("files %v", got)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "shoe-bg-1.png")); string(data) != "keep me" {
		t.Fatal("an existing file was overwritten")
	}
	for _, want := range []string{"shoe-bg-1_2.png", "shoe-bg-1_3.png", "shoe-bg-2.png", "shoe-bg-2_2.png"} {
		if !slices.Contains(got, want) {
			t.Fatalf("no %s in %v", want, got)
		}
	}
	s, _ := q.Item(custom)
	want := fmt.Sprintf("Marble _ _dusk___%s_1_%s.jpg", time.Now().Format("2006-01-02"), s.TaskID)
	if base := filepath.Base(s.Variants[0].SavedPath); base != want {
		t.Fatalf("named %q, want %q", base, want)
	}
}

// JPEG output is flattened on white at the quality asked; PNG output of a
// JPEG result is converted; a result already in the format is kept as sent.
func TestQueueSavesInTheFormatAsked(t *testing.T) {
	cases := []struct {
		name    string
		result  []byte
		opts    Options
		format  string
		same    bool // the service's bytes kept as they are
		quality int
	}{
		{"png kept", pngBytes(16, 8, true), Options{}, "png", true, 0},
		{"png to jpeg", pngBytes(16, 8, true), Options{Format: JPEG, Quality: 40}, "jpeg", false, 40},
		{"jpeg kept", jpegBytes(16, 8, 80), Options{Format: JPEG}, "jpeg", true, 0},
		{"jpeg requality", jpegBytes(16, 8, 95), Options{Format: JPEG, Quality: 30}, "jpeg", false, 30},
		{"jpeg to png", jpegBytes(16, 8, 80), Options{Format: PNG}, "png", false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newFakeBackend()
			b.image = func() []byte { return tc.result }
			tc.opts.OutDir = t.TempDir()
			q := newQueue(t, Config{Backend: b, Rate: 100})
			id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p", Variants: 1, Options: tc.opts})
			waitIdle(t, q)
			s, _ := q.Item(id)
			if s.State != Done {
				t.Fatal(s.Label())
			}
			v := s.Variants[0]
			img, format := decodeFile(t, v.SavedPath)
			data, _ := os.ReadFile(v.SavedPath)
			if format != tc.format || bytes.Equal(data, tc.result) != tc.same || v.Bytes != int64(len(data)) || v.Width != 16 || v.Height != 8 {
				t.Fatalf("saved %s (%d bytes, same %v), %+v", format, len(data), bytes.Equal(data, tc.result), v)
			}
			if format == "jpeg" && !tc.same && tc.result[0] == 0x89 {
				// The transparent corner became white, not black.
				r, g, bl, _ := img.At(0, 0).RGBA()
				if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
					t.Fatalf("corner %v is not white", img.At(0, 0))
				}
			}
			cached, _ := os.ReadFile(v.CachedPath)
			if !bytes.Equal(cached, tc.result) {
				t.Fatal("the cache does not hold the service's own bytes")
			}
		})
	}
}

func jpegBytes(w, h, quality int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	return buf.Bytes()
}

// A reset mid-download starts the file again; a truncated image or a
// decompression bomb never counts as saved, and the others are kept.
func TestQueueDownloadsWholeImagesOnly(t *testing.T) {
	whole := pngBytes(30, 20, false)
	bomb := pngHeader(100000, 100000)
	b := newFakeBackend()
	b.images = 4
	b.image = func() []byte { return whole }
	b.onDownload = func(ref string, try int, w io.Writer) error {
		switch {
		case strings.HasSuffix(ref, "/1.png") && try == 1:
			// Cut short on the way without the client noticing (its own
			// resets it retries itself): the queue downloads it again.
			w.Write(whole[:len(whole)/2])
			return nil
		case strings.HasSuffix(ref, "/2.png"):
			w.Write(whole[:len(whole)-20]) // always cut short
			return io.EOF
		case strings.HasSuffix(ref, "/3.png"):
			w.Write(bomb)
			return errors.New("stop here") // not written as success either way
		}
		return nil
	}
	out, cache := t.TempDir(), t.TempDir()
	q := newQueue(t, Config{Backend: b, Rate: 100, CacheDir: cache})
	id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p", Variants: 4, Options: Options{OutDir: out}})
	waitIdle(t, q)
	s, _ := q.Item(id)
	if s.State != Failed || len(s.Variants) != 2 || s.Variants[0].N != 1 || s.Variants[1].N != 4 {
		t.Fatalf("%s, variants %+v", s.Label(), s.Variants)
	}
	if !strings.Contains(s.Err.Error(), "variant 2") || !strings.Contains(s.Err.Error(), "variant 3") {
		t.Fatalf("error %v", s.Err)
	}
	for _, dir := range []string{out, cache} {
		for _, n := range names(dir) {
			if strings.HasSuffix(n, ".part") {
				t.Fatalf("partial file %s left in %s", n, dir)
			}
			decodeFile(t, filepath.Join(dir, n))
		}
		if len(names(dir)) != 2 {
			t.Fatalf("%s holds %v", dir, names(dir))
		}
	}
}

// A result that claims too many pixels is refused before decoding.
func TestQueueRefusesADecompressionBomb(t *testing.T) {
	b := newFakeBackend()
	b.image = func() []byte { return pngHeader(20000, 20000) }
	q := newQueue(t, Config{Backend: b, Rate: 100})
	id := mustAdd(t, q, Spec{ImageFile: shots(t, 1)[0], Prompt: "p", Variants: 1, Options: Options{OutDir: t.TempDir()}})
	waitIdle(t, q)
	if s, _ := q.Item(id); s.State != Failed || !strings.Contains(s.Err.Error(), "too many") {
		t.Fatalf("%s", s.Label())
	}
}

// pngHeader is a tiny PNG that claims w×h pixels.
func pngHeader(w, h int) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := buf.Bytes()
	put := func(at, v int) {
		data[at], data[at+1], data[at+2], data[at+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(16, w)
	put(20, h)
	put(29, int(crc32.ChecksumIEEE(data[12:29])))
	return data
}

// Check refuses, before anything is sent, what cannot succeed.
func TestCheckBeforeSending(t *testing.T) {
	dir := t.TempDir()
	shot := shots(t, 1)[0]
	fifo := filepath.Join(dir, "fifo.png")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFO here:", err)
	}
	bomb := filepath.Join(dir, "bomb.png")
	os.WriteFile(bomb, pngHeader(imagefile.MaxPixels, 2), 0o644)
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	text := filepath.Join(dir, "notes.png")
	os.WriteFile(text, []byte("hello"), 0o644)
	cases := map[string]Spec{
		"regular file":      {ImageFile: fifo, Prompt: "p"},
		"does not exist":    {ImageFile: filepath.Join(dir, "none.png"), Prompt: "p"},
		"pixels":            {ImageFile: bomb, Prompt: "p"},
		"cannot be written": {ImageFile: shot, Prompt: "p", Options: Options{OutDir: filepath.Join(file, "out")}},
		"not a JPEG":        {ImageFile: text, Prompt: "p"},
		"prompt":            {ImageFile: shot},
		"batch_size":        {ImageFile: shot, Prompt: "p", Variants: 5},
		"not both":          {ImageFile: shot, ImageURL: "https://x.test/a.png", Prompt: "p"},
		"format":            {ImageFile: shot, Prompt: "p", Options: Options{Format: "gif"}},
		"quality":           {ImageFile: shot, Prompt: "p", Options: Options{Quality: 101}},
		"{nam}":             {ImageFile: shot, Prompt: "p", Options: Options{Template: "{nam}"}},
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for words, spec := range cases {
			if err := Check(spec); err == nil || !strings.Contains(err.Error(), words) {
				t.Errorf("%s: %v", words, err)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Check hangs (on the FIFO?)")
	}
	if err := Check(Spec{ImageFile: shot, Prompt: "p", Options: Options{OutDir: filepath.Join(dir, "new", "out")}}); err != nil {
		t.Fatal(err)
	}
	// And the queue fails such an item without sending it.
	b := newFakeBackend()
	q := newQueue(t, Config{Backend: b, Rate: 100})
	id := mustAdd(t, q, Spec{ImageFile: bomb, Prompt: "p"})
	waitIdle(t, q)
	if s, _ := q.Item(id); s.State != Failed || !strings.HasPrefix(s.Err.Error(), "not sent") || len(b.creates()) != 0 {
		t.Fatalf("%s, %d creates", s.Label(), len(b.creates()))
	}
}

var _ = color.White
var _ = api.IsURL
