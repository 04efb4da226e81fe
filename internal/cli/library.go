package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"backdrop/internal/app"
	"backdrop/internal/library"
)

// Library runs `backdrop library`: it lists the runs the library holds,
// newest first (`--search` by prompt and file name, `--limit`), or with
// `library export RUN --out DIR` writes a run's images again.
func Library(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "export" {
		return libraryExport(ctx, args[1:], env, stdout, stderr)
	}
	con := newConsole("backdrop library", stdout, stderr)
	fs := flag.NewFlagSet("library", flag.ContinueOnError)
	fs.SetOutput(con.stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per run")
	search := fs.String("search", "", "only runs whose prompt or file name has these words (by prefix)")
	limit := fs.Int("limit", 50, "at most this many runs, newest first (up to 500)")
	fs.Usage = func() {
		fmt.Fprintln(con.stderr, "usage: backdrop library [--json] [--search TEXT] [--limit N]")
		fmt.Fprintln(con.stderr, "       backdrop library export RUN --out DIR")
		fmt.Fprintln(con.stderr, "Lists the runs Backdrop recorded (window and command line), newest first.")
		fs.PrintDefaults()
	}
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	switch {
	case len(rest) > 0:
		con.errorf("unexpected argument %q (to search, use --search)", rest[0])
		return ExitUsage
	case *limit < 1 || *limit > 500:
		con.errorf("--limit must be 1 to 500 (got %d)", *limit)
		return ExitUsage
	}
	store, code := openLibraryFor(con, env)
	if store == nil {
		return code
	}
	defer store.Close()
	page, err := store.List(ctx, library.Query{Search: *search, Limit: *limit})
	if err != nil {
		con.errorf("%v", err)
		return ExitFailure
	}
	if *asJSON {
		for _, r := range page.Runs {
			data, err := json.Marshal(r)
			if err != nil {
				con.errorf("%v", err)
				return ExitFailure
			}
			con.stdout.Write(append(data, '\n'))
		}
		return ExitOK
	}
	if len(page.Runs) == 0 {
		if *search != "" {
			con.infof("no run matches %q", *search)
		} else {
			con.infof("the library is empty: runs are recorded as they are made (%s)", store.Dir())
		}
		return ExitOK
	}
	tw := tabwriter.NewWriter(con.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tWHEN\tSTATE\tSHOT\tIMAGES\tPROMPT")
	for _, r := range page.Runs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, when(r.Added), r.State, clip(oneLine(r.Source.Name()), 32),
			images(r), clip(oneLine(r.Prompt), 60))
	}
	tw.Flush()
	if page.Next != 0 {
		con.infof("more runs are older: raise --limit, or narrow with --search")
	}
	return ExitOK
}

// libraryExport runs `backdrop library export RUN --out DIR`.
func libraryExport(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	con := newConsole("backdrop library export", stdout, stderr)
	fs := flag.NewFlagSet("library export", flag.ContinueOnError)
	fs.SetOutput(con.stderr)
	out := fs.String("out", ".", "folder to write the images into (created if needed; nothing is overwritten)")
	asJSON := fs.Bool("json", false, "print the files written as one JSON object")
	fs.Usage = func() {
		fmt.Fprintln(con.stderr, "usage: backdrop library export RUN --out DIR")
		fmt.Fprintln(con.stderr, "Writes a recorded run's images again, from the library's own copies.")
		fs.PrintDefaults()
	}
	ids, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if len(ids) != 1 {
		con.errorf("give one run number (see backdrop library): backdrop library export RUN --out DIR")
		return ExitUsage
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(ids[0], "#"), 10, 64)
	if err != nil || id <= 0 {
		con.errorf("%q is not a run number (see backdrop library)", ids[0])
		return ExitUsage
	}
	store, code := openLibraryFor(con, env)
	if store == nil {
		return code
	}
	defer store.Close()
	paths, err := store.ExportRun(ctx, library.ID(id), *out)
	for _, p := range paths {
		if !*asJSON {
			con.infof("wrote %s", p)
		}
	}
	if *asJSON {
		data, _ := json.Marshal(map[string]any{"run": id, "files": append([]string{}, paths...)})
		con.stdout.Write(append(data, '\n'))
	}
	if err != nil {
		con.errorf("%v", err)
		if errors.Is(err, library.ErrNotFound) {
			return ExitUsage
		}
		return ExitFailure
	}
	return ExitOK
}

// openLibraryFor opens the library (BACKDROP_LIBRARY, else the usual
// folder) for a command that needs it; nil and the exit code if it cannot.
func openLibraryFor(con *console, env func(string) string) (*library.Store, int) {
	var store *library.Store
	var err error
	if dir := env("BACKDROP_LIBRARY"); dir != "" {
		store, err = app.OpenLibraryIn(dir)
	} else {
		store, err = app.OpenLibrary()
	}
	if err != nil {
		con.errorf("%v", err)
		return nil, ExitFailure
	}
	return store, ExitOK
}

// when is a run's time, short: the time today, the date before.
func when(t time.Time) string {
	now := time.Now()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	if t.Year() == now.Year() {
		return t.Format("Jan 2 15:04")
	}
	return t.Format("2006-01-02")
}

func images(r library.Run) string {
	if len(r.Images) == r.Variants {
		return strconv.Itoa(len(r.Images))
	}
	return fmt.Sprintf("%d of %d", len(r.Images), r.Variants)
}

// clip cuts s to n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
