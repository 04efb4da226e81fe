package imagefile

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadRefusesWithAReason(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.png")
	os.WriteFile(text, []byte("hello"), 0o644)
	broken := filepath.Join(dir, "broken.png")
	os.WriteFile(broken, []byte("\x89PNG\r\n\x1a\n\x00\x00garbage"), 0o644)
	big := filepath.Join(dir, "big.png")
	f, _ := os.Create(big)
	f.Truncate(16 << 20)
	f.Close()
	for path, words := range map[string]string{
		text:                           "not a JPEG, PNG, WebP or BMP",
		broken:                         "damaged",
		big:                            "15 MB",
		filepath.Join(dir, "gone.png"): "does not exist",
	} {
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), words) {
			t.Errorf("%s: got %v, want %q", filepath.Base(path), err, words)
		}
	}
}

func TestLoadGivesSizesAndPreview(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 3200, 800))
	var buf bytes.Buffer
	png.Encode(&buf, img)
	path := filepath.Join(t.TempDir(), "wide.png")
	os.WriteFile(path, buf.Bytes(), 0o644)
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 3200 || s.Height != 800 || s.Name != "wide.png" || s.Bytes != int64(buf.Len()) {
		t.Fatalf("%+v", s)
	}
	if b := s.Preview.Bounds(); b.Dx() != PreviewSide || b.Dy() != 400 {
		t.Fatalf("preview %v", b)
	}
}

func TestDecodeRefusesAPixelBomb(t *testing.T) {
	// A valid PNG header claiming 20000×20000 pixels, in a few bytes.
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := buf.Bytes()
	// IHDR width and height start at byte 16.
	copy(data[16:24], []byte{0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20})
	binary.BigEndian.PutUint32(data[29:33], crc32.ChecksumIEEE(data[12:29]))
	if _, err := DecodeImage(data); err == nil || !strings.Contains(err.Error(), "too many") {
		t.Fatalf("got %v", err)
	}
}
