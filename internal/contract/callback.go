package contract

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// callbackTimeout keeps a slow receiver from holding Close for long.
const callbackTimeout = 5 * time.Second

// sendCallback POSTs the finished task, as GET /task/{id} would show it, to
// callback_url. Best effort: one try, errors only logged.
func (s *Server) sendCallback(t *task) {
	if t.callback == "" {
		return
	}
	body := marshal(okAnswer{Status: http.StatusOK, Data: s.view(t, t.origin, nil)})
	ctx, cancel := context.WithTimeout(s.base, callbackTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.callback, bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}
	if s.cfg.logger != nil {
		s.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "callback", slog.String("task", t.id), slog.Any("err", err))
	}
}
