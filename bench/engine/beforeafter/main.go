// Command beforeafter renders synthetic product shots through the offline
// engine with a handful of prompts and writes before/after PNGs, for the
// README and for eyeballing the backdrops.
//
//	go run ./bench/engine/beforeafter -out docs/engine
package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"backdrop/internal/engine"
	"backdrop/internal/engine/synth"
)

var pairs = []struct {
	shot, prompt string
	variant      int
}{
	{"bottle-on-gradient", "white marble tabletop, light from the left", 1},
	{"bottle-on-gradient", "sunset beach", 1},
	{"bottle-on-gradient", "gradient from teal to navy", 2},
	{"green-bottle-on-white", "forest", 1},
	{"green-bottle-on-white", "asdfgh", 1},
	{"labelled-bottle-on-white", "pastel pink", 1},
	{"labelled-bottle-on-white", "light oak wood table, sunlight from the right", 1},
}

func main() {
	out := flag.String("out", "docs/engine", "directory for the PNGs")
	w := flag.Int("w", 640, "width")
	h := flag.Int("h", 480, "height")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	e := engine.New()
	written := map[string]bool{}
	for _, p := range pairs {
		shot, ok := synth.ByName(p.shot, *w, *h)
		if !ok {
			log.Fatalf("no shot %q", p.shot)
		}
		if !written[p.shot] {
			save(filepath.Join(*out, p.shot+"-before.png"), shot.Image)
			written[p.shot] = true
		}
		img, box, err := e.Paint(context.Background(), shot.Image, p.prompt, p.variant, nil)
		if err != nil {
			log.Fatal(err)
		}
		name := fmt.Sprintf("%s-after-%s-v%d.png", p.shot, slug(p.prompt), p.variant)
		save(filepath.Join(*out, name), img)
		fmt.Printf("%-60s box %v\n", name, box)
	}
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func save(path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
