package contract

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// fetchTimeout bounds the download of image_url, apart from the task's own
// timeout, so that a stalled host fails as a download (-3).
const fetchTimeout = 20 * time.Second

// fetch downloads image_url: -3 if it cannot, -5 if it is larger than an
// upload may be. Only the first maxFile+1 bytes are ever read.
func (s *Server) fetch(ctx context.Context, url string) ([]byte, *failure) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fail(StateDownloadFailed, "cannot download image_url: "+err.Error())
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fail(StateDownloadFailed, "cannot download image_url: "+err.Error())
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fail(StateDownloadFailed, fmt.Sprintf("cannot download image_url: HTTP %d", resp.StatusCode))
	}
	if resp.ContentLength > s.cfg.maxFile {
		return nil, s.tooLarge()
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, s.cfg.maxFile+1))
	if err != nil {
		return nil, fail(StateDownloadFailed, "cannot download image_url: "+err.Error())
	}
	if int64(len(data)) > s.cfg.maxFile {
		return nil, s.tooLarge()
	}
	return data, nil
}

// tooLarge is the failure of an image over the size limit, however it came.
func (s *Server) tooLarge() *failure {
	return fail(StateTooLarge, fmt.Sprintf("image too large: %d bytes at most", s.cfg.maxFile))
}
