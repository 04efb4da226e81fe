package contract_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"backdrop/internal/contract"
)

// imageHost serves images for image_url tests.
func imageHost(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/fg.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngBytes(24, 18))
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png") // lies: content decides
		w.Write([]byte("hello, not an image"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte{0x89}, 4096))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 8 {
			w.Write(bytes.Repeat([]byte{0x89}, 512))
			w.(http.Flusher).Flush()
		}
	})
	h := httptest.NewServer(mux)
	t.Cleanup(h.Close)
	return h
}

func TestValidation(t *testing.T) {
	host := imageHost(t)
	img := pngForm(8, 8)
	url := form{}.with("image_url", host.URL+"/fg.png")
	ascii1024 := strings.Repeat("a", 1024)
	multi1024 := strings.Repeat("日", 1023) + "é" // 1024 runes, 3071 bytes
	cases := []struct {
		name string
		f    form
		ok   bool
	}{
		{"file ok", img.with("prompt", "p"), true},
		{"url ok", url.with("prompt", "p"), true},
		{"no image", form{}.with("prompt", "p"), false},
		{"file and url", img.with("image_url", host.URL+"/fg.png", "prompt", "p"), false},
		{"url not http", form{}.with("image_url", "ftp://example.com/a.png", "prompt", "p"), false},
		{"url not a URL", form{}.with("image_url", "fg.png", "prompt", "p"), false},
		{"batch 0 file", img.with("prompt", "p", "batch_size", "0"), false},
		{"batch 5 file", img.with("prompt", "p", "batch_size", "5"), false},
		{"batch 0 url", url.with("prompt", "p", "batch_size", "0"), false},
		{"batch 5 url", url.with("prompt", "p", "batch_size", "5"), false},
		{"batch not a number", img.with("prompt", "p", "batch_size", "two"), false},
		{"batch 1", img.with("prompt", "p", "batch_size", "1"), true},
		{"batch 4", url.with("prompt", "p", "batch_size", "4"), true},
		{"no prompt", img, false},
		{"empty prompt", img.with("prompt", ""), false},
		{"blank prompt", url.with("prompt", " \t\n "), false},
		{"prompt 1024 ascii", img.with("prompt", ascii1024), true},
		{"prompt 1025 ascii", img.with("prompt", ascii1024+"b"), false},
		{"prompt 1024 multibyte", url.with("prompt", multi1024), true},
		{"prompt 1025 multibyte", url.with("prompt", multi1024+"日"), false},
		{"prompt trimmed to 1024", img.with("prompt", "  "+ascii1024+"  "), true},
		{"prompt not UTF-8", img.with("prompt", "bad \xff"), false},
		{"sync 2", img.with("prompt", "p", "sync", "2"), false},
		{"callback not http", img.with("prompt", "p", "callback_url", "ftp://x/y"), false},
		{"callback ok", img.with("prompt", "p", "callback_url", "http://127.0.0.1:1/cb"), true},
	}
	for _, shape := range []contract.ErrorShape{contract.ErrorShapeAuto, contract.ErrorShapeGateway} {
		s, ts := start(t, contract.WithErrorShape(shape))
		for _, c := range cases {
			t.Run(itoa(int(shape))+"/"+c.name, func(t *testing.T) {
				before := len(s.Tasks())
				a := create(t, ts, c.f)
				created := len(s.Tasks()) - before
				if c.ok {
					if d := a.task(t); d.TaskID == "" || created != 1 {
						t.Errorf("refused: %s", a.Raw)
					}
					return
				}
				if a.HTTP != http.StatusBadRequest || created != 0 {
					t.Fatalf("HTTP %d, %d tasks: %s", a.HTTP, created, a.Raw)
				}
				if shape == contract.ErrorShapeGateway {
					if a.Error == nil || a.Error.Message == "" || a.Error.Code != "invalid_parameter" || a.Error.Type != "invalid_request_error" {
						t.Errorf("not the gateway shape: %s", a.Raw)
					}
				} else if a.Status != 400 || a.Message == "" || a.Error != nil {
					t.Errorf("not the provider shape: %s", a.Raw)
				}
			})
		}
	}
}

func TestNotMultipart(t *testing.T) {
	_, ts := start(t)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/task/pic/background", strings.NewReader(`{"prompt":"p"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer x")
	if a := do(t, ts.Client(), req); a.HTTP != 400 || a.Status != 400 {
		t.Errorf("HTTP %d %s", a.HTTP, a.Raw)
	}
}

