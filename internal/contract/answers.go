package contract

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// okAnswer is the envelope of every successful answer.
type okAnswer struct {
	Status int `json:"status"`
	Data   any `json:"data"`
}

type providerError struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

type gatewayError struct {
	Error gatewayErrorBody `json:"error"`
}

type gatewayErrorBody struct {
	Message string `json:"message"`
	Type    string `json:"type"`
	Code    string `json:"code"`
}

// marshal encodes v with HTML escaping off, so URLs keep their '&'.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("contract: cannot encode an answer: " + err.Error()) // our own types only
	}
	return buf.Bytes()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body := marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // if the client went away there is nothing to do
}

func writeOK(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, okAnswer{Status: http.StatusOK, Data: data})
}

// writeError answers an error in the shape the knobs ask for.
func (s *Server) writeError(w http.ResponseWriter, status int, msg string) {
	s.writeErrorAs(w, status, msg, s.cfg.errHTTP200)
}

// writeErrorAs is writeError with the HTTP-200 knob given, for answers that
// stand for a proxy rather than the provider.
func (s *Server) writeErrorAs(w http.ResponseWriter, status int, msg string, http200 bool) {
	shape := s.cfg.errShape
	if shape == ErrorShapeAuto {
		shape = ErrorShapeProvider
		if status == http.StatusUnauthorized || status == http.StatusForbidden {
			shape = ErrorShapeGateway
		}
	}
	if shape == ErrorShapeGateway {
		typ, code := gatewayKind(status)
		writeJSON(w, status, gatewayError{gatewayErrorBody{Message: msg, Type: typ, Code: code}})
		return
	}
	outer := status
	if http200 {
		outer = http.StatusOK
	}
	writeJSON(w, outer, providerError{Status: status, Message: msg})
}

// gatewayKind gives the OpenAI-style type and code the gateway uses.
func gatewayKind(status int) (typ, code string) {
	switch {
	case status == http.StatusUnauthorized:
		return "invalid_request_error", "invalid_api_key"
	case status == http.StatusForbidden:
		return "insufficient_quota", "insufficient_quota"
	case status == http.StatusNotFound:
		return "invalid_request_error", "not_found"
	case status == http.StatusRequestEntityTooLarge:
		return "invalid_request_error", "file_too_large"
	case status == http.StatusTooManyRequests:
		return "rate_limit_error", "rate_limit_exceeded"
	case status >= 500:
		return "server_error", "server_error"
	}
	return "invalid_request_error", "invalid_parameter"
}

// writeRateLimited answers 429 with Retry-After in whole seconds.
func (s *Server) writeRateLimited(w http.ResponseWriter) {
	secs := (s.cfg.retryAfter + time.Second - 1) / time.Second
	w.Header().Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	s.writeError(w, http.StatusTooManyRequests, "too many requests, please retry later")
}
