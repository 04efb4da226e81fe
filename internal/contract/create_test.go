package contract_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"net/http/httptest"

	"backdrop/internal/contract"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// images returns the result images of a finished task, whatever the shape.
func images(t *testing.T, ts *httptest.Server, a answer, d taskData) [][]byte {
	t.Helper()
	var urls []string
	keys := a.keys(t)
	switch {
	case d.Image1 != nil:
		if _, ok := keys["image"]; ok {
			t.Errorf("slots shape also has image: %s", a.Raw)
		}
		for _, s := range []*string{d.Image1, d.Image2, d.Image3, d.Image4} {
			if s != nil && *s != "" {
				urls = append(urls, *s)
			}
		}
	case len(d.Image) > 0 && d.Image[0] == '"':
		var u string
		json.Unmarshal(d.Image, &u)
		urls = []string{u}
	default:
		var list []string
		if err := json.Unmarshal(d.Image, &list); err != nil {
			t.Fatalf("image: %v in %s", err, a.Raw)
		}
		if d.ReturnType == 2 {
			var out [][]byte
			for _, s := range list {
				b, err := base64.StdEncoding.DecodeString(s)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, b)
			}
			return out
		}
		urls = list
	}
	var out [][]byte
	for _, u := range urls {
		if !strings.HasPrefix(u, ts.URL+"/results/"+d.TaskID+"/") {
			t.Errorf("URL %q is not an absolute result URL of %s", u, ts.URL)
		}
		resp, b := fetch(t, ts, u)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s: %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		out = append(out, b)
	}
	return out
}

// checkImages decodes every image and checks its size and background.
func checkImages(t *testing.T, imgs [][]byte, d taskData, prompt string, w, h int) {
	t.Helper()
	if d.ImageWidth != w || d.ImageHeight != h {
		t.Errorf("image size %dx%d, want %dx%d", d.ImageWidth, d.ImageHeight, w, h)
	}
	r := d.ForegroundRect
	if r.Width <= 0 || r.Height <= 0 || r.X < 0 || r.Y < 0 || r.X+r.Width > w || r.Y+r.Height > h {
		t.Errorf("foreground_rect %+v outside %dx%d", r, w, h)
	}
	for i, b := range imgs {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("image %d: %v", i+1, err)
		}
		if got := img.Bounds().Size(); got.X != w || got.Y != h {
			t.Errorf("image %d is %v, want %dx%d", i+1, got, w, h)
		}
		want := contract.PlainColor(prompt, i+1)
		if got := img.At(0, 0); got != want {
			t.Errorf("image %d background %v, want %v", i+1, got, want)
		}
	}
}

func TestCreateSyncShapes(t *testing.T) {
	cases := []struct {
		name  string
		shape contract.Shape
		batch int
		want  string // "url", "list", "slots", "base64"
	}{
		{"auto batch 1 is one URL", contract.ShapeAuto, 1, "url"},
		{"auto batch 3 is slots", contract.ShapeAuto, 3, "slots"},
		{"url batch 2 is the first", contract.ShapeURL, 2, "url"},
		{"list", contract.ShapeList, 3, "list"},
		{"slots batch 4", contract.ShapeSlots, 4, "slots"},
		{"base64", contract.ShapeBase64, 2, "base64"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ts := start(t, contract.WithToken(token), contract.WithShape(c.shape))
			prompt := "a beach at dusk"
			a := create(t, ts, pngForm(40, 30, "batch_size", itoa(c.batch), "prompt", prompt, "sync", "1"))
			d := a.task(t)
			if d.State != 1 || d.StateDetail != "Complete" || d.Progress != 100 || d.ErrInfo != "" {
				t.Fatalf("not complete: %s", a.Raw)
			}
			if !uuidRE.MatchString(d.TaskID) {
				t.Errorf("task_id %q is not a UUID", d.TaskID)
			}
			if d.OutputType != 2 || d.ResultType != "object" || d.Type != "auto" {
				t.Errorf("constant fields wrong: %s", a.Raw)
			}
			if d.CreatedAt == 0 || d.ProcessedAt == 0 || d.CompletedAt < d.CreatedAt || d.TimeElapsed <= 0 {
				t.Errorf("times wrong: %s", a.Raw)
			}
			wantReturn := 1
			if c.want == "base64" {
				wantReturn = 2
			}
			if d.ReturnType != wantReturn {
				t.Errorf("return_type %d, want %d", d.ReturnType, wantReturn)
			}
			imgs := images(t, ts, a, d)
			wantN := c.batch
			if c.want == "url" {
				wantN = 1
			}
			if len(imgs) != wantN {
				t.Fatalf("%d images, want %d: %s", len(imgs), wantN, a.Raw)
			}
			if c.want == "slots" {
				slots := []*string{d.Image1, d.Image2, d.Image3, d.Image4}
				for i, s := range slots {
					if s == nil || (i < c.batch) != (*s != "") {
						t.Errorf("slot %d wrong for batch %d: %s", i+1, c.batch, a.Raw)
					}
				}
			}
			checkImages(t, imgs, d, prompt, 40, 30)
		})
	}
}