func TestErrorHTTP200(t *testing.T) {
	_, ts := start(t, contract.WithErrorHTTP200(true))
	a := create(t, ts, form{}.with("prompt", "p"))
	if a.HTTP != 200 || a.Status != 400 || a.Message == "" {
		t.Errorf("HTTP %d %s", a.HTTP, a.Raw)
	}
	if a := get(t, ts, "Bearer x", "nope"); a.HTTP != 200 || a.Status != 404 {
		t.Errorf("HTTP %d %s", a.HTTP, a.Raw)
	}
}

func TestAuth(t *testing.T) {
	cases := []struct {
		name     string
		opts     []contract.Option
		wantHTTP int
		gateway  bool
	}{
		{"default is gateway shape", nil, 401, true},
		{"gateway", []contract.Option{contract.WithErrorShape(contract.ErrorShapeGateway)}, 401, true},
		{"provider", []contract.Option{contract.WithErrorShape(contract.ErrorShapeProvider)}, 401, false},
		{"provider in HTTP 200", []contract.Option{contract.WithErrorShape(contract.ErrorShapeProvider), contract.WithErrorHTTP200(true)}, 200, false},
	}
	headers := []string{"", "Bearer wrong", "Basic " + token, "Bearer ", token}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ts := start(t, append(c.opts, contract.WithToken(token))...)
			check := func(a answer) {
				t.Helper()
				if a.HTTP != c.wantHTTP {
					t.Errorf("HTTP %d, want %d", a.HTTP, c.wantHTTP)
				}
				if c.gateway {
					if a.Error == nil || a.Error.Code != "invalid_api_key" || a.Error.Type != "invalid_request_error" || a.Error.Message == "" {
						t.Errorf("not the gateway shape: %s", a.Raw)
					}
				} else if a.Status != 401 || a.Message == "" {
					t.Errorf("not the provider shape: %s", a.Raw)
				}
				if strings.Contains(string(a.Raw), token) {
					t.Errorf("answer shows the token: %s", a.Raw)
				}
			}
			for _, h := range headers {
				check(do(t, ts.Client(), createReq(t, ts, h, pngForm(4, 4, "prompt", "p"))))
				check(get(t, ts, h, "any"))
			}
			if n := len(s.Tasks()); n != 0 {
				t.Errorf("%d tasks made without a good token", n)
			}
			if d := create(t, ts, pngForm(4, 4, "prompt", "p")).task(t); d.TaskID == "" {
				t.Error("good token refused")
			}
		})
	}
}

func TestAnyTokenByDefault(t *testing.T) {
	_, ts := start(t)
	if a := do(t, ts.Client(), createReq(t, ts, "Bearer whatever", pngForm(4, 4, "prompt", "p"))); a.HTTP != 200 {
		t.Errorf("HTTP %d %s", a.HTTP, a.Raw)
	}
	if a := do(t, ts.Client(), createReq(t, ts, "", pngForm(4, 4, "prompt", "p"))); a.HTTP != 401 {
		t.Errorf("no token: HTTP %d %s", a.HTTP, a.Raw)
	}
}

func TestRateLimitThenSuccess(t *testing.T) {
	for _, c := range []struct {
		name  string
		shape contract.ErrorShape
	}{{"provider", contract.ErrorShapeAuto}, {"gateway", contract.ErrorShapeGateway}} {
		t.Run(c.name, func(t *testing.T) {
			// 1.5 s is sent as 2: Retry-After is whole seconds, rounded up.
			s, ts := start(t, contract.WithRateLimit(2, 1500*time.Millisecond), contract.WithErrorShape(c.shape))
			f := pngForm(4, 4, "prompt", "p")
			for i := range 2 {
				a := create(t, ts, f)
				if a.HTTP != 429 || a.Header.Get("Retry-After") != "2" {
					t.Fatalf("try %d: HTTP %d Retry-After %q", i, a.HTTP, a.Header.Get("Retry-After"))
				}
				if c.shape == contract.ErrorShapeGateway {
					if a.Error == nil || a.Error.Code != "rate_limit_exceeded" {
						t.Errorf("body %s", a.Raw)
					}
				} else if a.Status != 429 {
					t.Errorf("body %s", a.Raw)
				}
			}
			if d := create(t, ts, f).task(t); d.TaskID == "" {
				t.Fatal("no task after the limit")
			}
			recs := s.Creates()
			if len(recs) != 3 || recs[0].Status != 429 || recs[1].Status != 429 || recs[2].Status != 200 || recs[0].Prompt != "p" {
				t.Errorf("records %+v", recs)
			}
			if n := len(s.Tasks()); n != 1 {
				t.Errorf("%d tasks, want 1", n)
			}
		})
	}
}

