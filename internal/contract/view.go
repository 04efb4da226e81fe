package contract

import (
	"encoding/base64"
	"fmt"
	"time"
)

// taskData is data of GET /task/{id}, of a sync create and of the callback,
// with the fields of the vendor's example in its order.
type taskData struct {
	TaskID         string   `json:"task_id"`
	State          int      `json:"state"`
	StateDetail    string   `json:"state_detail"`
	Progress       int      `json:"progress"`
	Image          any      `json:"image,omitempty"` // string or []string, by Shape
	Image1         *string  `json:"image_1,omitempty"`
	Image2         *string  `json:"image_2,omitempty"`
	Image3         *string  `json:"image_3,omitempty"`
	Image4         *string  `json:"image_4,omitempty"`
	ImageWidth     int      `json:"image_width"`
	ImageHeight    int      `json:"image_height"`
	ForegroundRect jsonRect `json:"foreground_rect"`
	CreatedAt      int64    `json:"created_at"`
	ProcessedAt    int64    `json:"processed_at"`
	CompletedAt    int64    `json:"completed_at"`
	TimeElapsed    float64  `json:"time_elapsed"`
	DownloadTime   int64    `json:"download_time"`
	ErrInfo        string   `json:"err_info"`
	ReturnType     int      `json:"return_type"`
	OutputType     int      `json:"output_type"`
	ResultType     string   `json:"result_type"`
	Type           string   `json:"type"`
}

type jsonRect struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// createdData is the whole data of an async create: only what is sure.
type createdData struct {
	TaskID string `json:"task_id"`
	State  int    `json:"state"`
}

// view renders a task for a client that reached the server at origin; step,
// if not nil, is a scripted state shown instead of the real one.
func (s *Server) view(t *task, origin string, step *Step) taskData {
	snap := t.snapshot()
	if step != nil {
		snap.state, snap.progress, snap.detail = step.State, step.Progress, step.Detail
		if snap.detail == "" {
			snap.detail = StateDetail(step.State)
		}
		snap.results, snap.completed = nil, time.Time{}
	}
	d := taskData{
		TaskID:       snap.id,
		State:        snap.state,
		StateDetail:  snap.detail,
		Progress:     snap.progress,
		CreatedAt:    unix(snap.created),
		ProcessedAt:  unix(snap.processed),
		CompletedAt:  unix(snap.completed),
		DownloadTime: snap.downloadMS,
		ReturnType:   1,
		OutputType:   2,
		ResultType:   "object",
		Type:         "auto",
	}
	if snap.state < 0 {
		d.ErrInfo = snap.detail
	}
	if !snap.completed.IsZero() && !snap.processed.IsZero() {
		d.TimeElapsed = float64(snap.completed.Sub(snap.processed).Microseconds()) / 1000
	}
	if len(snap.results) > 0 {
		r := snap.results[0]
		d.ImageWidth, d.ImageHeight = r.size.X, r.size.Y
		d.ForegroundRect = jsonRect{r.fg.Min.X, r.fg.Min.Y, r.fg.Dx(), r.fg.Dy()}
	}
	s.setImages(&d, snap, origin)
	return d
}

// setImages fills the image fields in the configured shape; before the end
// they are present but empty, so clients meet the same keys every time.
func (s *Server) setImages(d *taskData, snap snapshot, origin string) {
	shape := s.cfg.shape
	if shape == ShapeAuto {
		shape = ShapeURL
		if snap.batch > 1 {
			shape = ShapeSlots
		}
	}
	urls := []string{}
	for i := range snap.results {
		urls = append(urls, resultURL(origin, snap.id, i+1))
	}
	switch shape {
	case ShapeURL:
		first := ""
		if len(urls) > 0 {
			first = urls[0]
		}
		d.Image = first
	case ShapeList:
		d.Image = urls
	case ShapeSlots:
		var slots [maxBatch]string
		copy(slots[:], urls)
		d.Image1, d.Image2, d.Image3, d.Image4 = &slots[0], &slots[1], &slots[2], &slots[3]
	case ShapeBase64:
		d.ReturnType = 2
		data := []string{}
		for _, r := range snap.results {
			data = append(data, base64.StdEncoding.EncodeToString(r.png))
		}
		d.Image = data
	}
}

func resultURL(origin, id string, n int) string {
	return fmt.Sprintf("%s/results/%s/%d.png", origin, id, n)
}

// unix is the vendor's time form; 0 for a time not reached yet.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
