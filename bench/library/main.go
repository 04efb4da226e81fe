// Command library measures the library store on 10,000 recorded runs, the
// way the window and the CLI use it, and prints each figure beside its
// target:
//
//	go run ./bench/library [-runs 10000] [-keep DIR]
//
// The runs are recorded through the real lifecycle (Added, Sending,
// Created, VariantSaved×n, Ended), with the thumbnail worker running, on a
// library in a temporary folder. Then the store is closed and opened again
// (an app start) and the queries are timed: the Library view's first
// screen, searches, a shot's filter and board, spend; and recording runs
// on the full library.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/image/draw"

	"backdrop/internal/library"
)

var vocabulary = strings.Fields(`white marble tabletop soft light from the left sunset beach warm golden hour
	oak wood table sunlight right pastel pink studio backdrop grey concrete wall forest moss stones
	snow mountain cabin neon city night reflections linen cloth kitchen counter terracotta tiles
	bathroom sink glass shelf minimal podium shadows plants leaves water ripples sand dunes desert
	velvet curtain gradient teal navy brick loft window morning mist lavender field pebbles`)

func main() {
	runs := flag.Int("runs", 10000, "runs to record")
	keep := flag.String("keep", "", "build the library in this folder and keep it (default: a temporary one)")
	flag.Parse()
	ctx := context.Background()
	dir := *keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "backdrop-library-bench-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	work := filepath.Join(dir, "work")
	cache := makeVariants(filepath.Join(work, "cache"), 8, 320, 240)
	rng := rand.New(rand.NewPCG(10, 20))

	fmt.Printf("library bench: %d runs, library in %s\n\n", *runs, dir)
	s, err := library.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	var seedTimes []time.Duration
	for i := range *runs {
		seedTimes = append(seedTimes, recordRun(ctx, s, rng, i, cache))
	}
	seeded := time.Since(start)
	waitThumbnails(ctx, s)
	fmt.Printf("recorded %d runs in %v (%.1f ms a run, median %v, p95 %v), thumbnails done after %v\n",
		*runs, seeded.Round(time.Millisecond), float64(seeded.Milliseconds())/float64(*runs),
		pct(seedTimes, 50), pct(seedTimes, 95), time.Since(start).Round(time.Millisecond))
	s.Close()

	// An app start.
	t0 := time.Now()
	s, err = library.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	openTime := time.Since(t0)
	fi, _ := os.Stat(s.Path())
	fmt.Printf("database %.1f MB; Open (integrity check, migrations) %v\n\n", float64(fi.Size())/(1<<20), openTime.Round(time.Microsecond))

	row := func(name string, d time.Duration, target time.Duration) {
		verdict := ""
		if target > 0 {
			verdict = fmt.Sprintf("target < %v: ", target)
			if d < target {
				verdict += "ok"
			} else {
				verdict += "OVER"
			}
		}
		fmt.Printf("%-60s %10v   %s\n", name, d.Round(10*time.Microsecond), verdict)
	}

	var first library.Page
	cold := timeIt(func() { first, err = s.List(ctx, library.Query{Limit: 50}) })
	must(err)
	row("first screen, 50 runs with thumbnail paths (cold)", cold, 150*time.Millisecond)
	row("first screen, 50 runs (median of 30)", median(30, func() { s.List(ctx, library.Query{Limit: 50}) }), 150*time.Millisecond)
	row("  + decoding their 1st thumbnails (the view, lazily)", timeIt(func() { decodeThumbs(first) }), 0)
	row("next page (keyset), 50 runs", median(30, func() { s.List(ctx, library.Query{Limit: 50, Before: first.Next}) }), 0)
	deep := first.Next - library.ID(*runs*9/10)
	row("a page 9,000 runs down", median(30, func() { s.List(ctx, library.Query{Limit: 50, Before: deep}) }), 0)

	fmt.Println()
	for _, q := range []string{"marble", "sunset beach", "su", "SKU-0042", "lavender field morning", "nothingmatches"} {
		var p library.Page
		d := median(30, func() { p, _ = s.List(ctx, library.Query{Search: q, Limit: 50}) })
		all := 0
		for pg := (library.Page{Next: -1}); pg.Next != 0; {
			before := library.ID(0)
			if pg.Next > 0 {
				before = pg.Next
			}
			pg, _ = s.List(ctx, library.Query{Search: q, Limit: 500, Before: before})
			all += len(pg.Runs)
		}
		row(fmt.Sprintf("search %-24q (%d hits, page of %d)", q, all, len(p.Runs)), d, 50*time.Millisecond)
	}
	shots, err := s.Shots(ctx)
	must(err)
	shot := shots[len(shots)/2].Hash
	fmt.Println()
	row(fmt.Sprintf("shots list (%d shots)", len(shots)), median(10, func() { s.Shots(ctx) }), 0)
	row("filter by shot, first 50", median(30, func() { s.List(ctx, library.Query{Shot: shot, Limit: 50}) }), 0)
	row("filter by shot + search", median(30, func() { s.List(ctx, library.Query{Shot: shot, Search: "light", Limit: 50}) }), 50*time.Millisecond)
	var board []library.PromptGroup
	row("board of a shot", median(10, func() { board, _ = s.Board(ctx, shot) }), 0)
	row("spend today / this month", median(30, func() { s.Spend(ctx) }), 0)
	row("daily cap check", median(30, func() { s.CheckCap(ctx, 1000, 4) }), 0)
	row("Resume on start (nothing left under way)", median(10, func() { s.Resume(ctx) }), 0)
	last, _ := s.Get(ctx, first.Runs[0].ID)
	key := library.SkipKey{Source: last.Source, Prompt: last.Prompt, Variants: last.Variants, Options: map[string]any{"format": "png"}}
	row("skip check (FindDone)", median(30, func() { s.FindDone(ctx, key) }), 0)
	_ = board

	// Recording on the full library. Runs take seconds at the service, so
	// the thumbnail worker has finished the last run's images before the
	// next run is recorded: wait for it between runs, as a queue would.
	fmt.Println()
	var rec []time.Duration
	var cpu time.Duration
	for i := range 200 {
		waitThumbnails(ctx, s)
		c := cpuTime()
		rec = append(rec, recordRun(ctx, s, rng, *runs+i, cache))
		cpu += cpuTime() - c
	}
	row("recording a run (Added…Ended, 1–4 variants), median", pct(rec, 50), 5*time.Millisecond)
	row("recording a run, p95", pct(rec, 95), 0)
	row("  CPU time per run (all of the process's threads)", cpu/200, 0)
	row("  2 flushes to disk (Sending, Created) on this disk now", 2*fsyncTime(dir), 0)

	big := makeVariants(filepath.Join(work, "big"), 1, 2048, 2048)[0]
	id, _ := s.Added(ctx, library.NewRun{Prompt: "big", Variants: 1, Backend: "api.example.com"})
	must(s.VariantSaved(ctx, id, library.SavedVariant{N: 1, CachedPath: big, Width: 2048, Height: 2048, Format: "image/jpeg"}))
	row("thumbnail of a 2048×2048 variant (worker, off the UI)", timeIt(func() { s.Thumbnail(ctx, id, 1) }), 0)
}

