package output

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

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

func TestCheckDir(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	readOnly := filepath.Join(root, "ro")
	os.Mkdir(readOnly, 0o555)
	if err := CheckDir(filepath.Join(root, "new", "deeper")); err != nil {
		t.Fatalf("a new folder: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, "new", "deeper")); len(entries) != 0 {
		t.Fatalf("the probe was left behind: %v", entries)
	}
	bad := map[string]string{
		filepath.Join(file, "out"): "cannot create",
		file:                       "cannot create",
	}
	if os.Geteuid() != 0 { // root writes anywhere
		bad[readOnly] = "cannot write"
	}
	for dir, words := range bad {
		if err := CheckDir(dir); err == nil || !strings.Contains(err.Error(), words) {
			t.Errorf("CheckDir(%s) = %v, want %q", dir, err, words)
		}
	}
}

func TestKeepRefusesAPath(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteFile(dir, "../escape.png", strings.NewReader("x")); err == nil {
		t.Fatal("wrote outside the folder")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left %v", entries)
	}
}

// A temporary file's name tells its writer, for sweeps after a crash.
func TestTempOwner(t *testing.T) {
	tmp, err := CreateTemp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Discard()
	if pid, ok := TempOwner(filepath.Base(tmp.Name())); !ok || pid != os.Getpid() {
		t.Fatalf("TempOwner(%q) = %d %v, want this process", filepath.Base(tmp.Name()), pid, ok)
	}
	for _, name := range []string{".backdrop-0a1b2c.part", ".backdrop--1-ab.part", ".backdrop-12-ab.png", "mug-12-ab.part", ".backdrop-x-ab.part"} {
		if pid, ok := TempOwner(name); ok {
			t.Errorf("TempOwner(%q) = %d, want none", name, pid)
		}
	}
}
