package api

import (
	"bytes"
	"fmt"
	"io"
)

// Caps on what is read of an answer.
const (
	// DefaultAnswerLimit caps a JSON answer that carries no image data.
	// Task answers seen are under 2 KB: 4 MB is generous and keeps an
	// endless or runaway body cheap.
	DefaultAnswerLimit = 4 << 20
	// DefaultInlineAnswerLimit caps an answer that carries its results
	// inline as base64 (the provider's return_type=2). Results come at
	// about the input's size; inputs are at most 15 MB and the results
	// seen are 1–3 MB PNGs, so 24 MB per image covers a PNG re-encoding of
	// a large photo. Four images (the batch maximum), 4/3 for base64, and
	// 1 MB for the rest of the JSON make 129 MB. An answer may grow past
	// DefaultAnswerLimit only when its start shows image data, and it is
	// read in chunks with no doubling growth, so an endless body costs
	// DefaultAnswerLimit, or this once when it mimics image data.
	DefaultInlineAnswerLimit = 4*(24<<20)*4/3 + 1<<20
	// maxErrorBytes is how much of an error answer is read: enough for a
	// message or an error page's title.
	maxErrorBytes = 64 << 10
)

// errAnswerTooLarge is an answer over its cap.
type errAnswerTooLarge struct{ limit int64 }

func (e *errAnswerTooLarge) Error() string {
	if e.limit >= 1<<20 {
		return fmt.Sprintf("the answer is larger than %d MB", e.limit>>20)
	}
	return fmt.Sprintf("the answer is larger than %d KB", e.limit>>10)
}

// readAnswer reads a JSON answer of announced length n (-1 if unknown)
// within the caps; an answer past plain is read on only if its start
// shows inline image data.
func readAnswer(r io.Reader, n, plain, inline int64) ([]byte, error) {
	if n > inline {
		return nil, &errAnswerTooLarge{inline}
	}
	if n >= 0 && n <= plain {
		buf := make([]byte, n)
		k, err := fill(r, buf)
		if err == io.EOF && k < len(buf) {
			err = io.ErrUnexpectedEOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		return buf, nil
	}
	limit := plain
	var chunks [][]byte
	var total int64
	size := int64(32 << 10)
	for {
		size = min(size*2, 1<<20, limit+1-total)
		chunk := make([]byte, size)
		k, err := fill(r, chunk)
		chunks = append(chunks, chunk[:k])
		total += int64(k)
		if total > limit {
			if limit == plain && inline > plain && looksInline(bytes.Join(chunks, nil)[:plain]) {
				limit = inline
				continue
			}
			return nil, &errAnswerTooLarge{limit}
		}
		if err == io.EOF {
			return bytes.Join(chunks, nil), nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readError reads the start of an error answer; the rest is not needed.
func readError(r io.Reader) ([]byte, error) {
	buf := make([]byte, maxErrorBytes)
	k, err := fill(r, buf)
	if err == io.EOF {
		err = nil
	}
	return buf[:k], err
}

// fill reads until buf is full, the body ends (io.EOF) or fails.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Starts of a JSON string holding base64 image data: PNG, JPEG (with the
// slash escaped or not), WebP, BMP, GIF, or a data: URI.
var inlineMarks = [][]byte{
	[]byte(`"iVBORw0KGgo`), []byte(`"/9j/`), []byte(`"\/9j\/`), []byte(`"UklGR`),
	[]byte(`"Qk`), []byte(`"R0lGOD`), []byte(`"data:image/`),
}

// looksInline reports whether the start of an answer carries image data.
func looksInline(head []byte) bool {
	for _, m := range inlineMarks {
		if bytes.Contains(head, m) {
			return true
		}
	}
	return false
}
