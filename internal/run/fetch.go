package run

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"

	"backdrop/api"
	"backdrop/internal/imagefile"
	"backdrop/internal/output"
)

// Downloader is the part of the client that downloads a result (a URL or
// inline data) into w.
type Downloader interface {
	Download(ctx context.Context, ref string, w io.Writer) (int64, error)
}

// Fetched is one result: downloaded, decoded whole within the pixel
// limit, and kept in the cache folder.
type Fetched struct {
	Data   []byte      // the file as the service sent it
	Format string      // its content type, e.g. "image/png"
	Image  image.Image // decoded
	URL    string      // where it came from, when the service sent a URL
	// Cached is the copy in the cache folder; "" when the folder could
	// not keep it (KeepErr says why; the image is still here, in memory).
	Cached  string
	KeepErr error
}

// FetchResult gets result n (1-based) of task taskID from ref: the one
// path every result of the app takes. The download goes into a temporary
// file of cacheDir; a download that breaks, or gives something that does
// not decode whole, is tried again from the start a few times (only what
// may change by asking again: never an expired link, a refused redirect
// or a result over the size cap); the cache copy gets its final name only
// once the image decoded, so no partial file is ever left.
func FetchResult(ctx context.Context, d Downloader, cacheDir, taskID string, n int, ref string) (Fetched, error) {
	return fetchResult(ctx, d, cacheDir, taskID, n, ref, decodeResult)
}

// decodeResult decodes a whole result within the pixel limit.
func decodeResult(data []byte) (image.Image, error) {
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		if err := imagefile.CheckPixels(cfg.Width, cfg.Height); err != nil {
			return nil, fmt.Errorf("the service sent an image that cannot be used: %v", err) // asking again gives the same
		}
	}
	img, err := imagefile.DecodeImage(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnusable, err)
	}
	return img, nil
}

func fetchResult(ctx context.Context, d Downloader, cacheDir, taskID string, n int, ref string, decode func([]byte) (image.Image, error)) (Fetched, error) {
	var last error
	for try := 0; try < downloadTries; try++ {
		if try > 0 && !sleepCtx(ctx, backoff(try-1)) {
			return Fetched{}, last // the failure being waited out
		}
		data, tmp, err := downloadOnce(ctx, d, cacheDir, ref)
		var img image.Image
		format := ""
		if err == nil {
			if format = api.SniffImage(data); format == "" {
				err = errNotImage
			} else {
				img, err = decode(data)
			}
		}
		if err == nil {
			f := Fetched{Data: data, Format: format, Image: img}
			if api.IsURL(ref) {
				f.URL = ref
			}
			if tmp != nil {
				name := fmt.Sprintf("%s-%d%s", cacheStem(taskID), n, output.ExtFor(format))
				f.Cached, f.KeepErr = tmp.Keep(name)
				if f.KeepErr == nil {
					if abs, err := filepath.Abs(f.Cached); err == nil {
						f.Cached = abs
					}
				}
			} else {
				f.KeepErr = fmt.Errorf("the cache folder %s cannot be written", cacheDir)
			}
			return f, nil
		}
		if tmp != nil {
			tmp.Discard()
		}
		last = err
		if ctx.Err() != nil {
			return Fetched{}, err
		}
		if !api.IsURL(ref) || !retryableDownload(err, try) {
			return Fetched{}, err
		}
	}
	return Fetched{}, last
}

// downloadOnce downloads once, into a temporary file of the cache folder
// (or memory when that cannot be made), and returns the bytes.
func downloadOnce(ctx context.Context, d Downloader, cacheDir, ref string) ([]byte, *output.Temp, error) {
	tmp, err := createTemp(cacheDir)
	if err != nil {
		var buf bytes.Buffer
		if _, err := d.Download(ctx, ref, &buf); err != nil {
			return nil, nil, err
		}
		return buf.Bytes(), nil, nil
	}
	if _, err := d.Download(ctx, ref, tmp); err != nil {
		return nil, tmp, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, tmp, err
	}
	data, err := io.ReadAll(tmp)
	return data, tmp, err
}

// DefaultCacheDir is where results are kept the moment they arrive,
// before anything else is done with them.
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "backdrop", "results")
}
