package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStem(t *testing.T) {
	cases := map[string]string{
		"/tmp/shots/red shoe.jpg": "red shoe",
		"shoe.PNG":                "shoe",
		"https://cdn.example.com/a/b/mug.webp?x=1": "mug",
		"https://cdn.example.com/":                 "image",
		"https://cdn.example.com/a/..%2F..%2Fetc":  "etc",
		"noext":               "noext",
		"":                    "image",
		"..":                  "image",
		".hidden.png":         "hidden",
		`C:\shots\lamp.jpg`:   "lamp",
		"con.png":             "_con",
		"LPT1":                "_LPT1",
		"com².jpg":            "_com²",
		"a\x00b\nc.png":       "a_b_c",
		"bad\xffname.png":     "bad_name",
		"trailing dots...png": "trailing dots",
		"ta\u202eb.png":       "ta_b", // right-to-left override
		"crème brûlée.jpg":    "crème brûlée",
	}
	for in, want := range cases {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("é", 300) + ".png"
	if got := Stem(long); len(got) > maxStemBytes || !utf8.ValidString(got) || got == "" {
		t.Errorf("long stem: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

func TestCheckName(t *testing.T) {
	for _, bad := range []string{"", ".", "..", "a/b.png", "../x.png", "x\x00.png", strings.Repeat("a", 256)} {
		if CheckName(bad) == nil {
			t.Errorf("CheckName(%q) accepted", bad)
		}
	}
	for _, good := range []string{"a.png", "red shoe-bg-1.png", "..a.png"} {
		if err := CheckName(good); err != nil {
			t.Errorf("CheckName(%q): %v", good, err)
		}
	}
}

// FuzzVariantName: whatever the source, the result's file name is one plain
// name that lands inside the output folder and nowhere else.
func FuzzVariantName(f *testing.F) {
	for _, s := range []string{"shot.png", "https://x.test/a/b.webp?q=1", "../../etc/passwd", `..\..\x`, "NUL.txt", ".", "", "a\x00b", "\xff\xfe", "https://x.test/%2e%2e%2f"} {
		f.Add(s, 1)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, source string, n int) {
		stem := Stem(source)
		if stem == "" || !utf8.ValidString(stem) || len(stem) > maxStemBytes {
			t.Fatalf("Stem(%q) = %q", source, stem)
		}
		if strings.ContainsAny(stem, "/\\:*?\"<>|\x00") || strings.HasPrefix(stem, ".") || reservedName(stem) {
			t.Fatalf("Stem(%q) = %q is not a safe name", source, stem)
		}
		for _, r := range stem {
			if r < 32 || r == 0x7f {
				t.Fatalf("Stem(%q) = %q holds a control character", source, stem)
			}
		}
		name := VariantName(stem, n%5, "image/png")
		if err := CheckName(name); err != nil {
			t.Fatalf("VariantName(%q): %v", stem, err)
		}
		path, err := WriteFile(dir, name, strings.NewReader("x"))
		if err != nil {
			t.Fatalf("WriteFile(%q): %v", name, err)
		}
		defer os.Remove(path)
		if filepath.Dir(path) != dir {
			t.Fatalf("%q landed in %s", name, filepath.Dir(path))
		}
	})
}
