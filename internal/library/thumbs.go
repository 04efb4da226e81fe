package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"backdrop/internal/imagefile"
)

// Thumbnails are made once per variant, off the caller's thread: a worker
// started by Open makes those missing (newest runs first) whenever a run
// ends and once at start, for any left by a crash. Thumbnail makes one on
// demand when the worker has not got to it yet.

// ErrNoThumbnail: the variant's image could not be read to make one.
var ErrNoThumbnail = errors.New("no thumbnail: the image cannot be read")

func (s *Store) wakeThumbnails() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// thumbnailLoop makes the missing thumbnails each time it is woken, each
// tried once per wake-up (a cursor walks past those that fail).
func (s *Store) thumbnailLoop(ctx context.Context) {
	defer s.done.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		after := variantRef{id: 1<<63 - 1}
		for ctx.Err() == nil {
			pending, err := s.pendingThumbnails(ctx, after, 16)
			if err != nil || len(pending) == 0 {
				break
			}
			for _, p := range pending {
				if ctx.Err() != nil {
					break
				}
				s.Thumbnail(ctx, p.id, p.n)
			}
			after = pending[len(pending)-1]
		}
	}
}

type variantRef struct {
	id ID
	n  int
}

// pendingThumbnails lists variants without a thumbnail after the cursor,
// newest runs first.
func (s *Store) pendingThumbnails(ctx context.Context, after variantRef, limit int) ([]variantRef, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT run_id, n FROM variants
		WHERE thumb_path = '' AND thumb_failed = 0 AND (run_id < ? OR (run_id = ? AND n > ?))
		ORDER BY run_id DESC, n LIMIT ?`, after.id, after.id, after.n, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var refs []variantRef
	for rows.Next() {
		var r variantRef
		if err := rows.Scan(&r.id, &r.n); err != nil {
			return nil, err
		}
		refs = append(refs, r)
	}
	return refs, rows.Err()
}

// ThumbnailsPending counts the variants whose thumbnail is still to make.
func (s *Store) ThumbnailsPending(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM variants WHERE thumb_path = '' AND thumb_failed = 0").Scan(&n)
	return n, err
}

// Thumbnail returns the path of variant n's thumbnail (a JPEG at most the
// thumbnail size on its long side), making it first if needed. It decodes
// a full image, so call it off the UI thread.
func (s *Store) Thumbnail(ctx context.Context, id ID, n int) (string, error) {
	var kept, thumb string
	var failed bool
	err := s.r.QueryRowContext(ctx, "SELECT kept_path, thumb_path, thumb_failed FROM variants WHERE run_id = ? AND n = ?", id, n).
		Scan(&kept, &thumb, &failed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("variant %d of run %d: %w", n, id, ErrNotFound)
	}
	if err != nil {
		return "", err
	}
	if failed {
		return "", ErrNoThumbnail
	}
	if thumb != "" {
		if _, err := os.Stat(s.abs(thumb)); err == nil {
			return s.abs(thumb), nil
		}
	}
	return s.thumbs.do(strconv.FormatInt(int64(id), 10)+"/"+strconv.Itoa(n), func() (string, error) {
		return s.makeThumbnail(ctx, id, n, kept)
	})
}

func (s *Store) makeThumbnail(ctx context.Context, id ID, n int, kept string) (string, error) {
	data, err := os.ReadFile(s.abs(kept))
	var img image.Image
	if err == nil {
		img, err = imagefile.DecodeImage(data)
	}
	if err != nil {
		// Unreadable or gone (a run deleted meanwhile matches no row).
		s.w.ExecContext(ctx, "UPDATE variants SET thumb_failed = 1 WHERE run_id = ? AND n = ? AND kept_path = ?", id, n, kept)
		return "", fmt.Errorf("%w (%v)", ErrNoThumbnail, err)
	}
	w, h := fitSize(img.Bounds().Dx(), img.Bounds().Dy(), s.side)
	small := resize(img, w, h)
	name := filepath.Join(s.imagesDir(id), strconv.Itoa(n)+".thumb.jpg")
	tmp, err := os.CreateTemp(s.imagesDir(id), ".thumb-*.part") // the folder is gone if the run was deleted
	if err != nil {
		return "", err
	}
	err = jpeg.Encode(tmp, small, &jpeg.Options{Quality: 85})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	res, err := s.w.ExecContext(ctx, "UPDATE variants SET thumb_path = ? WHERE run_id = ? AND n = ? AND kept_path = ?",
		s.relPath(name), id, n, kept)
	if err != nil {
		return "", err
	}
	if rows, _ := res.RowsAffected(); rows == 0 {
		os.Remove(name)
		return "", fmt.Errorf("variant %d of run %d: %w", n, id, ErrNotFound)
	}
	return name, nil
}

// flight runs one call per key at a time; callers of a key already in
// progress wait for its result instead of doing the work again.
type flight struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

type flightCall struct {
	done chan struct{}
	val  string
	err  error
}

func (f *flight) do(key string, fn func() (string, error)) (string, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]*flightCall{}
	}
	if c, ok := f.calls[key]; ok {
		f.mu.Unlock()
		<-c.done
		return c.val, c.err
	}
	c := &flightCall{done: make(chan struct{})}
	f.calls[key] = c
	f.mu.Unlock()
	c.val, c.err = fn()
	f.mu.Lock()
	delete(f.calls, key)
	f.mu.Unlock()
	close(c.done)
	return c.val, c.err
}
