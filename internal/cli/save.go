package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"backdrop/internal/job"
	"backdrop/internal/output"
)

// savedImage is one result written to the output folder.
type savedImage struct {
	variant       int
	path          string
	url           string
	width, height int
}

// saveResults writes every result that arrived (each already decoded and
// kept in the cache by the job) into dir as <stem>-bg-<n>.<ext>, never
// over an existing file. Once a result is safely on disk under its final
// name its cache copy is dropped; a result that cannot be written keeps
// its cache copy and is returned as a failure that says where.
func saveResults(res *job.Result, dir, stem string) ([]savedImage, []job.Failure) {
	if res == nil {
		return nil, nil
	}
	var saved []savedImage
	var failed []job.Failure
	for _, img := range res.Images {
		path, err := output.WriteFile(dir, output.VariantName(stem, img.Index, img.Format), bytes.NewReader(img.Data))
		if err != nil {
			err = fmt.Errorf("cannot be written in %s: %v", dir, err)
			if img.Cached != "" {
				err = fmt.Errorf("%v; a copy is kept at %s", err, img.Cached)
			}
			failed = append(failed, job.Failure{Variant: img.Index, URL: img.URL, Err: err})
			continue
		}
		if img.Cached != "" {
			os.Remove(img.Cached)
		}
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		b := img.Image.Bounds()
		saved = append(saved, savedImage{variant: img.Index, path: path, url: img.URL, width: b.Dx(), height: b.Dy()})
	}
	return saved, failed
}
