//go:build unix

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
	"syscall"
	"testing"
	"time"
)

// pngClaiming is a valid PNG whose header claims w×h pixels.
func pngClaiming(w, h uint32) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := buf.Bytes()
	binary.BigEndian.PutUint32(data[16:20], w)
	binary.BigEndian.PutUint32(data[20:24], h)
	binary.BigEndian.PutUint32(data[29:33], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var ok bytes.Buffer
	png.Encode(&ok, image.NewNRGBA(image.Rect(0, 0, 30, 20)))
	good := write("good.png", ok.Bytes())
	fifo := filepath.Join(dir, "pipe.png")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.png")
	os.Symlink(good, link)
	cases := []struct {
		path, words string
	}{
		{write("bomb.png", pngClaiming(100000, 100000)), "100000 × 100000 pixels"},
		{write("zero.png", pngClaiming(0, 5)), "damaged"},
		{write("text.png", []byte("hello")), "not a JPEG"},
		{write("empty.png", nil), "not a JPEG"},
		{write("cut.png", ok.Bytes()[:20]), "damaged"},
		{fifo, "named pipe"},
		{"/dev/zero", "device"},
		{dir, "folder"},
		{filepath.Join(dir, "gone.png"), "does not exist"},
		{filepath.Join(good, "under-a-file.png"), "not a directory"},
	}
	for _, tc := range cases {
		done := make(chan error, 1)
		go func() { _, err := CheckFile(tc.path); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tc.words) {
				t.Errorf("%s: %v, want %q", filepath.Base(tc.path), err, tc.words)
			}
		case <-time.After(10 * time.Second): // a hang guard, not a timing
			t.Fatalf("%s: CheckFile blocked", tc.path)
		}
	}
	for _, p := range []string{good, link} {
		h, err := CheckFile(p)
		if err != nil || h.Width != 30 || h.Height != 20 || h.Format != "image/png" || h.Bytes != int64(ok.Len()) {
			t.Errorf("%s: %+v %v", p, h, err)
		}
	}
}

func TestLoadRefusesAPipeWithoutBlocking(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.png")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("loaded a pipe")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load blocked on a pipe")
	}
}
