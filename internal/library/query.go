package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"
)

// Query selects runs for a list, newest first.
type Query struct {
	Search string // words matched by prefix in prompts and file names, all of them
	Shot   string // a content hash (Source.Hash): only runs of that shot
	Before ID     // only runs older than this one: Page.Next of the previous page (0: from the newest)
	Limit  int    // runs per page (default 50, at most 500)
}

// Page is one screenful of runs.
type Page struct {
	Runs []Run
	Next ID // the Before of the next page; 0 when this is the last
}

// List returns runs newest first, with their variants and thumbnail paths.
// Pages are keyed on the last ID seen, so a page costs the same at run 10
// as at run 10,000, and runs added meanwhile never shift a page.
func (s *Store) List(ctx context.Context, q Query) (Page, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	var where []string
	var args []any
	if q.Before > 0 {
		where, args = append(where, "id < ?"), append(args, q.Before)
	}
	if q.Shot != "" {
		where, args = append(where, "source_hash = ?"), append(args, q.Shot)
	}
	if match := matchExpr(q.Search); match != "" {
		where, args = append(where, "id IN (SELECT rowid FROM runs_search WHERE runs_search MATCH ?)"), append(args, match)
	}
	query := "SELECT " + runColumns + " FROM runs"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit+1)
	runs, err := s.queryRuns(ctx, s.r, query, args...)
	if err != nil {
		return Page{}, fmt.Errorf("library: list: %w", err)
	}
	var page Page
	if len(runs) > limit {
		runs = runs[:limit]
		page.Next = runs[limit-1].ID
	}
	page.Runs = runs
	return page, nil
}

// matchExpr turns what a designer types into an FTS5 query: each word
// quoted (so no character is taken as syntax) and matched as a prefix.
// Words without a letter or digit are ignored.
func matchExpr(search string) string {
	var terms []string
	for _, w := range strings.Fields(search) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	return strings.Join(terms, " ")
}

// Get returns one run with its variants.
func (s *Store) Get(ctx context.Context, id ID) (Run, error) {
	runs, err := s.queryRuns(ctx, s.r, "SELECT "+runColumns+" FROM runs WHERE id = ?", id)
	if err != nil {
		return Run{}, err
	}
	if len(runs) == 0 {
		return Run{}, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	return runs[0], nil
}

// PromptGroup is the runs of one shot with one prompt.
type PromptGroup struct {
	Prompt string
	Runs   []Run // newest first
}

// Board returns every run of a shot (by content hash), grouped by prompt;
// the group with the newest run comes first.
func (s *Store) Board(ctx context.Context, shot string) ([]PromptGroup, error) {
	runs, err := s.queryRuns(ctx, s.r, "SELECT "+runColumns+" FROM runs WHERE source_hash = ? ORDER BY id DESC", shot)
	if err != nil {
		return nil, fmt.Errorf("library: board: %w", err)
	}
	var groups []PromptGroup
	at := map[string]int{}
	for _, r := range runs {
		i, ok := at[r.Prompt]
		if !ok {
			i = len(groups)
			at[r.Prompt] = i
			groups = append(groups, PromptGroup{Prompt: r.Prompt})
		}
		groups[i].Runs = append(groups[i].Runs, r)
	}
	return groups, nil
}

// Shot is a product image the library has runs of.
type Shot struct {
	Hash string // content hash
	Name string // file name of its newest run
	Path string // where that run read it from
	Runs int
	Last time.Time // when its newest run was added
}

// Shots lists the shots with runs, the most recently used first.
func (s *Store) Shots(ctx context.Context) ([]Shot, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.source_hash, r.source_name, r.source_path, g.n, r.added_ms
		FROM (SELECT source_hash, max(id) AS last, count(*) AS n FROM runs WHERE source_hash <> '' GROUP BY source_hash) g
		JOIN runs r ON r.id = g.last ORDER BY g.last DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var shots []Shot
	for rows.Next() {
		var sh Shot
		var added int64
		if err := rows.Scan(&sh.Hash, &sh.Name, &sh.Path, &sh.Runs, &added); err != nil {
			return nil, err
		}
		sh.Last = s.fromMS(added)
		shots = append(shots, sh)
	}
	return shots, rows.Err()
}

// SetStar stars or unstars variant n of a run.
func (s *Store) SetStar(ctx context.Context, id ID, n int, starred bool) error {
	res, err := s.w.ExecContext(ctx, "UPDATE variants SET starred = ? WHERE run_id = ? AND n = ?", starred, id, n)
	if err != nil {
		return err
	}
	if rows, _ := res.RowsAffected(); rows == 0 {
		return fmt.Errorf("variant %d of run %d: %w", n, id, ErrNotFound)
	}
	return nil
}

// DeleteOptions says what Delete removes besides the library's own files.
type DeleteOptions struct {
	SavedFiles bool // also the variants saved in the output folder
}

// Delete removes a run: its rows, the library's copies and thumbnails of
// its images, and (if asked) its saved files. Ask the user first. A run
// under way is refused: cancel it first.
func (s *Store) Delete(ctx context.Context, id ID, opts DeleteOptions) error {
	run, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, "DELETE FROM runs WHERE id = ? AND state NOT IN ('waiting', 'sending', 'created')", id)
	if err != nil {
		return fmt.Errorf("library: deleting run %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var st State
		if err := s.r.QueryRowContext(ctx, "SELECT state FROM runs WHERE id = ?", id).Scan(&st); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
		return &StateError{ID: id, State: st, Event: "Delete"}
	}
	// The rows go first: a crash here leaves stray files, never a row
	// pointing at nothing. IDs are never reused, so strays harm no run.
	errs := []error{s.removeRunFiles(id)}
	if opts.SavedFiles {
		for _, v := range run.Images {
			if v.SavedPath != "" {
				if err := os.Remove(v.SavedPath); err != nil && !errors.Is(err, os.ErrNotExist) {
					errs = append(errs, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}
