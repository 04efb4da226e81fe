package library

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type sheetShot struct {
	prompt string
	w, h   int
	c      color.RGBA
}

func TestContactSheetShowsEachImageWithItsPrompt(t *testing.T) {
	ctx := context.Background()
	work, out := t.TempDir(), t.TempDir()
	s := openStore(t, t.TempDir())
	shot := writePNG(t, work, "perfume.png", 8, 8, color.White)
	other := writePNG(t, work, "other.png", 9, 9, color.White)
	shots := []sheetShot{
		{"white marble", 240, 160, color.RGBA{220, 30, 30, 255}},
		{"a very long prompt that goes on and on about a sunset over the dunes with warm light and long shadows and a hint of haze far away on the horizon", 120, 240, color.RGBA{30, 160, 40, 255}},
		{"pastel pink", 200, 200, color.RGBA{40, 60, 210, 255}},
	}
	var ids []ID
	for i, sh := range shots {
		img := writePNG(t, work, "v"+string(rune('a'+i))+".png", sh.w, sh.h, sh.c)
		ids = append(ids, record(t, s, shotRun(t, shot, sh.prompt, 1), img))
	}
	record(t, s, shotRun(t, other, "another shot", 1), writePNG(t, work, "o.png", 50, 50, color.Black))

	if _, err := s.ContactSheet(ctx, shots0Hash(t, shot), SheetOptions{StarredOnly: true}); !errors.Is(err, ErrNothingToExport) {
		t.Fatalf("sheet of no starred variants: %v", err)
	}
	s.SetStar(ctx, ids[0], 1, true)
	s.SetStar(ctx, ids[1], 1, true)

	path, err := s.WriteContactSheet(ctx, shots0Hash(t, shot), out, SheetOptions{StarredOnly: true, Cell: 180})
	if err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("BACKDROP_SHEET_OUT"); d != "" {
		os.WriteFile(filepath.Join(d, "sheet.png"), fileBytes(t, path), 0o644)
	}
	if filepath.Base(path) != "perfume-contact-sheet.png" {
		t.Fatalf("sheet written as %s", path)
	}
	f, _ := os.Open(path)
	sheet, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Board order: newest run first, so the long prompt (run 2), then run 1.
	l := layoutSheet(2, 2, SheetOptions{Cell: 180}) // the portrait one is twice as tall as wide
	if l.boxH != 270 {
		t.Fatalf("box height %d, want 1.5 × 180", l.boxH)
	}
	if sheet.Bounds() != image.Rect(0, 0, l.width, l.height) || l.cols != 2 || l.rows != 1 {
		t.Fatalf("sheet %v, layout %+v", sheet.Bounds(), l)
	}
	for i, sh := range []sheetShot{shots[1], shots[0]} {
		cell := l.cellAt(i)
		img := fit(image.Rect(0, 0, sh.w, sh.h), cell)
		if !near(sheet.At(img.Min.X+img.Dx()/2, img.Min.Y+img.Dy()/2), sh.c) || !near(sheet.At(img.Min.X+3, img.Min.Y+3), sh.c) {
			t.Errorf("cell %d does not show its image (%v)", i, sheet.At(img.Min.X+img.Dx()/2, img.Min.Y+img.Dy()/2))
		}
		if img.Dx() != cell.Dx() && img.Dy() != cell.Dy() || img.Dx() > cell.Dx() || img.Dy() > cell.Dy() {
			t.Errorf("cell %d: image %v does not fill %v on either side", i, img, cell)
		}
		// Text under the image: dark pixels in the prompt's lines; the long
		// prompt fills all three lines, the short one only the first.
		capt := l.captionAt(i)
		lines := 0
		for line := range captionLines {
			band := image.Rect(capt.Min.X, capt.Min.Y+line*captionLineH, capt.Max.X, capt.Min.Y+(line+1)*captionLineH)
			if ink(sheet, band) > 40 {
				lines++
			}
		}
		wantLines := 3
		if sh.prompt == shots[0].prompt {
			wantLines = 1
		}
		if lines != wantLines {
			t.Errorf("cell %d: %d lines of prompt, want %d", i, lines, wantLines)
		}
	}
	// Nothing is drawn in the gutters between cells.
	gutter := image.Rect(l.cellAt(0).Max.X+2, l.cellAt(0).Min.Y, l.cellAt(1).Min.X-2, l.captionAt(0).Max.Y)
	if n := ink(sheet, gutter); n != 0 {
		t.Errorf("%d dark pixels in the gutter", n)
	}

	// All variants: three cells, in a row of three.
	all, err := s.ContactSheet(ctx, shots0Hash(t, shot), SheetOptions{Cell: 100})
	if err != nil {
		t.Fatal(err)
	}
	if l := layoutSheet(3, 2, SheetOptions{Cell: 100}); all.Bounds().Dx() != l.width || all.Bounds().Dy() != l.height || l.cols != 3 {
		t.Fatalf("sheet of all: %v", all.Bounds())
	}
	// Landscape images only: boxes of their shape, no padding.
	s.SetStar(ctx, ids[1], 1, false)
	s.SetStar(ctx, ids[2], 1, true)
	wide, err := s.ContactSheet(ctx, shots0Hash(t, shot), SheetOptions{StarredOnly: true, Cell: 150})
	if err != nil {
		t.Fatal(err)
	}
	lw := layoutSheet(2, 1, SheetOptions{Cell: 150})
	if wide.Bounds().Dy() != lw.height || lw.boxH != 150 {
		t.Fatalf("sheet of a 3:2 and a square image: %v, want height %d", wide.Bounds(), lw.height)
	}
	// A second export does not overwrite the first.
	again, err := s.WriteContactSheet(ctx, shots0Hash(t, shot), out, SheetOptions{Cell: 60})
	if err != nil || again == path || !strings.HasSuffix(again, "_2.png") {
		t.Fatalf("second sheet %s: %v", again, err)
	}
}

func shots0Hash(t *testing.T, path string) string {
	h, err := HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) bool { x := int(a>>8) - int(b); return x > -12 && x < 12 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

// ink counts dark pixels in a rectangle.
func ink(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if cr, cg, cb, _ := img.At(x, y).RGBA(); (cr+cg+cb)/3>>8 < 128 {
				n++
			}
		}
	}
	return n
}

func TestWrapBreaksLinesAndEndsWithEllipsis(t *testing.T) {
	faces, err := sheetFaces()
	if err != nil {
		t.Fatal(err)
	}
	lines := wrap(faces.body, "one two three four five six seven eight nine ten eleven twelve", 80, 3)
	if len(lines) != 3 || !strings.HasSuffix(lines[2], "…") {
		t.Fatalf("lines %q", lines)
	}
	long := wrap(faces.body, strings.Repeat("x", 200), 80, 3)
	if len(long) != 3 {
		t.Fatalf("a word wider than the line: %q", long)
	}
	if got := wrap(faces.body, "short", 80, 3); len(got) != 1 || got[0] != "short" {
		t.Fatalf("short: %q", got)
	}
}
