package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

// DatabaseName is the database file inside the library folder.
const DatabaseName = "library.db"

// busyTimeout is how long a write waits for another process's write.
const busyTimeout = 10 * time.Second

// Store is an open library. Its methods may be called from any goroutine.
type Store struct {
	dir  string
	file string
	w    *sql.DB // the one writing connection; transactions are IMMEDIATE
	r    *sql.DB // readers (WAL lets them run beside the writer)
	now  func() time.Time
	side int // thumbnail size
	// noThumbWorker: thumbnails are made on demand only (a short-lived
	// process, the CLI, leaves the rest to the window's worker).
	noThumbWorker bool
	session       *session

	stmt      statements
	thumbs    flight
	wake      chan struct{}
	stop      context.CancelFunc // ends the thumbnail worker
	done      sync.WaitGroup
	closeOnce sync.Once
}

// Option changes how a Store is opened.
type Option func(*Store)

// WithClock sets the clock that stamps runs and decides what "today" and
// "an hour old" mean (the clock's location is the local time zone).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithThumbnailSize sets the long side of thumbnails in pixels (default 256).
func WithThumbnailSize(px int) Option {
	return func(s *Store) {
		if px > 0 {
			s.side = px
		}
	}
}

// WithoutThumbnailWorker makes thumbnails only when Thumbnail asks, with
// no worker making them in the background: for a short-lived process (the
// CLI), whose runs' thumbnails the window's worker makes when it opens.
func WithoutThumbnailWorker() Option { return func(s *Store) { s.noThumbWorker = true } }

// Open opens the library in dir (see DefaultDir), creating or upgrading it.
// A database that is damaged or written by a newer Backdrop is refused with
// an *OpenError naming its path, and is not changed in any way.
func Open(dir string, opts ...Option) (*Store, error) {
	s := &Store{dir: dir, file: filepath.Join(dir, DatabaseName), now: time.Now, side: 256,
		wake: make(chan struct{}, 1)}
	for _, o := range opts {
		o(s)
	}
	if strings.ContainsAny(s.file, "?#") {
		return nil, fmt.Errorf("library folder %q: the name may not contain ? or #", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	var err error
	if s.w, err = openDB(s.file, "&_txlock=immediate", 1); err != nil {
		return nil, err
	}
	if s.r, err = openDB(s.file, "&_pragma=query_only(1)", 4); err != nil {
		s.w.Close()
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		s.r.Close()
		s.w.Close()
		return nil, err
	}
	if err := s.stmt.prepare(ctx, s.w); err != nil {
		s.r.Close()
		s.w.Close()
		return nil, fmt.Errorf("library %s: %w", s.file, err)
	}
	if s.session, err = startSession(dir); err != nil {
		s.stmt.close()
		s.r.Close()
		s.w.Close()
		return nil, fmt.Errorf("library %s: %w", dir, err)
	}
	sweepSessions(dir, s.session.token)
	var workCtx context.Context
	workCtx, s.stop = context.WithCancel(context.Background())
	if s.noThumbWorker {
		return s, nil
	}
	s.done.Add(1)
	go s.thumbnailLoop(workCtx)
	s.wakeThumbnails() // finish any left by a crash
	return s, nil
}

// openDB opens a pool on file. In WAL mode, synchronous=NORMAL makes each
// commit safe from a crash or kill of the app (the OS holds the write) but
// flushes to the disk only at checkpoints; the commits that must also
// survive a power cut (before a paid create, and its task ID) go through
// execDurable.
func openDB(file, extra string, conns int) (*sql.DB, error) {
	dsn := fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)%s",
		file, busyTimeout.Milliseconds(), extra)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// check refuses a database this build must not touch, reading it through
// a connection of its own that writes nothing.
func (s *Store) check(ctx context.Context) error {
	if fi, err := os.Stat(s.file); err != nil || fi.Size() == 0 {
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("library %s: %w", s.file, err)
		}
		return nil // new
	}
	db, err := openDB(s.file, "", 1)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = inspect(ctx, db, s.file)
	return err
}

// prepare turns on WAL (kept in the file) and migrates.
func (s *Store) prepare(ctx context.Context) error {
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return fmt.Errorf("library %s: %w", s.file, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("library %s: cannot use WAL mode (the journal is %q)", s.file, mode)
	}
	// Another process may have changed the file since check: look again
	// through the writer before migrating.
	if _, err := inspect(ctx, s.w, s.file); err != nil {
		return err
	}
	if err := migrate(ctx, s.w, SchemaVersion()); err != nil {
		return fmt.Errorf("library %s: %w", s.file, err)
	}
	return nil
}

// execDurable runs one statement on the writer and has it on the disk, not
// just in the OS's cache, when it returns.
func (s *Store) execDurable(ctx context.Context, query string, args ...any) (sql.Result, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
		return nil, err
	}
	defer conn.ExecContext(context.Background(), "PRAGMA synchronous = NORMAL")
	return conn.ExecContext(ctx, query, args...)
}

// Dir is the library folder.
func (s *Store) Dir() string { return s.dir }

// Path is the database file.
func (s *Store) Path() string { return s.file }

// Close stops the thumbnail worker and closes the database. Runs still
// under way are picked up by the next Resume.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.stop()
		s.done.Wait()
		s.stmt.close()
		err = errors.Join(s.r.Close(), s.w.Close())
		s.session.end()
	})
	return err
}

// ms is a time as stored: Unix milliseconds, 0 for none.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS is the inverse of ms, in the clock's location.
func (s *Store) fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).In(s.now().Location())
}

// abs turns a path stored relative to the library folder into a full one.
func (s *Store) abs(rel string) string {
	if rel == "" || filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(s.dir, filepath.FromSlash(rel))
}

// statements are the recorder's writes, parsed once (the FTS triggers make
// parsing the insert cost more than running it).
type statements struct {
	addRun, saveVariant *sql.Stmt
}

func (st *statements) prepare(ctx context.Context, db *sql.DB) error {
	var err error
	st.addRun, err = db.PrepareContext(ctx, `INSERT INTO runs
		(owner, source_path, source_hash, source_url, source_name, prompt, variants, options, skip_key, backend, state, added_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	st.saveVariant, err = db.PrepareContext(ctx, `INSERT INTO variants
		(run_id, n, kept_path, cached_path, saved_path, width, height, format, saved_ms)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?)
		ON CONFLICT (run_id, n) DO UPDATE SET kept_path = excluded.kept_path, cached_path = excluded.cached_path,
			saved_path = excluded.saved_path, width = excluded.width, height = excluded.height,
			format = excluded.format, saved_ms = excluded.saved_ms, thumb_path = '', thumb_failed = 0`)
	return err
}

func (st *statements) close() {
	for _, s := range []*sql.Stmt{st.addRun, st.saveVariant} {
		if s != nil {
			s.Close()
		}
	}
}
