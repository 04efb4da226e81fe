package output

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"strings"
)

// Encode returns the bytes of an image for a file named name: the original
// data when the format already matches, else PNG, or JPEG for .jpg/.jpeg
// (flattened on white, since JPEG has no transparency).
func Encode(name string, img image.Image, data []byte, contentType string) ([]byte, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ExtFor(contentType) == ext || (ext == ".jpeg" && contentType == "image/jpeg") {
		return data, nil
	}
	var buf bytes.Buffer
	if ext == ".jpg" || ext == ".jpeg" {
		flat := image.NewRGBA(img.Bounds())
		draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Over)
		err := jpeg.Encode(&buf, flat, &jpeg.Options{Quality: 92})
		return buf.Bytes(), err
	}
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}
