package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// envelope is the union of every answer shape the service is known to use.
type envelope struct {
	Status  json.RawMessage `json:"status"`
	Message string          `json:"message"`
	Msg     string          `json:"msg"`
	Error   json.RawMessage `json:"error"`
	Data    json.RawMessage `json:"data"`
}

type gatewayError struct {
	Message string          `json:"message"`
	Type    string          `json:"type"`
	Code    json.RawMessage `json:"code"`
}

// decodeAnswer reads an answer in the order the contract sets: HTTP status,
// then the body's "status", then the task's "state" (left to the caller).
// Its errors are *Error (the service said no) or *ProtocolError (the
// answer cannot be read); their texts are raw, the client cleans them.
func decodeAnswer(httpStatus int, body []byte) (*Task, error) {
	var env envelope
	jsonErr := json.Unmarshal(body, &env)
	if apiErr := answerError(httpStatus, env, jsonErr == nil); apiErr != nil {
		if apiErr.Message == "" && jsonErr != nil {
			apiErr.Message = reduceBody(body)
		}
		return nil, apiErr
	}
	if jsonErr != nil {
		return nil, &ProtocolError{HTTPStatus: httpStatus, Reason: jsonProblem(jsonErr, body)}
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return nil, &ProtocolError{HTTPStatus: httpStatus, Reason: "it has no task data"}
	}
	t, err := decodeTask(env.Data)
	if err != nil {
		return nil, &ProtocolError{HTTPStatus: httpStatus, Reason: err.Error()}
	}
	return t, nil
}

// jsonProblem says what is wrong with a body that is not valid JSON.
func jsonProblem(err error, body []byte) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case len(bytes.TrimSpace(body)) == 0:
		return "it is empty"
	case errors.As(err, &typ):
		return "it is not a JSON object"
	case errors.As(err, &syntax) && strings.Contains(syntax.Error(), "unexpected end"):
		return "it was cut short"
	case bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")):
		return "it is broken JSON"
	}
	if s := reduceBody(body); s != "" {
		return "it is not JSON: " + s
	}
	return "it is not JSON"
}

// answerError returns the *Error an answer stands for, or nil on success.
func answerError(httpStatus int, env envelope, parsed bool) *Error {
	e := &Error{HTTPStatus: httpStatus, Message: firstNonEmpty(env.Message, env.Msg)}
	if parsed && len(env.Error) > 0 && string(env.Error) != "null" {
		var g gatewayError
		if json.Unmarshal(env.Error, &g) == nil {
			e.Message, e.Type, e.Code = firstNonEmpty(g.Message, e.Message), g.Type, rawText(g.Code)
		} else {
			e.Message = firstNonEmpty(rawText(env.Error), e.Message)
		}
		if httpStatus == http.StatusOK {
			// A gateway error with HTTP 200 outside: the code says what it is.
			e.Status = gatewayStatus(e.Code, e.Type)
		}
		return e
	}
	if httpStatus < 200 || httpStatus > 299 {
		if parsed {
			e.Status, _ = flexInt(env.Status)
		}
		return e
	}
	if !parsed {
		return nil
	}
	if st, ok := flexInt(env.Status); ok && st != http.StatusOK {
		e.Status = st
		return e
	}
	return nil
}

// gatewayStatus guesses an HTTP-like status for a gateway error that came
// with HTTP 200, so that IsAuth and friends still work.
func gatewayStatus(code, typ string) int {
	if n, err := strconv.Atoi(code); err == nil && n >= 400 && n < 600 {
		return n
	}
	s := strings.ToLower(code + " " + typ)
	switch {
	case strings.Contains(s, "key") || strings.Contains(s, "token") || strings.Contains(s, "auth"):
		return http.StatusUnauthorized
	case strings.Contains(s, "quota") || strings.Contains(s, "balance") || strings.Contains(s, "insufficient"):
		return http.StatusForbidden
	case strings.Contains(s, "rate"):
		return http.StatusTooManyRequests
	}
	return http.StatusBadRequest
}

// decodeTask reads the "data" object field by field, tolerating numbers sent
// as strings and every known form of the result images.
func decodeTask(raw json.RawMessage) (*Task, error) {
	var d map[string]json.RawMessage
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, errors.New("its task data is not an object")
	}
	t := &Task{
		ID:          flexString(d["task_id"]),
		StateDetail: flexString(d["state_detail"]),
		ErrInfo:     flexString(d["err_info"]),
	}
	if t.ID == "" {
		t.ID = flexString(d["id"])
	}
	st, ok := flexInt(d["state"])
	if !ok {
		if raw := d["state"]; len(raw) > 0 && string(raw) != "null" {
			return nil, errors.New("its task state is not a number")
		}
		// An answer with images but no state is a finished one; one
		// with neither (an async create's answer) is queued.
		st = int(StateQueued)
	}
	t.State = State(st)
	t.Progress, _ = flexInt(d["progress"])
	t.Width, _ = flexInt(d["image_width"])
	t.Height, _ = flexInt(d["image_height"])
	t.CreatedAt = unixTime(d["created_at"])
	t.ProcessedAt = unixTime(d["processed_at"])
	t.CompletedAt = unixTime(d["completed_at"])
	if ms, ok := flexFloat(d["time_elapsed"]); ok {
		t.Elapsed = time.Duration(ms * float64(time.Millisecond))
	}
	if r := d["foreground_rect"]; len(r) > 0 && string(r) != "null" {
		var rect Rect
		if json.Unmarshal(r, &rect) == nil && rect.Width > 0 && rect.Height > 0 {
			t.ForegroundRect = &rect
		}
	}
	t.Images = collectImages(d)
	if !ok && len(t.Images) > 0 {
		t.State = StateDone
	}
	return t, nil
}

// collectImages gathers results from "image" (a string or a list) and
// "image_1".."image_4", skipping empty slots and repeats. A task has at
// most MaxBatchSize results: more are dropped (a batch is billed by its
// size, never by what the service sends).
func collectImages(d map[string]json.RawMessage) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range imageValues(d["image"]) {
		add(s)
	}
	for _, key := range []string{"images", "image_list"} {
		for _, s := range imageValues(d[key]) {
			add(s)
		}
	}
	for i := 1; i <= 4; i++ {
		for _, s := range imageValues(d["image_"+strconv.Itoa(i)]) {
			add(s)
		}
	}
	if len(out) > MaxBatchSize {
		out = out[:MaxBatchSize]
	}
	return out
}

// imageValues reads a string, a list of strings, or objects with a url or
// base64 field.
func imageValues(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	// One decoding pass, chosen by the first byte: inline results make
	// these values megabytes long.
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []string{s}
		}
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			var out []string
			for _, item := range list {
				out = append(out, imageValues(item)...)
			}
			return out
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			for _, k := range []string{"url", "b64_json", "base64", "data"} {
				if v := flexString(obj[k]); v != "" {
					return []string{v}
				}
			}
		}
	}
	return nil
}

func flexInt(raw json.RawMessage) (int, bool) {
	f, ok := flexFloat(raw)
	if !ok || math.IsNaN(f) || math.Abs(f) > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

func flexFloat(raw json.RawMessage) (float64, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return f, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return f, true
		}
	}
	return 0, false
}

func flexString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return rawText(raw)
}

// rawText renders a JSON value as plain text ("" for null or nothing).
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func unixTime(raw json.RawMessage) time.Time {
	if sec, ok := flexFloat(raw); ok && sec > 0 {
		return time.Unix(int64(sec), 0)
	}
	return time.Time{}
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