func TestCreateAsyncThenPoll(t *testing.T) {
	for _, shape := range []contract.Shape{contract.ShapeAuto, contract.ShapeURL, contract.ShapeList, contract.ShapeSlots, contract.ShapeBase64} {
		t.Run(itoa(int(shape)), func(t *testing.T) {
			s, ts := start(t, contract.WithShape(shape))
			a := create(t, ts, pngForm(20, 20, "batch_size", "2", "prompt", "snow"))
			keys := a.keys(t)
			if len(keys) != 2 || string(keys["state"]) != "0" || keys["task_id"] == nil {
				t.Fatalf("async answer is not just task_id and state 0: %s", a.Raw)
			}
			id := a.task(t).TaskID
			d := poll(t, ts, id)
			if d.State != 1 {
				t.Fatalf("state %d", d.State)
			}
			final := get(t, ts, "Bearer x", id)
			checkImages(t, images(t, ts, final, final.task(t)), d, "snow", 20, 20)
			if got := s.Tasks(); len(got) != 1 || got[0].ID != id || got[0].State != 1 || got[0].Images != 2 {
				t.Errorf("Tasks() = %+v", got)
			}
		})
	}
}

func TestSyncKnobs(t *testing.T) {
	cases := []struct {
		name     string
		opts     []contract.Option
		sync     string
		wantSync bool
	}{
		{"sync=1", nil, "1", true},
		{"sync=0", nil, "0", false},
		{"sync absent", nil, "", false},
		{"force sync", []contract.Option{contract.WithForceSync(true)}, "0", true},
		{"ignore sync", []contract.Option{contract.WithIgnoreSync(true)}, "1", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ts := start(t, c.opts...)
			f := pngForm(10, 10, "prompt", "p")
			if c.sync != "" {
				f = f.with("sync", c.sync)
			}
			d := create(t, ts, f).task(t)
			if got := d.State == 1; got != c.wantSync {
				t.Errorf("answer state %d, sync answer %v, want %v", d.State, got, c.wantSync)
			}
		})
	}
}

func TestFormatsAccepted(t *testing.T) {
	webp, err := readTestdata("sample.webp")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
	}{
		{"png", pngBytes(16, 12)},
		{"jpeg", encodeJPEG(16, 12)},
		{"bmp", encodeBMP(16, 12)},
		{"webp", webp},
	}
	_, ts := start(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The declared type is wrong on purpose: content decides.
			f := form{file: &file{"x.bin", "application/octet-stream", c.data}}
			d := create(t, ts, f.with("prompt", "p", "batch_size", "1", "sync", "1")).task(t)
			if d.State != 1 || d.ImageWidth == 0 {
				t.Fatalf("state %d %s", d.State, d.StateDetail)
			}
		})
	}
}

func TestCreatesRecorded(t *testing.T) {
	s, ts := start(t, contract.WithToken(token))
	req := createReq(t, ts, "Bearer "+token, pngForm(8, 8, "prompt", " hi ", "batch_size", "3", "sync", "1", "callback_url", "http://127.0.0.1:1/cb"))
	req.Header.Set("User-Agent", "backdrop-test/1")
	do(t, ts.Client(), req)
	do(t, ts.Client(), createReq(t, ts, "Bearer nope", pngForm(8, 8, "prompt", "x")))
	recs := s.Creates()
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Prompt != " hi " || r.BatchSize != 3 || !r.Sync || r.CallbackURL != "http://127.0.0.1:1/cb" ||
		r.FileName != "fg.png" || r.FileContentType != "image/png" || r.FileSize != int64(len(pngBytes(8, 8))) ||
		!r.AuthOK || r.UserAgent != "backdrop-test/1" || r.RemoteAddr == "" ||
		r.Status != 200 || r.TaskID == "" || r.ImageURL != "" || r.Fields["batch_size"] != "3" {
		t.Errorf("record %+v", r)
	}
	if recs[1].AuthOK || recs[1].Status != 401 || recs[1].TaskID != "" || recs[1].Prompt != "x" {
		t.Errorf("refused record %+v", recs[1])
	}
	if n := len(s.Tasks()); n != 1 {
		t.Errorf("%d tasks, want 1", n)
	}
}

func TestResultURLsFollowHost(t *testing.T) {
	_, ts := start(t)
	req := createReq(t, ts, "Bearer x", pngForm(8, 8, "prompt", "p", "batch_size", "1", "sync", "1"))
	req.Host = "backdrop.local:8080"
	d := do(t, ts.Client(), req).task(t)
	var u string
	json.Unmarshal(d.Image, &u)
	if want := "http://backdrop.local:8080/results/" + d.TaskID + "/1.png"; u != want {
		t.Errorf("image %q, want %q", u, want)
	}
}

func TestTaskIDsDiffer(t *testing.T) {
	_, ts := start(t)
	seen := map[string]bool{}
	for range 5 {
		id := create(t, ts, pngForm(4, 4, "prompt", "p")).task(t).TaskID
		if seen[id] || !uuidRE.MatchString(id) {
			t.Fatalf("id %q repeated or malformed", id)
		}
		seen[id] = true
	}
}

func TestUnknownTask(t *testing.T) {
	_, ts := start(t)
	a := get(t, ts, "Bearer x", "3b950563-e53f-4036-a581-5ac04d0829b3")
	if a.HTTP != http.StatusNotFound || a.Status != 404 || a.Message != "task not found" {
		t.Errorf("HTTP %d %s", a.HTTP, a.Raw)
	}
}
