package run

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
