package output

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestStem(t *testing.T) {
	cases := map[string]string{
		"/tmp/shots/red shoe.jpg": "red shoe",
		"shoe.PNG":                "shoe",
		"https://cdn.example.com/a/b/mug.webp?x=1": "mug",
		"https://cdn.example.com/":                 "image",
		"noext":                                    "noext",
	}
	for in, want := range cases {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteFileNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a-bg-1.png"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	paths := make([]string, 8)
	for i := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := WriteFile(dir, "a-bg-1.png", strings.NewReader("new"))
			if err != nil {
				t.Error(err)
			}
			paths[i] = p
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			t.Fatalf("two writes got the same path %s", p)
		}
		seen[p] = true
		if filepath.Base(p) == "a-bg-1.png" {
			t.Fatalf("existing file was overwritten")
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a-bg-1.png")); string(b) != "old" {
		t.Fatalf("existing file changed: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".part") {
			t.Fatalf("temporary file left behind: %s", e.Name())
		}
	}
	if len(entries) != 9 {
		t.Fatalf("got %d files, want 9", len(entries))
	}
}
