package library

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// seed inserts runs in one transaction, as Added would write them (the
// same columns, the same triggers), to test queries on thousands of rows
// quickly.
func seed(t *testing.T, s *Store, runs []NewRun, start time.Time) {
	t.Helper()
	tx, err := s.w.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	insert, err := tx.Prepare(`INSERT INTO runs (owner, source_path, source_hash, source_url, source_name, prompt, variants,
			options, skip_key, backend, state, added_ms, sent_ms, finished_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	defer insert.Close()
	for i, r := range runs {
		key, _ := r.Key().Digest()
		opts, _ := canonicalJSON(r.Options)
		if _, err := insert.Exec(s.session.token, r.Source.Path, r.Source.Hash, r.Source.URL, r.Source.Name(), r.Prompt, r.Variants, opts, key,
			r.Backend, start.Add(time.Duration(i)*time.Minute).UnixMilli(), start.Add(time.Duration(i)*time.Minute).UnixMilli(),
			start.Add(time.Duration(i)*time.Minute+time.Second).UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

var (
	words = []string{"sunset", "sunny", "beach", "marble", "oak", "table", "studio", "white", "pastel", "pink",
		"forest", "snow", "neon", "city", "night", "linen", "concrete", "Café", "crème"}
	shotNames = []string{"red-shoe-%02d.jpg", "mug_%02d.png", "Lamp %02d.webp", "IMG_%04d.JPG", "bottle.v%d.png"}
)

func syntheticRuns(n int) []NewRun {
	rng := rand.New(rand.NewSource(7))
	runs := make([]NewRun, n)
	for i := range runs {
		shot := i % 25
		name := fmt.Sprintf(shotNames[shot%len(shotNames)], shot)
		var p []string
		for range 2 + rng.Intn(3) {
			p = append(p, words[rng.Intn(len(words))])
		}
		runs[i] = NewRun{Source: Source{Path: "/shots/" + name, Hash: fmt.Sprintf("h%02d", shot)},
			Prompt: strings.Join(p, " "), Variants: 1 + i%4, Backend: "api.example.com"}
		if i%50 == 0 {
			runs[i].Source = Source{URL: "https://cdn.example.com/p/" + name}
		}
	}
	return runs
}

// tokens splits text the way the search index does: letters and digits,
// lower case, accents dropped (for the few in the test's words).
func tokens(text string) []string {
	text = strings.NewReplacer("é", "e", "è", "e", "É", "e").Replace(strings.ToLower(text))
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// matches is the search's meaning, written plainly: every word typed
// starts some word of the prompt or the file name (a word typed with
// punctuation, like IMG_0042, must match those words in a row).
func matches(r NewRun, search string) bool {
	have := append(tokens(r.Prompt), tokens(r.Source.Name())...)
	for _, w := range strings.Fields(search) {
		want := tokens(w)
		if len(want) == 0 {
			continue
		}
		found := false
		for i := 0; i+len(want) <= len(have) && !found; i++ {
			found = true
			for j, tok := range want {
				last := j == len(want)-1
				if (!last && have[i+j] != tok) || (last && !strings.HasPrefix(have[i+j], tok)) {
					found = false
					break
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// listAll pages through a query and returns the IDs in order.
func listAll(t *testing.T, s *Store, q Query) []ID {
	t.Helper()
	var ids []ID
	for pages := 0; ; pages++ {
		page, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		for _, r := range page.Runs {
			ids = append(ids, r.ID)
		}
		if page.Next == 0 {
			return ids
		}
		if pages > 10000 {
			t.Fatal("paging does not end")
		}
		q.Before = page.Next
	}
}

func TestListPagesSearchesAndFilters(t *testing.T) {
	n := 5000
	if raceEnabled {
		n = 1500
	}
	s := openStore(t, t.TempDir())
	runs := syntheticRuns(n)
	seed(t, s, runs, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	id := func(i int) ID { return ID(i + 1) }

	all := listAll(t, s, Query{Limit: 97})
	if len(all) != n {
		t.Fatalf("paged through %d runs, want %d", len(all), n)
	}
	for i, got := range all {
		if got != id(n-1-i) {
			t.Fatalf("position %d holds run %d, want %d (newest first, each once)", i, got, id(n-1-i))
		}
	}
	if page, _ := s.List(context.Background(), Query{}); len(page.Runs) != 50 || page.Runs[0].ID != id(n-1) {
		t.Fatalf("default page: %d runs", len(page.Runs))
	}

	for _, search := range []string{"sun", "sunset beach", "oak TABLE", "mug", "lamp 07", "red shoe", "img_0003", "cafe", "CRÈME",
		"bottle.v4", "cdn", "nothinglikethis", `"`, `sun"set`, "NOT", "a*b", "(beach", "NEAR(oak"} {
		for _, shot := range []string{"", "h03"} {
			var want []ID
			for i := n - 1; i >= 0; i-- {
				if matches(runs[i], search) && (shot == "" || runs[i].Source.Hash == shot) {
					want = append(want, id(i))
				}
			}
			got := listAll(t, s, Query{Search: search, Shot: shot, Limit: 400})
			if !slices.Equal(got, want) {
				t.Errorf("search %q shot %q: %d runs, want %d", search, shot, len(got), len(want))
			}
		}
	}
}

func TestBoardGroupsAShotsRunsByPrompt(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	runs := syntheticRuns(500)
	seed(t, s, runs, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	groups, err := s.Board(ctx, "h03")
	if err != nil {
		t.Fatal(err)
	}
	total, newest := 0, ID(1<<62)
	seen := map[string]bool{}
	for _, g := range groups {
		if seen[g.Prompt] {
			t.Fatalf("prompt %q in two groups", g.Prompt)
		}
		seen[g.Prompt] = true
		if g.Runs[0].ID >= newest {
			t.Fatal("groups are not ordered by their newest run")
		}
		newest = g.Runs[0].ID
		for i, r := range g.Runs {
			if r.Prompt != g.Prompt || r.Source.Hash != "h03" || (i > 0 && r.ID >= g.Runs[i-1].ID) {
				t.Fatalf("run %d in group %q", r.ID, g.Prompt)
			}
		}
		total += len(g.Runs)
	}
	want := 0
	for _, r := range runs {
		if r.Source.Hash == "h03" {
			want++
		}
	}
	if total != want {
		t.Fatalf("board holds %d runs, want %d", total, want)
	}

	shots, err := s.Shots(ctx)
	if err != nil || len(shots) != 25 {
		t.Fatalf("%d shots, %v", len(shots), err)
	}
	if shots[0].Hash != "h24" || shots[0].Runs != 20 || shots[0].Last.IsZero() || shots[0].Name == "" {
		t.Fatalf("most recent shot: %+v", shots[0])
	}
}
