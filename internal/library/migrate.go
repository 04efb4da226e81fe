package library

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// applicationID marks a database as Backdrop's ("BDrp"), so a stray SQLite
// file put in its place is refused rather than written into.
const applicationID = 0x42447270

// migration is one numbered step of the schema.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded steps in order; their numbers must run
// 1, 2, 3… without a gap.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		body, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest schema this build writes.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		panic(err) // the embedded files are part of the build
	}
	return len(ms)
}

// migrate brings db up to version target in one transaction, so a crash
// or a second process never sees half a schema. Another process may have
// migrated first: the version is read again inside the transaction.
func migrate(ctx context.Context, db *sql.DB, target int) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil) // IMMEDIATE: see the writer's DSN
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var current int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if current >= target {
		return nil
	}
	if current == 0 {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return err
		}
	}
	for _, m := range ms[current:target] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", target)); err != nil {
		return err
	}
	return tx.Commit()
}

// inspect reads an existing database without writing to it and says
// whether this build may use it: its schema version, or an *OpenError.
func inspect(ctx context.Context, db *sql.DB, file string) (int, error) {
	refuse := func(err error) (int, error) {
		if isDamage(err) {
			return 0, &OpenError{Path: file, Reason: ErrDamaged, Want: SchemaVersion(), Err: err}
		}
		return 0, fmt.Errorf("library %s: %w", file, err)
	}
	var version, appID, objects int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return refuse(err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return refuse(err)
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return refuse(err)
	}
	if (appID != 0 && appID != applicationID) || (appID == 0 && objects > 0) {
		return 0, &OpenError{Path: file, Reason: ErrDamaged, Version: version, Want: SchemaVersion(),
			Err: errors.New("it is an SQLite database, but not a Backdrop library")}
	}
	if version > SchemaVersion() {
		return version, &OpenError{Path: file, Reason: ErrTooNew, Version: version, Want: SchemaVersion()}
	}
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return refuse(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return refuse(err)
		}
		if line != "ok" && len(problems) < 3 {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return refuse(err)
	}
	if len(problems) > 0 {
		return 0, &OpenError{Path: file, Reason: ErrDamaged, Version: version, Want: SchemaVersion(),
			Err: errors.New(strings.Join(problems, "; "))}
	}
	return version, nil
}

// isDamage tells SQLite's "this file is broken" apart from errors such as
// a missing permission, which say nothing about the file's content.
func isDamage(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT:
		return true
	}
	return false
}