// recordRun records one run through the whole lifecycle and returns how
// long the recorder took.
func recordRun(ctx context.Context, s *library.Store, rng *rand.Rand, i int, cache []string) time.Duration {
	shot := rng.IntN(400)
	words := make([]string, 2+rng.IntN(7))
	for w := range words {
		words[w] = vocabulary[rng.IntN(len(vocabulary))]
	}
	n := 1 + rng.IntN(4)
	run := library.NewRun{
		Source:   library.Source{Path: fmt.Sprintf("/home/ana/shoot/SKU-%04d front.jpg", shot), Hash: fmt.Sprintf("%064x", shot)},
		Prompt:   strings.Join(words, " "),
		Variants: n,
		Options:  map[string]any{"format": "png"},
		Backend:  "api.gpt.ge",
	}
	if i%10 == 0 {
		run.Backend = library.OfflineBackend
	}
	start := time.Now()
	id, err := s.Added(ctx, run)
	must(err)
	must(s.Sending(ctx, id))
	must(s.Created(ctx, id, fmt.Sprintf("task-%d", i)))
	for v := 1; v <= n; v++ {
		must(s.VariantSaved(ctx, id, library.SavedVariant{N: v, CachedPath: cache[(i+v)%len(cache)], Width: 320, Height: 240, Format: "image/jpeg"}))
	}
	must(s.Ended(ctx, id, library.StateDone, ""))
	return time.Since(start)
}

func waitThumbnails(ctx context.Context, s *library.Store) {
	for {
		n, err := s.ThumbnailsPending(ctx)
		must(err)
		if n == 0 {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// fsyncTime is the median time this disk takes to flush a small write.
func fsyncTime(dir string) time.Duration {
	f, err := os.CreateTemp(dir, "fsync-*")
	must(err)
	defer os.Remove(f.Name())
	defer f.Close()
	return median(50, func() {
		f.Write([]byte("x"))
		f.Sync()
	})
}

func decodeThumbs(p library.Page) {
	for _, r := range p.Runs {
		if len(r.Images) == 0 || r.Images[0].Thumbnail == "" {
			continue
		}
		data, err := os.ReadFile(r.Images[0].Thumbnail)
		must(err)
		_, err = jpeg.Decode(bytes.NewReader(data))
		must(err)
	}
}

// makeVariants writes count JPEGs standing in for downloaded results.
func makeVariants(dir string, count, w, h int) []string {
	must(os.MkdirAll(dir, 0o755))
	var paths []string
	for i := range count {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8(40 * i), 255})
			}
		}
		draw.Draw(img, image.Rect(w/3, h/4, 2*w/3, 3*h/4), image.NewUniform(color.RGBA{200, 30, 30, 255}), image.Point{}, draw.Src)
		var buf bytes.Buffer
		must(jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88}))
		p := filepath.Join(dir, fmt.Sprintf("task-%d.jpg", i))
		must(os.WriteFile(p, buf.Bytes(), 0o644))
		paths = append(paths, p)
	}
	return paths
}

func timeIt(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

func median(n int, f func()) time.Duration {
	var ds []time.Duration
	for range n {
		ds = append(ds, timeIt(f))
	}
	return pct(ds, 50)
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
