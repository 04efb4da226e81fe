package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// IsURL reports whether a result reference is an http(s) URL rather than
// inline base64 data.
func IsURL(ref string) bool {
	return strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://")
}

// Download writes one result image to w: ref is an entry of Task.Images, a
// presigned URL or base64 data. The token is not sent: result URLs carry
// their own signature and may be on another host.
//
// w receives the whole image in one Write, or nothing: each try is kept in
// memory (up to the download cap; a larger image gives ErrTooLarge) and
// written only once it is complete, its length matches Content-Length, and
// a PNG, JPEG, WebP or BMP is not visibly cut. A reset, a stall (the idle
// limit), a cut body, 408, 429 or 5xx starts the file again, at most
// WithDownloadRetries times. A link the host refuses (403, 404, 410) is an
// *ExpiredLinkError, not tried again.
func (c *Client) Download(ctx context.Context, ref string, w io.Writer) (int64, error) {
	n, err := c.download(ctx, ref, w)
	return n, c.seal(err)
}

func (c *Client) download(ctx context.Context, ref string, w io.Writer) (int64, error) {
	if !IsURL(ref) {
		return c.decodeInline(ref, w)
	}
	for attempt := 0; ; attempt++ {
		data, wait, err := c.downloadOnce(ctx, ref)
		if err == nil {
			n, err := w.Write(data)
			return int64(n), err
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if wait < 0 || attempt >= c.downloadRetries {
			return 0, err
		}
		if wait == 0 {
			wait = c.backoff(attempt)
		}
		if err := sleep(ctx, wait); err != nil {
			return 0, err
		}
	}
}

// downloadOnce tries one GET and returns the whole body. wait < 0 means
// trying again cannot help; wait > 0 is the delay the host asked for.
func (c *Client) downloadOnce(ctx context.Context, ref string) ([]byte, time.Duration, error) {
	rctx, wd := c.watch(ctx, c.timeouts.DownloadHeaders, false)
	defer wd.stop()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, ref, nil)
	if err != nil {
		return nil, -1, &ProtocolError{Op: opDownload, Reason: "the result link is not a valid URL", redact: c.Redact}
	}
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.hc.Do(req)
	if err != nil {
		err = c.networkError(ctx, rctx, wd, opDownload, req.URL, err)
		if !retryableFailure(http.MethodGet, err) {
			return nil, -1, err
		}
		return nil, 0, err
	}
	defer resp.Body.Close()
	body := watchedReader{resp.Body, wd}
	host := c.cleanText(req.URL.Host, 120)
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
	case code == http.StatusForbidden || code == http.StatusNotFound || code == http.StatusGone:
		msg, _ := readError(body)
		detail := c.cleanText(errorText(msg), maxMessageRunes)
		return nil, -1, &ExpiredLinkError{HTTPStatus: code, Host: host, Detail: detail, redact: c.Redact,
			answer: &Error{HTTPStatus: code, Message: "downloading a result: " + detail, redact: c.Redact}}
	default:
		msg, _ := readError(body)
		e := &Error{HTTPStatus: code, Message: "downloading a result: " + c.cleanText(errorText(msg), maxMessageRunes), redact: c.Redact}
		if !retryableStatus(http.MethodGet, code) {
			return nil, -1, e
		}
		wait, _ := retryAfter(resp.Header, time.Now())
		if wait > c.maxRetryWait {
			return nil, -1, e
		}
		return nil, wait, e
	}
	if resp.ContentLength > c.maxDownload {
		return nil, -1, ErrTooLarge
	}
	data, err := readAnswer(body, resp.ContentLength, c.maxDownload, c.maxDownload)
	var big *errAnswerTooLarge
	switch {
	case errors.As(err, &big):
		return nil, -1, ErrTooLarge
	case err != nil:
		return nil, 0, c.networkError(ctx, rctx, wd, opDownload, req.URL, err)
	case resp.ContentLength >= 0 && int64(len(data)) != resp.ContentLength, !looksWhole(data):
		return nil, 0, &NetworkError{Op: opDownload, Host: host, Phase: phaseReading.String(), Reason: ErrTruncated.Error(),
			Err: ErrTruncated, sent: true, redact: c.Redact}
	}
	return data, 0, nil
}

// errorText is the telling part of an error body: its JSON message, an
// HTML/XML page's title, or its first line.
func errorText(body []byte) string {
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		var e *Error
		if _, err := decodeAnswer(http.StatusBadRequest, body); errors.As(err, &e) && e.Message != "" {
			return e.Message
		}
	}
	return reduceBody(body)
}

// looksWhole reports whether image data is not visibly cut: a PNG ends
// with its IEND chunk, a JPEG with its end marker (padding allowed), a
// WebP or BMP is as long as its header says. Other data is taken as is
// (the caller decodes it).
func looksWhole(data []byte) bool {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return bytes.HasSuffix(data, []byte("IEND\xaeB`\x82"))
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		end := bytes.TrimRight(data, "\x00\r\n\t ")
		return bytes.HasSuffix(end, []byte("\xff\xd9"))
	case len(data) >= 12 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP":
		return uint64(binary.LittleEndian.Uint32(data[4:8]))+8 <= uint64(len(data))
	case len(data) >= 6 && bytes.HasPrefix(data, []byte("BM")):
		size := binary.LittleEndian.Uint32(data[2:6])
		return size == 0 || uint64(size) <= uint64(len(data))
	}
	return true
}

// decodeInline writes base64 image data (optionally a data: URI).
func (c *Client) decodeInline(ref string, w io.Writer) (int64, error) {
	data := strings.TrimSpace(ref)
	if strings.HasPrefix(data, "data:") {
		i := strings.Index(data, ",")
		if i < 0 {
			return 0, &ProtocolError{Op: opDownload, HTTPStatus: http.StatusOK, Reason: "a result is a malformed data: URI", redact: c.Redact}
		}
		data = data[i+1:]
	}
	data = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, data)
	if int64(base64.StdEncoding.DecodedLen(len(data))) > c.maxDownload+3 {
		return 0, ErrTooLarge
	}
	raw, err := decodeBase64(data)
	if err != nil {
		return 0, &ProtocolError{Op: opDownload, HTTPStatus: http.StatusOK, Reason: "a result is neither a link nor base64 image data", redact: c.Redact}
	}
	if int64(len(raw)) > c.maxDownload {
		return 0, ErrTooLarge
	}
	n, err := w.Write(raw)
	return int64(n), err
}

var base64Encodings = []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding}

func decodeBase64(s string) ([]byte, error) {
	var err error
	for _, enc := range base64Encodings {
		var raw []byte
		if raw, err = enc.DecodeString(s); err == nil {
			return raw, nil
		}
	}
	return nil, err
}

// isInlineImage reports whether a result reference is image data rather
// than a link or a path: a data: URI, or base64 whose first bytes decode
// to the magic bytes of an image format.
func isInlineImage(ref string) bool {
	s := strings.TrimSpace(ref)
	if strings.HasPrefix(s, "data:") {
		return true
	}
	head := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s[:min(len(s), 96)])
	head = head[:len(head)/4*4]
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		if raw, err := enc.DecodeString(head); err == nil && imageMagic(raw) {
			return true
		}
	}
	return false
}

// imageMagic reports whether data starts like an image file.
func imageMagic(data []byte) bool {
	return SniffImage(data) != "" || bytes.HasPrefix(data, []byte("GIF8"))
}
