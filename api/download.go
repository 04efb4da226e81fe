package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// IsURL reports whether a result reference is an http(s) URL rather than
// inline base64 data.
func IsURL(ref string) bool {
	return strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://")
}

// Download writes one result image to w: ref is an entry of Task.Images, a
// presigned URL or base64 data. At most the client's download cap is
// written; a larger image gives ErrTooLarge. The token is not sent: result
// URLs carry their own signature and may be on another host.
func (c *Client) Download(ctx context.Context, ref string, w io.Writer) (int64, error) {
	if !IsURL(ref) {
		return c.decodeInline(ref, w)
	}
	for attempt := 0; ; attempt++ {
		n, retry, err := c.downloadOnce(ctx, ref, w)
		if err == nil || !retry || attempt >= c.maxRetries || ctx.Err() != nil {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			return n, err
		}
		if err := sleep(ctx, c.backoff(attempt)); err != nil {
			return 0, err
		}
	}
}

// downloadOnce tries one GET; retry says whether nothing reached w yet and
// the failure is worth another try.
func (c *Client) downloadOnce(ctx context.Context, ref string, w io.Writer) (int64, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ref, nil)
	if err != nil {
		return 0, false, fmt.Errorf("api: bad result URL: %w", err)
	}
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, true, fmt.Errorf("api: downloading the result: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		err := &Error{HTTPStatus: resp.StatusCode, Message: "downloading the result: " + snippet(msg)}
		if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusGone {
			err.Message = "the result link has expired or is refused (results are kept about an hour)"
		}
		return 0, retryableStatus(http.MethodGet, resp.StatusCode), err
	}
	if resp.ContentLength > c.maxDownload {
		return 0, false, ErrTooLarge
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, c.maxDownload+1))
	if err != nil {
		return n, n == 0, fmt.Errorf("api: downloading the result: %w", err)
	}
	if n > c.maxDownload {
		return n, false, ErrTooLarge
	}
	return n, false, nil
}

// decodeInline writes base64 image data (optionally a data: URI).
func (c *Client) decodeInline(ref string, w io.Writer) (int64, error) {
	data := strings.TrimSpace(ref)
	if strings.HasPrefix(data, "data:") {
		i := strings.Index(data, ",")
		if i < 0 {
			return 0, fmt.Errorf("api: malformed data URI in the result")
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
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(data); err == nil {
			break
		}
	}
	if err != nil {
		return 0, fmt.Errorf("api: the result is neither a URL nor base64 image data")
	}
	if int64(len(raw)) > c.maxDownload {
		return 0, ErrTooLarge
	}
	return io.Copy(w, bytes.NewReader(raw))
}
