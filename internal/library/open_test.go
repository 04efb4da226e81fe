package library

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
)

func TestOpenMakesACurrentWALDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "deep", "backdrop")
	s := openStore(t, dir)
	var version, appID int
	var mode string
	s.r.QueryRow("PRAGMA user_version").Scan(&version)
	s.r.QueryRow("PRAGMA application_id").Scan(&appID)
	s.r.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if version != SchemaVersion() || version < 2 || appID != applicationID || mode != "wal" {
		t.Fatalf("version %d, application id %#x, journal %q", version, appID, mode)
	}
	if s.Path() != filepath.Join(dir, DatabaseName) || s.Dir() != dir {
		t.Fatalf("paths %s %s", s.Dir(), s.Path())
	}
	// Reopening an up-to-date library changes nothing and works.
	s.Close()
	s2 := openStore(t, dir)
	if _, err := s2.Added(context.Background(), NewRun{Prompt: "p", Variants: 1}); err != nil {
		t.Fatal(err)
	}
}

// A library written by the first schema is upgraded, and what it held is
// found by the features the later migrations add (search).
func TestMigratesFromVersion1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, DatabaseName)
	db, err := openDB(file, "&_txlock=immediate", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, 1); err != nil {
		t.Fatal(err)
	}
	var version int
	db.QueryRow("PRAGMA user_version").Scan(&version)
	if version != 1 {
		t.Fatalf("version %d after migrating to 1", version)
	}
	if _, err := db.Exec(`INSERT INTO runs (source_path, source_hash, source_name, prompt, variants, skip_key, backend, state, added_ms)
		VALUES ('/shots/teapot.png', 'abc', 'teapot.png', 'sunset over dunes', 2, 'k', 'api.example.com', 'done', 1000)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO variants (run_id, n, kept_path, width, height, format, saved_ms) VALUES (1, 1, 'images/1/1.png', 10, 10, 'image/png', 2000)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := openStore(t, dir)
	s.r.QueryRow("PRAGMA user_version").Scan(&version)
	if version != SchemaVersion() {
		t.Fatalf("version %d after Open, want %d", version, SchemaVersion())
	}
	for _, q := range []string{"dunes", "teapot", "SUN"} {
		page, err := s.List(ctx, Query{Search: q})
		if err != nil || len(page.Runs) != 1 || len(page.Runs[0].Images) != 1 {
			t.Fatalf("search %q in the migrated library: %+v %v", q, page, err)
		}
	}
	// New runs land after the old ones and are searchable too.
	if _, err := s.Added(ctx, NewRun{Source: Source{Path: "/shots/teapot.png", Hash: "abc"}, Prompt: "dunes at night", Variants: 1}); err != nil {
		t.Fatal(err)
	}
	if page, _ := s.List(ctx, Query{Search: "dunes"}); len(page.Runs) != 2 || page.Runs[0].ID != 2 {
		t.Fatalf("after a new run: %+v", page.Runs)
	}
}

// snapshot is every file of a folder with its content.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			files[e.Name()] = fileBytes(t, filepath.Join(dir, e.Name()))
		}
	}
	return files
}

func sameFiles(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	var names []string
	for n := range after {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(before) != len(after) {
		t.Fatalf("files before %d, after %d: %v", len(before), len(after), names)
	}
	for n, b := range before {
		if !bytes.Equal(after[n], b) {
			t.Fatalf("%s changed", n)
		}
	}
}

func refuse(t *testing.T, dir string, reason error) *OpenError {
	t.Helper()
	before := snapshot(t, dir)
	s, err := Open(dir)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted the database")
	}
	var oe *OpenError
	if !errors.As(err, &oe) || !errors.Is(err, reason) {
		t.Fatalf("error %v (%T), want an *OpenError for %v", err, err, reason)
	}
	if oe.Path != filepath.Join(dir, DatabaseName) || !bytes.Contains([]byte(err.Error()), []byte(oe.Path)) {
		t.Fatalf("the error does not name the file: %v", err)
	}
	sameFiles(t, before, snapshot(t, dir))
	t.Log(err)
	return oe
}

func TestRefusesANewerLibraryAndLeavesItAlone(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	recordData(context.Background(), s, "kept", 1)
	s.Close()
	db, _ := sql.Open("sqlite", filepath.Join(dir, DatabaseName))
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	oe := refuse(t, dir, ErrTooNew)
	if oe.Version != SchemaVersion()+1 || oe.Want != SchemaVersion() {
		t.Fatalf("versions in the error: %+v", oe)
	}
	// Twice: a refused open must not have left anything that changes the next.
	refuse(t, dir, ErrTooNew)
}

func TestRefusesADamagedLibraryAndLeavesItAlone(t *testing.T) {
	t.Run("not a database", func(t *testing.T) {
		dir := t.TempDir()
		junk := make([]byte, 8192)
		rand.Read(junk)
		os.WriteFile(filepath.Join(dir, DatabaseName), junk, 0o644)
		refuse(t, dir, ErrDamaged)
	})
	t.Run("truncated header", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, DatabaseName), []byte("SQLite format 3\x00\x10\x00"), 0o644)
		refuse(t, dir, ErrDamaged)
	})
	t.Run("pages overwritten", func(t *testing.T) {
		dir := t.TempDir()
		s, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 200 {
			s.Added(context.Background(), NewRun{Prompt: fmt.Sprintf("a long enough prompt to fill pages %d %0200d", i, i), Variants: 1})
		}
		s.Close()
		file := filepath.Join(dir, DatabaseName)
		b := fileBytes(t, file)
		if len(b) < 8*4096 {
			t.Fatalf("database of %d bytes is too small for the test", len(b))
		}
		schemaIntact := append([]byte(nil), b...)
		for i := 2 * 4096; i < 6*4096; i++ { // pages 3 to 6: tables and the index
			b[i] = byte(i * 7)
		}
		os.WriteFile(file, b, 0o644)
		refuse(t, dir, ErrDamaged)

		// Damage past the schema, found only by checking every page.
		for i := len(schemaIntact) - 3*4096; i < len(schemaIntact)-4096; i++ {
			schemaIntact[i] = 0xff
		}
		os.WriteFile(file, schemaIntact, 0o644)
		refuse(t, dir, ErrDamaged)
	})
	t.Run("another program's database", func(t *testing.T) {
		dir := t.TempDir()
		db, _ := sql.Open("sqlite", filepath.Join(dir, DatabaseName))
		if _, err := db.Exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)"); err != nil {
			t.Fatal(err)
		}
		db.Close()
		refuse(t, dir, ErrDamaged)
	})
}

func TestDefaultDirHonoursXDG(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG applies to Linux and the BSDs")
	}
	t.Setenv("HOME", "/home/ana")
	for xdg, want := range map[string]string{
		"/data/home":    "/data/home/backdrop",
		"":              "/home/ana/.local/share/backdrop",
		"relative/path": "/home/ana/.local/share/backdrop", // the spec says to ignore it
	} {
		t.Setenv("XDG_DATA_HOME", xdg)
		if dir, err := DefaultDir(); err != nil || dir != want {
			t.Errorf("XDG_DATA_HOME=%q: DefaultDir = %q, %v; want %q", xdg, dir, err, want)
		}
	}
}
