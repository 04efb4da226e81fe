package contract

import (
	"image"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CreateRecord is what one create request sent and how it was answered,
// for tests to check what a client sends. With WithRecords(true) every
// create request is recorded, refused ones too (their fields as far as they
// could be read); without it (the default: `backdrop serve`, the in-app
// server) nothing is kept. The Authorization header is never kept, only
// whether it was accepted.
type CreateRecord struct {
	Prompt          string            // the prompt field as sent, untrimmed
	BatchSize       int               // as sent; 0 if absent or not a number
	Sync            bool              // sync=1 was sent
	CallbackURL     string            // as sent
	ImageURL        string            // as sent
	FileName        string            // image_file's file name
	FileContentType string            // image_file's part Content-Type
	FileSize        int64             // image_file's size as sent; 0 without a file
	Fields          map[string]string // every text field as sent
	AuthOK          bool              // whether the Authorization header was accepted
	UserAgent       string
	RemoteAddr      string
	Status          int    // HTTP status of the answer (200 even for a task that fails)
	TaskID          string // the task created, if any
}

func newCreateRecord(r *http.Request, f *createForm, authOK bool) CreateRecord {
	batch, _ := strconv.Atoi(strings.TrimSpace(f.fields["batch_size"]))
	return CreateRecord{
		Prompt:          f.fields["prompt"],
		BatchSize:       batch,
		Sync:            strings.TrimSpace(f.fields["sync"]) == "1",
		CallbackURL:     f.fields["callback_url"],
		ImageURL:        f.fields["image_url"],
		FileName:        f.fileName,
		FileContentType: f.fileType,
		FileSize:        f.fileSize,
		Fields:          maps.Clone(f.fields),
		AuthOK:          authOK,
		UserAgent:       r.UserAgent(),
		RemoteAddr:      r.RemoteAddr,
	}
}

// record keeps a refused request's record; created tasks record themselves.
func (s *Server) record(rec CreateRecord, status int) {
	rec.Status = status
	s.mu.Lock()
	s.keepRecord(rec)
	s.mu.Unlock()
}

// keepRecord keeps rec when records are on (under s.mu).
func (s *Server) keepRecord(rec CreateRecord) {
	if s.cfg.records {
		s.creates = append(s.creates, rec)
	}
}

// Creates returns every create request so far, oldest first. It needs
// WithRecords(true): without it nothing is kept, and asking is a mistake.
func (s *Server) Creates() []CreateRecord {
	if !s.cfg.records {
		panic("contract: Creates() needs the server made WithRecords(true)")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CreateRecord, len(s.creates))
	copy(out, s.creates)
	return out
}

// Gets returns how many GET /task/{id} requests arrived, refused ones too.
func (s *Server) Gets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gets
}

// TaskInfo is a task as the server sees it, whatever the script shows.
type TaskInfo struct {
	ID         string
	Prompt     string
	BatchSize  int
	State      int
	Detail     string
	Progress   int
	Images     int             // result images made
	Width      int             // of the first image
	Height     int             // of the first image
	Foreground image.Rectangle // in the first image
	Expired    bool
	Created    time.Time
	Completed  time.Time // zero until the task ends
}

// Tasks returns the tasks kept so far, oldest first.
func (s *Server) Tasks() []TaskInfo {
	s.mu.Lock()
	tasks := append([]*task(nil), s.order...)
	s.mu.Unlock()
	out := make([]TaskInfo, 0, len(tasks))
	for _, t := range tasks {
		snap := t.snapshot()
		info := TaskInfo{
			ID: snap.id, Prompt: t.prompt, BatchSize: snap.batch,
			State: snap.state, Detail: snap.detail, Progress: snap.progress,
			Images: len(snap.results), Expired: snap.expired,
			Created: snap.created, Completed: snap.completed,
		}
		if len(snap.results) > 0 {
			r := snap.results[0]
			info.Width, info.Height, info.Foreground = r.size.X, r.size.Y, r.fg
		}
		out = append(out, info)
	}
	return out
}
