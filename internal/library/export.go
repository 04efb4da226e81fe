package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"backdrop/internal/output"
)

// ExportRun writes a run's images again into dir, from the library's own
// copies, named <shot>-bg-<n> like the queue's default, never overwriting
// a file (a taken name gets _2, _3…). It returns the paths written.
func (s *Store) ExportRun(ctx context.Context, id ID, dir string) ([]string, error) {
	run, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(run.Images) == 0 {
		return nil, fmt.Errorf("run %d has no images to export", id)
	}
	source := run.Source.Path
	if source == "" {
		source = run.Source.URL
	}
	stem := output.Stem(source)
	var paths []string
	for _, v := range run.Images {
		if err := ctx.Err(); err != nil {
			return paths, err
		}
		path, err := exportFile(v.Path, dir, stem+"-bg-"+strconv.Itoa(v.N)+filepath.Ext(v.Path))
		if err != nil {
			return paths, fmt.Errorf("variant %d of run %d: %w", v.N, id, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func exportFile(src, dir, name string) (string, error) {
	f, err := os.Open(src)
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("the library's copy %s is missing", src)
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	return output.WriteFile(dir, name, f)
}
