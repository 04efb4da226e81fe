package run

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"backdrop/api"
	"backdrop/internal/output"
)

// downloadTries bounds how many times the queue downloads one result (the
// client retries within each).
const downloadTries = 2

// saveVariant downloads result n, keeps it in the cache folder, checks
// that it decodes whole (within the pixel limit), then saves it into the
// output folder under the item's name template, without overwriting.
func (q *Queue) saveVariant(a *attempt, taskID string, n int, ref string) (Variant, error) {
	v := Variant{N: n}
	if api.IsURL(ref) {
		v.URL = ref
	}
	// Decoding takes memory in proportion to the pixels: a few at a time
	// (Config.Decoders), held from the decode until the file to save is
	// made, when the decoded image is let go.
	held := false
	release := func() {
		if held {
			held = false
			<-q.decode
		}
	}
	defer release()
	got, err := fetchResult(a.runCtx, q.cfg.Backend, q.cfg.CacheDir, taskID, n, ref, func(data []byte) (image.Image, error) {
		select {
		case q.decode <- struct{}{}:
		case <-a.runCtx.Done():
			return nil, a.runCtx.Err()
		}
		decoded, err := decodeResult(data)
		if err != nil {
			<-q.decode
			return nil, err
		}
		held = true
		return decoded, nil
	})
	if err != nil {
		return v, err
	}
	if got.KeepErr != nil {
		q.warn(a.it.id, fmt.Sprintf("variant %d was not kept in the cache: %v", n, got.KeepErr))
	}
	data, cached, img := got.Data, got.Cached, got.Image
	v.CachedPath = cached
	b := img.Bounds()
	v.Width, v.Height = b.Dx(), b.Dy()
	v.Format, v.Bytes = api.SniffImage(data), int64(len(data))
	dir := a.spec.Options.OutDir
	if dir == "" {
		return v, nil
	}
	file, format, err := encode(img, data, a.spec.Options)
	img, got.Image = nil, nil
	release()
	if err != nil {
		return v, fmt.Errorf("cannot encode the image: %v", err)
	}
	q.mu.Lock()
	started := a.it.started
	q.mu.Unlock()
	stem := taskID
	if src := a.spec.Source(); src != "" {
		stem = output.Stem(src)
	}
	name := output.ExpandTemplate(a.spec.Options.Template, output.NameFields{
		Name: stem, N: n, Prompt: a.spec.Prompt, Time: started, Task: taskID,
	}) + output.ExtFor(format)
	path, err := q.saveOnce(a, dir, name, file)
	if err != nil {
		return v, fmt.Errorf("cannot save into %s: %v", dir, unwrapPath(err))
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	v.SavedPath, v.Format, v.Bytes = path, format, int64(len(file))
	return v, nil
}

// Results that arrived whole but cannot be used: downloaded again, since a
// body cut short by a proxy can look like either.
var (
	errUnusable = errors.New("the service sent an unusable image")
	errNotImage = errors.New("the service sent something that is not an image")
)

// retryableDownload: worth downloading again after try (0-based): once,
// a result that arrived whole as far as the client could tell but does
// not decode (a body mangled on the way can look like that). The
// client's own failures (resets, 5xx, a body cut short) it has already
// retried itself, within its bounds.
func retryableDownload(err error, try int) bool {
	return try == 0 && (errors.Is(err, errUnusable) || errors.Is(err, errNotImage))
}

// cacheStem is a task id made safe as a file name.
func cacheStem(taskID string) string {
	if taskID == "" {
		return "task"
	}
	return output.SanitizeName(taskID)
}

// encode returns the file to save and its content type: the service's
// own bytes when they are already in the format asked for (and no JPEG
// quality was set), else PNG, or JPEG flattened on white at the quality.
func encode(img image.Image, data []byte, o Options) ([]byte, string, error) {
	src := api.SniffImage(data)
	var buf bytes.Buffer
	switch o.format() {
	case JPEG:
		if src == "image/jpeg" && o.Quality == 0 {
			return data, src, nil
		}
		quality := o.Quality
		if quality == 0 {
			quality = DefaultQuality
		}
		flat := image.NewRGBA(img.Bounds())
		draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Over)
		err := jpeg.Encode(&buf, flat, &jpeg.Options{Quality: quality})
		return buf.Bytes(), "image/jpeg", err
	default:
		if src == "image/png" {
			return data, src, nil
		}
		err := png.Encode(&buf, img)
		return buf.Bytes(), "image/png", err
	}
}

// saveOnce writes file into dir under name (never over another file). An
// item fetching a task made earlier (resumed after a crash) may find the
// very file already there, written by the process that died before it
// could record it: that file is used, not written a second time.
func (q *Queue) saveOnce(a *attempt, dir, name string, file []byte) (string, error) {
	if a.spec.TaskID != "" {
		if path := sameFile(dir, name, file); path != "" {
			return path, nil
		}
	}
	return writeFile(dir, name, file)
}

// sameFile finds dir/name, or one of the names Keep gives instead of
// overwriting (name_2…), holding exactly data.
func sameFile(dir, name string, data []byte) string {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i <= 20; i++ {
		candidate := name
		if i > 1 {
			candidate = stem + "_" + strconv.Itoa(i) + ext
		}
		path := filepath.Join(dir, candidate)
		info, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			return ""
		}
		if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(data)) {
			continue
		}
		if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, data) {
			return path
		}
	}
	return ""
}
