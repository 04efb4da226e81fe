package run

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"strconv"
	"strings"

	_ "image/jpeg" // shot formats the service accepts
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"backdrop/internal/imagefile"
	"backdrop/internal/output"
)

// prepared is an item checked and ready to send.
type prepared struct {
	sha string // hex sha256 of the shot file, "" for a URL
	key string // skip-done key
}

// work is the item as the DoneIndex sees it.
func (p *prepared) work(s Spec) Work { return Work{Key: p.key, Spec: s, SourceSHA256: p.sha} }

// Check does every check that needs no service, so that nothing is sent
// (and nothing billed) for an item that cannot succeed: the spec is valid,
// the shot is a regular, readable image within the service's limits and
// the pixel limit, and the output folder can be created and written.
func Check(s Spec) error {
	_, err := prepare(s)
	return err
}

func prepare(s Spec) (*prepared, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	p := &prepared{}
	if s.TaskID == "" {
		if s.ImageFile != "" {
			sha, err := checkShot(s.ImageFile)
			if err != nil {
				return nil, err
			}
			p.sha = sha
		}
		if err := s.Request().Validate(); err != nil {
			return nil, err
		}
		p.key = Key(s, p.sha)
	}
	if dir := s.Options.OutDir; dir != "" {
		if err := checkWritable(dir); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkShot refuses what is not a regular file (a FIFO would block the
// open) or claims more pixels than may be decoded, and returns the
// file's sha256.
func checkShot(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("%s does not exist", path)
		}
		return "", fmt.Errorf("cannot read %s: %v", path, err)
	}
	if !info.Mode().IsRegular() {
		if info.IsDir() {
			return "", fmt.Errorf("%s is a folder, not an image", path)
		}
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %v", path, err)
	}
	defer f.Close()
	h := sha256.New()
	cfg, _, err := image.DecodeConfig(io.TeeReader(f, h))
	if err == nil && int64(cfg.Width)*int64(cfg.Height) > imagefile.MaxPixels {
		return "", fmt.Errorf("%s is %d × %d pixels, more than can be opened", path, cfg.Width, cfg.Height)
	}
	// A header that does not decode is left to the service's own check
	// (api's validation below), which words it for the user.
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("cannot read %s: %v", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkWritable makes dir if needed and writes (then removes) a file in it.
func checkWritable(dir string) error {
	t, err := output.CreateTemp(dir)
	if err != nil {
		return fmt.Errorf("the output folder %s cannot be written: %v", dir, unwrapPath(err))
	}
	t.Discard()
	return nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Key identifies a piece of work for skipping what is already done: the
// shot's content (or its URL), the prompt, the variant count and the
// options that change the saved files (format, quality and name
// template). sha is the shot file's hex sha256, ignored for a URL.
func Key(s Spec, sha string) string {
	source := "url:" + strings.TrimSpace(s.ImageURL)
	if s.ImageFile != "" {
		source = "sha256:" + sha
	}
	quality := 0
	if s.Options.format() == JPEG {
		quality = s.Options.Quality
		if quality == 0 {
			quality = DefaultQuality
		}
	}
	h := sha256.New()
	for _, part := range []string{"backdrop-run/2", source, strings.TrimSpace(s.Prompt),
		strconv.Itoa(s.variants()), string(s.Options.format()), strconv.Itoa(quality), s.Options.template()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
