package contract_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"testing"
	"time"

	"backdrop/internal/contract"
)

const token = "sk-test"

// start runs a Server behind a loopback httptest server; cleanup stops the
// work first, so sync requests still in flight can end.
func start(t *testing.T, opts ...contract.Option) (*contract.Server, *httptest.Server) {
	t.Helper()
	s := contract.New(append([]contract.Option{contract.WithRecords(true)}, opts...)...)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts
}

// file is an image_file part.
type file struct {
	name, ctype string
	data        []byte
}

// form is a create request; fields keep their order, as a client sends them.
type form struct {
	fields [][2]string
	file   *file
}

func (f form) with(kv ...string) form {
	out := form{fields: append([][2]string(nil), f.fields...), file: f.file}
	for i := 0; i+1 < len(kv); i += 2 {
		out.fields = append(out.fields, [2]string{kv[i], kv[i+1]})
	}
	return out
}

func (f form) body(t *testing.T) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, kv := range f.fields {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if f.file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="image_file"; filename="`+f.file.name+`"`)
		h.Set("Content-Type", f.file.ctype)
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.file.data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// pngForm is a valid request uploading a w×h PNG.
func pngForm(w, h int, kv ...string) form {
	return form{file: &file{"fg.png", "image/png", pngBytes(w, h)}}.with(kv...)
}

// answer is any answer of the service, decoded for both error shapes.
type answer struct {
	HTTP    int
	Header  http.Header
	Raw     []byte
	Status  int             `json:"status"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
	Error   *struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    string `json:"code"`
	} `json:"error"`
}

type rect struct{ X, Y, Width, Height int }

type taskData struct {
	TaskID         string          `json:"task_id"`
	State          int             `json:"state"`
	StateDetail    string          `json:"state_detail"`
	Progress       int             `json:"progress"`
	Image          json.RawMessage `json:"image"`
	Image1         *string         `json:"image_1"`
	Image2         *string         `json:"image_2"`
	Image3         *string         `json:"image_3"`
	Image4         *string         `json:"image_4"`
	ImageWidth     int             `json:"image_width"`
	ImageHeight    int             `json:"image_height"`
	ForegroundRect rect            `json:"foreground_rect"`
	CreatedAt      int64           `json:"created_at"`
	ProcessedAt    int64           `json:"processed_at"`
	CompletedAt    int64           `json:"completed_at"`
	TimeElapsed    float64         `json:"time_elapsed"`
	ErrInfo        string          `json:"err_info"`
	ReturnType     int             `json:"return_type"`
	OutputType     int             `json:"output_type"`
	ResultType     string          `json:"result_type"`
	Type           string          `json:"type"`
}

func (a answer) task(t *testing.T) taskData {
	t.Helper()
	if a.HTTP != 200 || a.Status != 200 {
		t.Fatalf("not a success answer: HTTP %d %s", a.HTTP, a.Raw)
	}
	var d taskData
	if err := json.Unmarshal(a.Data, &d); err != nil {
		t.Fatalf("data: %v in %s", err, a.Raw)
	}
	return d
}

// keys lists data's keys, to check which fields are present.
func (a answer) keys(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(a.Data, &m); err != nil {
		t.Fatalf("data: %v in %s", err, a.Raw)
	}
	return m
}

func do(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{HTTP: resp.StatusCode, Header: resp.Header, Raw: raw}
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("HTTP %d: not JSON: %q", resp.StatusCode, raw)
	}
	return a
}

func createReq(t *testing.T, ts *httptest.Server, auth string, f form) *http.Request {
	t.Helper()
	body, ctype := f.body(t)
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/task/pic/background", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

func create(t *testing.T, ts *httptest.Server, f form) answer {
	t.Helper()
	return do(t, ts.Client(), createReq(t, ts, "Bearer "+token, f))
}

func get(t *testing.T, ts *httptest.Server, auth, id string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+"/task/"+id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return do(t, ts.Client(), req)
}

// poll GETs the task until it ends.
func poll(t *testing.T, ts *httptest.Server, id string) taskData {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		d := get(t, ts, "Bearer "+token, id).task(t)
		if d.State == 1 || d.State < 0 {
			return d
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("task %s did not end", id)
	return taskData{}
}

// fetch downloads a URL with the test server's client.
func fetch(t *testing.T, ts *httptest.Server, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := ts.Client().Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// pngBytes is a w×h PNG: an opaque red square on a transparent field.
func pngBytes(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := h / 4; y < h*3/4; y++ {
		for x := w / 4; x < w*3/4; x++ {
			img.Set(x, y, color.NRGBA{200, 20, 20, 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// waitFor polls cond, for what the server does in the background.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
