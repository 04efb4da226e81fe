package contract_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/image/bmp"
)

func itoa(n int) string { return strconv.Itoa(n) }

func readTestdata(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", name))
}

func solid(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	return img
}

func encodeJPEG(w, h int) []byte {
	var buf bytes.Buffer
	jpeg.Encode(&buf, solid(w, h), nil)
	return buf.Bytes()
}

func encodeBMP(w, h int) []byte {
	var buf bytes.Buffer
	bmp.Encode(&buf, solid(w, h))
	return buf.Bytes()
}
