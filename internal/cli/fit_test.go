package cli

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBigJPEG writes a small JPEG made over 15 MB by application
// segments that decoders skip: a shot over the service's limit that takes
// no time to make or to resize.
func writeBigJPEG(t *testing.T, path string) {
	var small bytes.Buffer
	jpeg.Encode(&small, image.NewGray(image.Rect(0, 0, 64, 48)), nil)
	segment := make([]byte, 4+65533)
	copy(segment, []byte{0xff, 0xef, 0xff, 0xff}) // APP15, 65535 bytes with its length
	var data bytes.Buffer
	data.Write(small.Bytes()[:2]) // SOI
	for data.Len() < 16<<20 {
		data.Write(segment)
	}
	data.Write(small.Bytes()[2:])
	if err := os.WriteFile(path, data.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A shot over 15 MB is refused before sending, unless --fit sends a
// resized copy; the results are named after the shot, the copy goes.
func TestGenerateFit(t *testing.T) {
	srv, url := server(t)
	dir := t.TempDir()
	big := filepath.Join(dir, "poster.jpg")
	writeBigJPEG(t, big)
	out := t.TempDir()
	base := []string{"--image", big, "--prompt", "p", "--batch", "1", "--out", out, "--endpoint", url, "--token", token}
	if code, _, stderr := gen(t, nil, base...); code != ExitUsage || !strings.Contains(stderr, "15 MB") {
		t.Fatalf("without --fit: exit %d:\n%s", code, stderr)
	}
	if n := len(srv.Creates()); n != 0 {
		t.Fatalf("%d creates without --fit", n)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	code, _, stderr := gen(t, nil, append(base, "--fit")...)
	if code != 0 || !strings.Contains(stderr, "sending a resized copy of "+big) {
		t.Fatalf("with --fit: exit %d:\n%s", code, stderr)
	}
	if got := files(t, out); len(got) != 1 || !strings.HasPrefix(got[0], "poster-bg-1.") {
		t.Fatalf("saved %v", got)
	}
	if cr := srv.Creates(); len(cr) != 1 || cr[0].FileSize > 15<<20 {
		t.Fatalf("creates %+v", cr)
	}
	if left := files(t, tmp); len(left) != 0 {
		t.Fatalf("the resized copy stays: %v", left)
	}
}
