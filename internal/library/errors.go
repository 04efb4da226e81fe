package library

import (
	"errors"
	"fmt"
)

// Reasons a library database is refused. Test with errors.Is.
var (
	// ErrDamaged: the file is not a readable Backdrop library.
	ErrDamaged = errors.New("the library database is damaged")
	// ErrTooNew: the file was written by a newer Backdrop.
	ErrTooNew = errors.New("the library database is from a newer version of Backdrop")
)

// ErrNotFound is returned for a run or variant the library does not hold.
var ErrNotFound = errors.New("not in the library")

// OpenError tells why a library database was refused. The file is left
// exactly as it was found: never replaced, repaired or migrated down.
type OpenError struct {
	Path    string // the database file
	Reason  error  // ErrDamaged or ErrTooNew
	Version int    // the file's schema version, when it could be read
	Want    int    // the newest version this build knows
	Err     error  // what SQLite said, if anything
}

func (e *OpenError) Error() string {
	switch {
	case errors.Is(e.Reason, ErrTooNew):
		return fmt.Sprintf("%v: %s has schema version %d, this build knows up to %d; it was left untouched (update Backdrop, or move the file away to start a new library)",
			e.Reason, e.Path, e.Version, e.Want)
	case e.Err != nil:
		return fmt.Sprintf("%v: %s (%v); it was left untouched (move it away to start a new library)", e.Reason, e.Path, e.Err)
	}
	return fmt.Sprintf("%v: %s; it was left untouched (move it away to start a new library)", e.Reason, e.Path)
}

// Unwrap lets errors.Is match the reason and SQLite's error.
func (e *OpenError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Reason}
	}
	return []error{e.Reason, e.Err}
}

// CapError is returned by CheckCap when a create would pass the daily cap.
type CapError struct {
	Cap  int // images a day
	Used int // billed today, plus those of creates under way
	Want int // images the new create would add
}

func (e *CapError) Error() string {
	return fmt.Sprintf("daily cap reached: %d of %d images used today, this run would add %d (raise the cap in Settings, or wait until tomorrow)",
		e.Used, e.Cap, e.Want)
}
