package library

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"backdrop/internal/imagefile"
	"backdrop/internal/output"
)

// SheetOptions shape a contact sheet.
type SheetOptions struct {
	StarredOnly bool // only starred variants (else all)
	Cell        int  // width of each image's box in pixels (default 480); its height follows the images' shape
	Columns     int  // images per row (default: up to 4)
}

// ErrNothingToExport: the shot has no (starred) variants.
var ErrNothingToExport = errors.New("nothing to put on the sheet")

// Sheet layout, in pixels.
const (
	sheetMargin   = 32
	sheetGap      = 24
	sheetHeader   = 64 // title line and summary line
	captionLines  = 3  // of prompt, under each image
	captionLineH  = 20
	captionDetail = 20 // the run/variant/date line
	captionPad    = 10
)

type sheetItem struct {
	run Run
	v   Variant
}

type sheetLayout struct {
	cell, boxH, cols, rows, width, height int
}

// layoutSheet places n images whose tallest height/width ratio is tallest:
// boxes as tall as that image needs (within half and one and a half times
// their width), so a set of landscape shots is not padded into squares.
func layoutSheet(n int, tallest float64, opts SheetOptions) sheetLayout {
	l := sheetLayout{cell: opts.Cell, cols: opts.Columns}
	if l.cell <= 0 {
		l.cell = 480
	}
	l.boxH = int(float64(l.cell)*min(max(tallest, 0.5), 1.5) + 0.5)
	if l.cols <= 0 {
		l.cols = min(n, 4)
	}
	l.cols = max(1, min(l.cols, n))
	l.rows = (n + l.cols - 1) / l.cols
	l.width = 2*sheetMargin + l.cols*l.cell + (l.cols-1)*sheetGap
	l.height = 2*sheetMargin + sheetHeader + l.rows*l.rowHeight() - sheetGap
	return l
}

func (l sheetLayout) rowHeight() int {
	return l.boxH + captionPad + captionLines*captionLineH + captionDetail + sheetGap
}

// cellAt is the image box of item i.
func (l sheetLayout) cellAt(i int) image.Rectangle {
	x := sheetMargin + (i%l.cols)*(l.cell+sheetGap)
	y := sheetMargin + sheetHeader + (i/l.cols)*l.rowHeight()
	return image.Rect(x, y, x+l.cell, y+l.boxH)
}

// captionAt is the text area under item i.
func (l sheetLayout) captionAt(i int) image.Rectangle {
	c := l.cellAt(i)
	return image.Rect(c.Min.X, c.Max.Y+captionPad, c.Max.X, c.Max.Y+captionPad+captionLines*captionLineH+captionDetail)
}

// ContactSheet draws the variants of a shot (by content hash) on one
// image, each with its prompt beneath, grouped by prompt as on the board:
// a page to send a client. It decodes every image, so run it off the UI
// thread.
func (s *Store) ContactSheet(ctx context.Context, shot string, opts SheetOptions) (image.Image, error) {
	groups, err := s.Board(ctx, shot)
	if err != nil {
		return nil, err
	}
	var items []sheetItem
	name := ""
	for _, g := range groups {
		for _, r := range g.Runs {
			if name == "" {
				name = r.Source.Name()
			}
			for _, v := range r.Images {
				if v.Starred || !opts.StarredOnly {
					items = append(items, sheetItem{run: r, v: v})
				}
			}
		}
	}
	if len(items) == 0 {
		what := "variants"
		if opts.StarredOnly {
			what = "starred variants"
		}
		return nil, fmt.Errorf("%w: the shot has no %s", ErrNothingToExport, what)
	}
	l := layoutSheet(len(items), tallest(items), opts)
	sheet := image.NewRGBA(image.Rect(0, 0, l.width, l.height))
	draw.Draw(sheet, sheet.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)

	faces, err := sheetFaces()
	if err != nil {
		return nil, err
	}
	ink := image.NewUniform(color.RGBA{0x20, 0x20, 0x24, 0xff})
	grey := image.NewUniform(color.RGBA{0x70, 0x70, 0x78, 0xff})
	drawText(sheet, faces.title, ink, sheetMargin, sheetMargin+26, name)
	prompts := map[string]bool{}
	for _, it := range items {
		prompts[it.run.Prompt] = true
	}
	summary := fmt.Sprintf("%d %s · %d %s · %s", len(items), plural(len(items), "image", "images"),
		len(prompts), plural(len(prompts), "prompt", "prompts"), s.now().Format("2 January 2006"))
	drawText(sheet, faces.body, grey, sheetMargin, sheetMargin+50, summary)

	for i, it := range items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cell := l.cellAt(i)
		draw.Draw(sheet, cell, image.NewUniform(color.RGBA{0xf2, 0xf2, 0xf4, 0xff}), image.Point{}, draw.Src)
		if img, err := decodeFile(it.v.Path); err == nil {
			at := fit(img.Bounds(), cell)
			draw.Draw(sheet, at, resize(img, at.Dx(), at.Dy()), image.Point{}, draw.Src)
		} else {
			drawText(sheet, faces.body, grey, cell.Min.X+12, cell.Min.Y+28, "image missing from the library")
		}
		cap := l.captionAt(i)
		lines := wrap(faces.body, it.run.Prompt, cap.Dx(), captionLines)
		for j, line := range lines {
			drawText(sheet, faces.body, ink, cap.Min.X, cap.Min.Y+15+j*captionLineH, line)
		}
		detail := fmt.Sprintf("run %d · variant %d · %s", it.run.ID, it.v.N, it.run.Added.Format("2 Jan 2006 15:04"))
		drawText(sheet, faces.small, grey, cap.Min.X, cap.Min.Y+captionLines*captionLineH+15, clip(faces.small, detail, cap.Dx()))
	}
	return sheet, nil
}

