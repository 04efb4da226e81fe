package library

import (
	"context"
	"database/sql"
	"strings"
)

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const runColumns = `id, source_path, source_hash, source_url, prompt, variants, options, backend,
	task_id, state, error, added_ms, sent_ms, created_ms, finished_ms`

// queryRuns runs a SELECT of runColumns and returns the runs with their
// variants, in the query's order.
func (s *Store) queryRuns(ctx context.Context, q querier, query string, args ...any) ([]Run, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var runs []Run
	for rows.Next() {
		var r Run
		var opts string
		var added, sent, created, finished int64
		if err := rows.Scan(&r.ID, &r.Source.Path, &r.Source.Hash, &r.Source.URL, &r.Prompt, &r.Variants, &opts,
			&r.Backend, &r.TaskID, &r.State, &r.Error, &added, &sent, &created, &finished); err != nil {
			rows.Close()
			return nil, err
		}
		r.Options, r.Images = []byte(opts), []Variant{}
		r.Added, r.Sent, r.Created, r.Finished = s.fromMS(added), s.fromMS(sent), s.fromMS(created), s.fromMS(finished)
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return runs, s.attachVariants(ctx, q, runs)
}

// attachVariants fills Images of each run with one query.
func (s *Store) attachVariants(ctx context.Context, q querier, runs []Run) error {
	if len(runs) == 0 {
		return nil
	}
	at := make(map[ID]int, len(runs))
	args := make([]any, len(runs))
	for i, r := range runs {
		at[r.ID] = i
		args[i] = r.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT run_id, n, kept_path, cached_path, saved_path, width, height, format,
		starred, thumb_path, saved_ms FROM variants WHERE run_id IN (?`+strings.Repeat(", ?", len(runs)-1)+`) ORDER BY run_id, n`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id ID
		var v Variant
		var saved int64
		if err := rows.Scan(&id, &v.N, &v.Path, &v.CachedPath, &v.SavedPath, &v.Width, &v.Height, &v.Format,
			&v.Starred, &v.Thumbnail, &saved); err != nil {
			return err
		}
		v.Path, v.Thumbnail, v.Saved = s.abs(v.Path), s.abs(v.Thumbnail), s.fromMS(saved)
		i := at[id]
		runs[i].Images = append(runs[i].Images, v)
	}
	return rows.Err()
}
