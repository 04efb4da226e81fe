package run

import (
	"fmt"

	"backdrop/api"
)

// Variant is one result image, kept and saved.
type Variant struct {
	N          int    // 1-based variant number
	CachedPath string // the copy in the cache folder, as the service sent it ("" if it could not be kept)
	SavedPath  string // the file in the output folder ("" when the item has no output folder)
	Bytes      int64  // size of the saved file (of the cached one when not saved)
	Format     string // content type of the saved file, e.g. "image/png"
	Width      int
	Height     int
	URL        string // where it came from, when the service sent a URL
}

// Path is the file to show or open: the saved one, else the cached one.
func (v Variant) Path() string {
	if v.SavedPath != "" {
		return v.SavedPath
	}
	return v.CachedPath
}

// VariantError is one result that did not arrive or could not be saved;
// an item's error joins one per variant (errors.Join). Its text leaves
// the link out: a link may carry secrets, printed redacted by the caller.
type VariantError struct {
	N   int    // 1-based
	URL string // the result link; "" for inline data
	Err error
}

func (e *VariantError) Error() string { return fmt.Sprintf("variant %d: %v", e.N, e.Err) }

func (e *VariantError) Unwrap() error { return e.Err }

// VariantErrors lists the variants that failed in err, in order.
func VariantErrors(err error) []*VariantError {
	var out []*VariantError
	var walk func(error)
	walk = func(err error) {
		if ve, ok := err.(*VariantError); ok {
			out = append(out, ve)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			if e := u.Unwrap(); e != nil {
				walk(e)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

func urlOf(ref string) string {
	if api.IsURL(ref) {
		return ref
	}
	return ""
}
