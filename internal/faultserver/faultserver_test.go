package faultserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const tok = "sk-server-test-0123456789"

// create posts a minimal form and returns the status and body.
func create(t *testing.T, s *Server, batch string) (int, []byte, error) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("batch_size", batch)
	w.WriteField("prompt", "p")
	w.WriteField("sync", "1")
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/task/pic/background", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	return do(t, s, req)
}

func do(t *testing.T, s *Server, req *http.Request) (int, []byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Do(req.WithContext(ctx))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

func TestNormalSyncCreateDeliversItsImages(t *testing.T) {
	s := New(Config{Token: tok, Shape: ShapeBase64}).Start()
	defer s.Close()
	code, body, err := create(t, s, "3")
	if err != nil || code != 200 {
		t.Fatal(code, err)
	}
	var ans struct {
		Data struct {
			State int      `json:"state"`
			Image []string `json:"image"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.Data.State != 1 || len(ans.Data.Image) != 3 {
		t.Fatalf("%s", body)
	}
	if len(s.Delivered()) != 3 || s.Creates() != 1 || s.Billed() != 1 || s.Injected() != 0 {
		t.Fatalf("delivered %d creates %d billed %d injected %d", len(s.Delivered()), s.Creates(), s.Billed(), s.Injected())
	}
}

func TestFaultKindsDoWhatTheySay(t *testing.T) {
	cases := []struct {
		fault Fault
		check func(code int, body []byte, err error) bool
	}{
		{Fault{Kind: Hang}, func(_ int, _ []byte, err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
		{Fault{Kind: Reset}, func(_ int, _ []byte, err error) bool {
			return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF)
		}},
		{Fault{Kind: StallAfterHeaders}, func(code int, _ []byte, err error) bool {
			return code == 200 && errors.Is(err, context.DeadlineExceeded)
		}},
		{Fault{Kind: Truncate}, func(code int, _ []byte, err error) bool {
			return code == 200 && errors.Is(err, io.ErrUnexpectedEOF)
		}},
		{Fault{Kind: Status, Status: 503, Body: "down for {token-tail}", Header: map[string]string{"Retry-After": "7"}}, func(code int, body []byte, err error) bool {
			return code == 503 && string(body) == "down for "+tok[len(tok)-9:]
		}},
		{Fault{Kind: Huge, Size: 100000}, func(code int, body []byte, err error) bool {
			return code == 200 && len(body) >= 99000 && json.Valid(body)
		}},
		{Fault{Kind: Endless}, func(code int, body []byte, err error) bool {
			return code == 200 && errors.Is(err, context.DeadlineExceeded) && len(body) > 0
		}},
	}
	for _, tc := range cases {
		t.Run(tc.fault.Kind.String(), func(t *testing.T) {
			s := New(Config{Token: tok, Create: []Fault{tc.fault}}).Start()
			defer s.Close()
			code, body, err := create(t, s, "1")
			if !tc.check(code, body, err) {
				t.Fatalf("%d %q %v", code, body[:min(len(body), 80)], err)
			}
			if s.Injected() != 1 || len(s.Delivered()) != 0 {
				t.Fatalf("injected %d, delivered %d", s.Injected(), len(s.Delivered()))
			}
		})
	}
}

func TestFaultsRunInOrderThenPass(t *testing.T) {
	s := New(Config{Token: tok, Create: []Fault{{Kind: Status, Status: 429, Times: 2}, {Kind: Status, Status: 500, Times: 1}}}).Start()
	defer s.Close()
	var codes []int
	for range 4 {
		code, _, _ := create(t, s, "1")
		codes = append(codes, code)
	}
	if codes[0] != 429 || codes[1] != 429 || codes[2] != 500 || codes[3] != 200 {
		t.Fatal(codes)
	}
	if s.Creates() != 2 || s.Billed() != 1 {
		t.Fatalf("creates %d (429s do not count), billed %d", s.Creates(), s.Billed())
	}
}

func TestLeaksAreRecorded(t *testing.T) {
	s := New(Config{Token: tok}).Start()
	defer s.Close()
	req, _ := http.NewRequest(http.MethodGet, s.OtherURL+"/task/x", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	do(t, s, req)
	if len(s.Leaks()) != 1 || !strings.Contains(s.Leaks()[0], "/task/x") {
		t.Fatal(s.Leaks())
	}
}
