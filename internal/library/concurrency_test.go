package library

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"sync"
	"testing"
)

const (
	helperEnv     = "BACKDROP_LIBRARY_TEST_HELPER" // library folder for helperProcess
	helperModeEnv = "BACKDROP_LIBRARY_TEST_MODE"
	helperRuns    = 25
)

// tinyPNG is a small image to record as a variant.
func tinyPNG(c color.Color) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for i := range 16 {
		img.Set(i%4, i/4, c)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// recordData records a whole run whose variants are given as bytes.
func recordData(ctx context.Context, s *Store, prompt string, variants int) error {
	id, err := s.Added(ctx, NewRun{Source: Source{Path: "/shots/" + prompt + ".png", Hash: prompt}, Prompt: prompt,
		Variants: variants, Backend: "api.example.com"})
	if err != nil {
		return err
	}
	if err := s.Sending(ctx, id); err != nil {
		return err
	}
	if err := s.Created(ctx, id, "task-"+prompt); err != nil {
		return err
	}
	for n := 1; n <= variants; n++ {
		if err := s.VariantSaved(ctx, id, SavedVariant{N: n, Data: tinyPNG(color.RGBA{uint8(n * 40), 0, 0, 255})}); err != nil {
			return err
		}
	}
	return s.Ended(ctx, id, StateDone, "")
}

// helperProcess is the other process of the two-process tests.
func helperProcess(dir string) int {
	ctx := context.Background()
	s, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	switch os.Getenv(helperModeEnv) {
	case "crash":
		// Leave runs under way and die without closing, like a killed app.
		id, _ := s.Added(ctx, NewRun{Prompt: "never sent", Variants: 1, Backend: "api.example.com"})
		_ = id
		id, _ = s.Added(ctx, NewRun{Prompt: "sent, no answer", Variants: 2, Backend: "api.example.com"})
		s.Sending(ctx, id)
		id, _ = s.Added(ctx, NewRun{Prompt: "task known", Variants: 2, Backend: "api.example.com"})
		s.Sending(ctx, id)
		s.Created(ctx, id, "T-crash")
		s.VariantSaved(ctx, id, SavedVariant{N: 1, Data: tinyPNG(color.White)})
		os.Exit(0)
	case "loop":
		// Record runs until killed; variants are copied (not linked) so a
		// kill can land in the middle of writing a file.
		for i := 0; ; i++ {
			id, err := s.Added(ctx, NewRun{Source: Source{Path: "/shots/a.png", Hash: "a"}, Prompt: fmt.Sprint("loop ", i), Variants: 3, Backend: "h"})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			s.Sending(ctx, id)
			s.Created(ctx, id, fmt.Sprint("T", i))
			for n := 1; n <= 3; n++ {
				s.VariantSaved(ctx, id, SavedVariant{N: n, Data: bigPNG})
			}
			s.Ended(ctx, id, StateDone, "")
		}
	default:
		for i := range helperRuns {
			if err := recordData(ctx, s, fmt.Sprintf("child %d", i), 2); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
	}
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func helperCmd(t *testing.T, dir, mode string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir, helperModeEnv+"="+mode)
	cmd.Stderr = os.Stderr
	return cmd
}

func countRuns(t *testing.T, s *Store, state State) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow("SELECT count(*) FROM runs WHERE state = ?", state).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The window and a CLI run write to one library at once: two Stores on one
// file, each from its own goroutines, lose nothing and fail nothing.
func TestTwoStoresWriteAtOnce(t *testing.T) {
	dir := t.TempDir()
	// Both start at once on a library that does not exist yet: one
	// creates and migrates it, the other waits and finds it ready.
	stores := make([]*Store, 2)
	var opening sync.WaitGroup
	for i := range stores {
		opening.Add(1)
		go func() {
			defer opening.Done()
			s, err := Open(dir)
			if err != nil {
				t.Error(err)
				return
			}
			stores[i] = s
			t.Cleanup(func() { s.Close() })
		}()
	}
	opening.Wait()
	if t.Failed() {
		t.FailNow()
	}
	a, b := stores[0], stores[1]
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w, s := range []*Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				if err := recordData(ctx, s, fmt.Sprintf("writer%d run%d", w, i), 2); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, s := range []*Store{a, b} {
		if n := countRuns(t, s, StateDone); n != 40 {
			t.Fatalf("%d done runs, want 40", n)
		}
	}
	var variants int
	a.r.QueryRow("SELECT count(*) FROM variants").Scan(&variants)
	if variants != 80 {
		t.Fatalf("%d variants, want 80", variants)
	}
}

func TestTwoProcessesWriteAtOnce(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	cmd := helperCmd(t, dir, "write")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range helperRuns {
		if err := recordData(ctx, s, fmt.Sprintf("parent %d", i), 2); err != nil {
			t.Error(err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the other process: %v", err)
	}
	if n := countRuns(t, s, StateDone); n != 2*helperRuns {
		t.Fatalf("%d done runs, want %d", n, 2*helperRuns)
	}
	page, err := s.List(ctx, Query{Search: "child", Limit: 500})
	if err != nil || len(page.Runs) != helperRuns {
		t.Fatalf("the other process's runs: %d, %v", len(page.Runs), err)
	}
}

// bigPNG is an image large enough that writing it takes a while.
var bigPNG = func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 160, 160))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 131 % 251)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}()

// Killing a process at any moment leaves a library that opens, whose runs
// all resume, and whose every recorded variant is a whole image.
func TestKilledAtAnyMomentLeavesAUsableLibrary(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for round := range 3 {
		cmd := helperCmd(t, dir, "loop")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let it record a few runs, then kill it mid-stride.
		watch := openStore(t, dir)
		waitFor(t, func() bool {
			var n int
			watch.r.QueryRow("SELECT count(*) FROM variants").Scan(&n)
			return n >= 3*(round+1)*3+round
		})
		watch.Close()
		cmd.Process.Kill()
		cmd.Wait()

		s, err := Open(dir)
		if err != nil {
			t.Fatalf("round %d: the library does not open after a kill: %v", round, err)
		}
		picks, err := s.Resume(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(picks) > 1 {
			t.Fatalf("round %d: %d runs under way after a kill, want at most 1", round, len(picks))
		}
		page, _ := s.List(ctx, Query{Limit: 500})
		for _, r := range page.Runs {
			for _, v := range r.Images {
				if _, err := decodeFile(v.Path); err != nil {
					t.Fatalf("round %d: run %d variant %d is not a whole image: %v", round, r.ID, v.N, err)
				}
			}
		}
		// Finish what was picked up, so the next round starts clean.
		for _, p := range picks {
			s.Ended(ctx, p.Run.ID, StateCancelled, "")
		}
		s.Close()
	}
}