// tallest is the largest height/width ratio among the items' images.
func tallest(items []sheetItem) float64 {
	r := 0.0
	for _, it := range items {
		if it.v.Width > 0 && it.v.Height > 0 {
			r = max(r, float64(it.v.Height)/float64(it.v.Width))
		}
	}
	if r == 0 {
		return 1
	}
	return r
}

// WriteContactSheet saves ContactSheet as a PNG in dir, never overwriting
// a file, and returns its path.
func (s *Store) WriteContactSheet(ctx context.Context, shot, dir string, opts SheetOptions) (string, error) {
	img, err := s.ContactSheet(ctx, shot, opts)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	name := "shot"
	if shots, err := s.Board(ctx, shot); err == nil && len(shots) > 0 {
		r := shots[0].Runs[0]
		src := r.Source.Path
		if src == "" {
			src = r.Source.URL
		}
		name = output.Stem(src)
	}
	return output.WriteFile(dir, name+"-contact-sheet.png", &buf)
}

type faceSet struct{ title, body, small font.Face }

func sheetFaces() (faceSet, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return faceSet{}, err
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return faceSet{}, err
	}
	face := func(f *opentype.Font, size float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	}
	var fs faceSet
	if fs.title, err = face(bold, 24); err != nil {
		return fs, err
	}
	if fs.body, err = face(regular, 16); err != nil {
		return fs, err
	}
	fs.small, err = face(regular, 13)
	return fs, err
}

func drawText(dst draw.Image, face font.Face, src image.Image, x, baseline int, text string) {
	d := font.Drawer{Dst: dst, Src: src, Face: face, Dot: fixed.P(x, baseline)}
	d.DrawString(text)
}

// wrap breaks text into at most maxLines lines no wider than width, the
// last ending in "…" when text does not fit.
func wrap(face font.Face, text string, width, maxLines int) []string {
	fits := func(s string) bool { return font.MeasureString(face, s).Ceil() <= width }
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		for !fits(word) && len([]rune(word)) > 1 { // a word wider than the line is cut
			cut := len([]rune(word)) - 1
			for cut > 1 && !fits(string([]rune(word)[:cut])) {
				cut--
			}
			if line != "" {
				lines, line = append(lines, line), ""
			}
			lines = append(lines, string([]rune(word)[:cut]))
			word = string([]rune(word)[cut:])
		}
		switch {
		case line == "":
			line = word
		case fits(line + " " + word):
			line += " " + word
		default:
			lines, line = append(lines, line), word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) <= maxLines {
		return lines
	}
	last := []rune(lines[maxLines-1])
	for len(last) > 0 && !fits(string(last)+"…") {
		last = last[:len(last)-1]
	}
	lines = lines[:maxLines]
	lines[maxLines-1] = strings.TrimRight(string(last), " ") + "…"
	return lines
}

// clip shortens text to fit width, ending it in "…" when cut.
func clip(face font.Face, text string, width int) string {
	if font.MeasureString(face, text).Ceil() <= width {
		return text
	}
	r := []rune(text)
	for len(r) > 0 && font.MeasureString(face, string(r)+"…").Ceil() > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ·") + "…"
}

// fit is the largest rectangle of src's shape centred in box.
func fit(src, box image.Rectangle) image.Rectangle {
	w, h := box.Dx(), box.Dy()
	if src.Dx()*h > src.Dy()*w {
		h = max(1, src.Dy()*w/src.Dx())
	} else {
		w = max(1, src.Dx()*h/src.Dy())
	}
	x := box.Min.X + (box.Dx()-w)/2
	y := box.Min.Y + (box.Dy()-h)/2
	return image.Rect(x, y, x+w, y+h)
}

func decodeFile(name string) (image.Image, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return imagefile.DecodeImage(data)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
