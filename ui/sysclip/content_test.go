package sysclip

import (
	"slices"
	"testing"
)

func TestParseFiles(t *testing.T) {
	cases := []struct {
		target, data string
		want         []string
	}{
		{"text/uri-list", "file:///home/d/shot%20one.png\r\n# comment\r\nfile:///tmp/b.jpg\r\n", []string{"/home/d/shot one.png", "/tmp/b.jpg"}},
		{"x-special/gnome-copied-files", "copy\nfile:///home/d/a.png", []string{"/home/d/a.png"}},
		{"x-special/gnome-copied-files", "cut\nfile://localhost/x/%C3%A9t%C3%A9.webp\n", []string{"/x/été.webp"}},
		{"text/uri-list", "https://example.com/a.png\nfile://otherhost/a.png\nnot a uri\n", nil},
		{"text/uri-list", "file:///a.png\x00", []string{"/a.png"}},
	}
	for _, c := range cases {
		if got := ParseFiles(c.target, []byte(c.data)); !slices.Equal(got, c.want) {
			t.Errorf("%s %q: got %q, want %q", c.target, c.data, got, c.want)
		}
	}
}
