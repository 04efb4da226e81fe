// Command beforeafter renders the engine's editor shots (product shots as
// a designer makes them, with dark shadows touching the base) through the
// offline engine with a handful of prompts and writes before/after PNGs,
// for the README and for looking at the results as a designer would.
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
	{"bottle-on-white-dark-contact", "white marble", 1},
	{"bottle-on-white-dark-contact", "pastel pink", 1},
	{"bottle-on-white-dark-contact", "sunset beach", 1},
	{"bottle-on-white-dark-contact", "transparent background", 1},
	{"mug-on-light-grey-handle", "white marble tabletop, light from the left", 1},
	{"mug-on-light-grey-handle", "pastel pink", 1},
	{"mug-on-light-grey-handle", "sunset beach", 1},
	{"mug-on-light-grey-handle", "transparent background", 1},
	{"black-bottle-on-white", "concrete, top light", 1},
	{"bottle-soft-cast-on-gradient", "light oak wood table, sunlight from the right", 1},
	{"labelled-jar-on-beige", "gradient from teal to navy", 2},
	{"box-hard-shadow-on-grey", "white studio, centred", 1},
}

func main() {
	out := flag.String("out", "docs/engine", "directory for the PNGs")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	e := engine.New()
	written := map[string]bool{}
	for _, p := range pairs {
		shot, ok := synth.EditorShot(p.shot)
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