func TestGETRateLimitAndFailures(t *testing.T) {
	s, ts := start(t, contract.WithGetRateLimit(1), contract.WithFailGETs(2, 503), contract.WithErrorHTTP200(true))
	id := create(t, ts, pngForm(4, 4, "prompt", "p", "sync", "1")).task(t).TaskID
	want := []int{429, 503, 503, 200}
	for i, w := range want {
		a := get(t, ts, "Bearer x", id)
		// The 429 is the provider's own answer (HTTP 200 outside); the 503s
		// stand for a proxy and keep their status.
		got := a.Status
		if w == 503 && a.HTTP != 503 {
			t.Errorf("GET %d: HTTP %d, want 503", i, a.HTTP)
		}
		if got != w {
			t.Errorf("GET %d: status %d, want %d: %s", i, got, w, a.Raw)
		}
		if w == 429 && a.Header.Get("Retry-After") != "0" {
			t.Errorf("Retry-After %q", a.Header.Get("Retry-After"))
		}
	}
	if s.Gets() != 4 {
		t.Errorf("Gets() = %d", s.Gets())
	}
}

func TestUploadSizes(t *testing.T) {
	s, ts := start(t, contract.WithMaxFileSize(1000))
	big := bytes.Repeat([]byte{0x89}, 1001)
	a := create(t, ts, form{file: &file{"big.png", "image/png", big}}.with("prompt", "p", "sync", "1"))
	if d := a.task(t); d.State != contract.StateTooLarge || d.ErrInfo == "" {
		t.Errorf("1001 bytes: %s", a.Raw)
	}
	if r := s.Creates()[0]; r.FileSize != 1001 {
		t.Errorf("FileSize %d", r.FileSize)
	}
	huge := bytes.Repeat([]byte{0}, 1000+(1<<20)+1)
	a = create(t, ts, form{file: &file{"huge.png", "image/png", huge}}.with("prompt", "p", "sync", "1"))
	if a.HTTP != http.StatusRequestEntityTooLarge || a.Status != 413 {
		t.Errorf("body over the cap: HTTP %d %s", a.HTTP, a.Raw)
	}
}

func TestDefaultUploadLimitIs15MB(t *testing.T) {
	_, ts := start(t)
	big := make([]byte, contract.DefaultMaxFileSize+1)
	copy(big, pngBytes(4, 4))
	a := create(t, ts, form{file: &file{"big.png", "image/png", big}}.with("prompt", "p", "sync", "1"))
	if d := a.task(t); d.State != contract.StateTooLarge {
		t.Errorf("15 MB + 1: %s", a.Raw)
	}
}

func TestNotAnImage(t *testing.T) {
	truncated := pngBytes(32, 32)
	truncated = truncated[:len(truncated)/2]
	cases := map[string][]byte{
		"text":          []byte("just some text"),
		"empty":         {},
		"truncated png": truncated,
		"bmp magic":     []byte("BM not really"),
	}
	_, ts := start(t)
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			for _, sync := range []string{"1", "0"} {
				a := create(t, ts, form{file: &file{"x.png", "image/png", data}}.with("prompt", "p", "sync", sync))
				d := a.task(t)
				if sync == "0" {
					d = poll(t, ts, d.TaskID)
				}
				if d.State != contract.StateInvalidImage || d.ErrInfo == "" || d.StateDetail != d.ErrInfo {
					t.Errorf("sync=%s: %+v", sync, d)
				}
			}
		})
	}
}

func TestImageURL(t *testing.T) {
	host := imageHost(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	cases := []struct {
		path  string
		url   string
		state int
	}{
		{"/fg.png", "", contract.StateDone},
		{"/missing.png", "", contract.StateDownloadFailed},
		{"/text", "", contract.StateInvalidImage},
		{"/big", "", contract.StateTooLarge},
		{"/big-chunked", "", contract.StateTooLarge},
		{"", goneURL + "/fg.png", contract.StateDownloadFailed},
	}
	s, ts := start(t, contract.WithMaxFileSize(2000))
	for _, c := range cases {
		u := c.url
		if u == "" {
			u = host.URL + c.path
		}
		t.Run(u, func(t *testing.T) {
			a := create(t, ts, form{}.with("image_url", u, "prompt", "p", "batch_size", "1", "sync", "1"))
			d := a.task(t)
			if d.State != c.state {
				t.Fatalf("state %d, want %d: %s", d.State, c.state, a.Raw)
			}
			if d.State == 1 && (d.ImageWidth != 24 || d.ImageHeight != 18) {
				t.Errorf("size %dx%d", d.ImageWidth, d.ImageHeight)
			}
			if recs := s.Creates(); recs[len(recs)-1].ImageURL != u {
				t.Errorf("ImageURL recorded %q", recs[len(recs)-1].ImageURL)
			}
		})
	}
}
