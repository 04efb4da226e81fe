package api

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestDecodeAnswerShapes(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		images []string
		state  State
	}{
		{"vendor example", 200, `{"status":200,"data":{"task_id":"t","state":1,"progress":100,"image":"https://x/1.png","foreground_rect":{"x":1,"y":2,"width":3,"height":4}}}`, []string{"https://x/1.png"}, StateDone},
		{"image list", 200, `{"status":200,"data":{"task_id":"t","state":1,"image":["https://x/1.png","https://x/2.png"]}}`, []string{"https://x/1.png", "https://x/2.png"}, StateDone},
		{"slots with empties", 200, `{"status":200,"data":{"task_id":"t","state":1,"image_1":"https://x/1.png","image_2":"https://x/2.png","image_3":"","image_4":""}}`, []string{"https://x/1.png", "https://x/2.png"}, StateDone},
		{"strings for numbers", 200, `{"status":"200","data":{"task_id":"t","state":"4","progress":"35"}}`, nil, StateProcessing},
		{"objects in a list", 200, `{"status":200,"data":{"task_id":"t","state":1,"image":[{"url":"https://x/1.png"},{"b64_json":"iVBO"}]}}`, []string{"https://x/1.png", "iVBO"}, StateDone},
		{"images without state", 200, `{"data":{"task_id":"t","image":"https://x/1.png"}}`, []string{"https://x/1.png"}, StateDone},
		{"async create", 200, `{"status":200,"data":{"task_id":"t"}}`, nil, StateQueued},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			task, err := decodeAnswer(tc.status, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(task.Images, tc.images) || task.State != tc.state {
				t.Fatalf("images %v state %v", task.Images, task.State)
			}
		})
	}
}

func TestDecodeAnswerErrors(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		body       string
		code       int
		message    string
		isAuth     bool
		rateLimits bool
	}{
		{"provider shape", 400, `{"status":400,"message":"prompt is required"}`, 400, "prompt is required", false, false},
		{"provider in 200", 200, `{"status":401,"message":"bad token"}`, 401, "bad token", true, false},
		{"gateway shape", 401, `{"error":{"message":"Invalid token","type":"invalid_request_error","code":"invalid_api_key"}}`, 401, "Invalid token", true, false},
		{"gateway in 200", 200, `{"error":{"message":"quota exhausted","type":"insufficient_quota","code":null}}`, 403, "quota exhausted", true, false},
		{"numeric gateway code", 429, `{"error":{"message":"slow down","code":429}}`, 429, "slow down", false, true},
		{"empty body", 500, ``, 500, "", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeAnswer(tc.status, []byte(tc.body))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v", err)
			}
			if e.code() != tc.code || e.Message != tc.message || IsAuth(err) != tc.isAuth || IsRateLimited(err) != tc.rateLimits {
				t.Fatalf("%+v (code %d)", e, e.code())
			}
		})
	}
}

func TestRetryAfterForms(t *testing.T) {
	h := http.Header{}
	h.Set("Retry-After", "7")
	if d, ok := retryAfter(h, timeNow()); !ok || d.Seconds() != 7 {
		t.Fatal(d, ok)
	}
	now := timeNow()
	h.Set("Retry-After", now.Add(90e9).UTC().Format(http.TimeFormat))
	if d, ok := retryAfter(h, now); !ok || d.Seconds() < 88 || d.Seconds() > 91 {
		t.Fatal(d, ok)
	}
	h.Set("Retry-After", "soon")
	if _, ok := retryAfter(h, now); ok {
		t.Fatal("accepted a bad Retry-After")
	}
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	c, _ := NewClient()
	for attempt := 0; attempt < 10; attempt++ {
		want := c.retryBase << attempt
		if want > c.retryCap {
			want = c.retryCap
		}
		for i := 0; i < 20; i++ {
			d := c.backoff(attempt)
			if d < want*3/4 || d > want*5/4 {
				t.Fatalf("attempt %d: %v outside %v±25%%", attempt, d, want)
			}
		}
	}
}

func timeNow() time.Time { return time.Now().Truncate(time.Second) }

func TestJPEGBase64IsNotTakenForAPath(t *testing.T) {
	c, _ := NewClient(WithBaseURL("http://127.0.0.1:9"))
	jpegB64 := "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U"
	task, err := c.decode(opPoll, &answer{status: 200, header: http.Header{}, body: []byte(`{"status":200,"data":{"task_id":"t","state":1,"image":"` + jpegB64 + `"}}`)})
	if err != nil || task.Images[0] != jpegB64 {
		t.Fatalf("%v %v", err, task.Images)
	}
}
