package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"backdrop/api"
	"backdrop/internal/run"
)

// reporter prints each item once, when it ends: a line on stderr (saved
// files, or each failure on a line of its own with its link and, when
// paid images may still be at the service, the command that fetches
// them), and with --json one JSON object per item on stdout (NDJSON).
type reporter struct {
	s        *session
	b        *batch
	bar      *queueBar
	reported map[string]bool
}

func newReporter(s *session, b *batch) *reporter {
	return &reporter{s: s, b: b, bar: newQueueBar(s.con.stderr, s.con.rawStderr), reported: map[string]bool{}}
}

// update takes the queue's changes: the bar moves, ended items are told.
func (r *reporter) update(u run.Update) {
	for _, it := range u.Items {
		if !it.State.Finished() || r.reported[it.ID] {
			continue
		}
		r.reported[it.ID] = true
		r.bar.clear()
		r.item(it)
	}
	r.bar.show(u.Stats, len(r.b.refused))
}

// end clears the bar so that what follows starts on a clean line.
func (r *reporter) end() { r.bar.end() }

func (r *reporter) refused(f refusal) {
	snap := run.Snapshot{Spec: f.spec, State: run.Failed, Err: f.err}
	r.item(snap)
}

// item reports one ended item.
func (r *reporter) item(it run.Snapshot) {
	s := r.s
	name := it.Name()
	if it.State == run.Done {
		for _, v := range it.Variants {
			s.dropCached(v)
		}
	}
	variantFails := run.VariantErrors(it.Err)
	hint := ""
	// A task the service stopped knowing right after making it may be its
	// glitch: the command is worth a try; asked for by id, it is not.
	unknown := api.IsNotFound(it.Err) && it.Spec.TaskID != ""
	if it.TaskID != "" && it.State != run.Done && it.State != run.Skipped && !unknown && fetchable(it.Err, variantFails) {
		hint = s.fetchCommand(it.TaskID)
	}
	if !s.json || it.State == run.Done || it.State == run.Skipped {
		switch it.State {
		case run.Done:
			s.con.infof("%s: saved %s", name, savedList(it.Variants))
		case run.Skipped:
			s.con.infof("%s: skipped, already done: %s", name, savedList(it.Variants))
		}
	}
	if it.State != run.Done && it.State != run.Skipped {
		if len(it.Variants) > 0 {
			s.con.infof("%s: saved %s", name, savedList(it.Variants))
		}
		for _, f := range variantFails {
			who := name
			if it.TaskID != "" && it.TaskID != strings.TrimPrefix(name, "task ") {
				who += " (task " + it.TaskID + ")"
			}
			line := fmt.Sprintf("%s: variant %d not saved: %s", who, f.N, s.describe(f.Err))
			if f.URL != "" {
				line += " — link: " + f.URL
			}
			s.con.errorf("%s", line)
		}
		if len(variantFails) == 0 || !onlyVariants(it.Err) {
			s.con.errorf("%s: %s", name, s.itemError(it))
		}
		if hint != "" {
			s.con.errorf("%s: task %s: get its images later (links last about an hour) with: %s", name, it.TaskID, hint)
		}
	}
	if it.Warning != "" {
		s.con.infof("%s: note: %s", name, it.Warning)
	}
	if s.json {
		if err := s.writeJSON(r.b, it, variantFails, hint); err != nil {
			s.con.errorf("%v", err)
		}
	}
}

// onlyVariants says the item's error is its failed variants and nothing
// else (no time bound, no cancel around them).
func onlyVariants(err error) bool {
	if err == nil {
		return true
	}
	if _, ok := err.(*run.VariantError); ok {
		return true
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if _, ok := e.(*run.VariantError); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// fetchable says whether paid images may still be fetched: not when the
// task failed at the service, had no image, or every failure is a result
// link that has expired.
func fetchable(err error, fails []*run.VariantError) bool {
	if err == nil || errors.As(err, new(*api.TaskError)) || errors.Is(err, api.ErrNoResults) {
		return false
	}
	if len(fails) > 0 && onlyVariants(err) {
		for _, f := range fails {
			if !api.IsExpiredLink(f.Err) {
				return true
			}
		}
		return false
	}
	return true
}

func savedList(vs []run.Variant) string {
	var parts []string
	for _, v := range vs {
		p := v.Path()
		if v.Width > 0 {
			p += fmt.Sprintf(" (%d×%d)", v.Width, v.Height)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// itemError words why an item did not finish.
func (s *session) itemError(it run.Snapshot) string {
	if it.State == run.Cancelled {
		if it.TaskID != "" {
			return fmt.Sprintf("cancelled before the images of task %s arrived", it.TaskID)
		}
		return "cancelled before it was sent"
	}
	if it.Err == nil {
		return it.State.String()
	}
	return s.describe(it.Err)
}

// describe words err for this session's endpoint.
func (s *session) describe(err error) string { return describe(err, hostOf(s.endpoint)) }

// fetchCommand is the command line that gets a task's images later. It
// never holds the token: fetch finds it where this run did.
func (s *session) fetchCommand(id string) string {
	parts := []string{"backdrop", "fetch", shellQuote(id)}
	out := s.outDir
	if abs, err := filepath.Abs(out); err == nil {
		out = abs
	}
	parts = append(parts, "--out", shellQuote(out))
	if s.endpoint != api.DefaultBaseURL {
		parts = append(parts, "--endpoint", shellQuote(s.endpoint))
	}
	if s.tokenFile != "" && s.tokenFile != "-" {
		parts = append(parts, "--token-file", shellQuote(s.tokenFile))
	}
	return strings.Join(parts, " ")
}

type jsonImage struct {
	Variant int    `json:"variant"`
	Path    string `json:"path"`
	URL     string `json:"url,omitempty"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

type jsonFailure struct {
	Variant int    `json:"variant"`
	URL     string `json:"url,omitempty"`
	Error   string `json:"error"`
}

// jsonResult is one item, one line of --json.
type jsonResult struct {
	File           string        `json:"file,omitempty"`      // the shot file
	ImageURL       string        `json:"image_url,omitempty"` // or its URL
	State          string        `json:"state"`               // done, skipped, failed or cancelled
	Run            int64         `json:"run,omitempty"`       // its library run
	TaskID         string        `json:"task_id"`
	Images         []jsonImage   `json:"images"`
	Failed         []jsonFailure `json:"failed"`
	ForegroundRect *api.Rect     `json:"foreground_rect"`
	MayBeBilled    bool          `json:"may_be_billed,omitempty"`
	Error          string        `json:"error,omitempty"`
	Fetch          string        `json:"fetch,omitempty"` // the command that gets the images later
}

// writeJSON prints one object on stdout, in one write (so it is redacted
// whole), whatever the item's end, with every image that arrived.
func (s *session) writeJSON(b *batch, it run.Snapshot, fails []*run.VariantError, hint string) error {
	res := jsonResult{File: it.Spec.Source(), State: it.State.String(), TaskID: it.TaskID, Images: []jsonImage{}, Failed: []jsonFailure{},
		ForegroundRect: it.ForegroundRect, MayBeBilled: it.MayBeBilled, Fetch: hint}
	if it.Spec.ImageURL != "" {
		res.File, res.ImageURL = "", it.Spec.ImageURL
	} else if res.File != "" {
		if abs, err := filepath.Abs(res.File); err == nil {
			res.File = abs
		}
	}
	if b.rec != nil && it.ID != "" {
		if id, ok := b.rec.RunID(it.ID); ok {
			res.Run = int64(id)
		}
	}
	for _, v := range it.Variants {
		res.Images = append(res.Images, jsonImage{Variant: v.N, Path: v.Path(), URL: v.URL, Width: v.Width, Height: v.Height})
	}
	for _, f := range fails {
		res.Failed = append(res.Failed, jsonFailure{Variant: f.N, URL: f.URL, Error: s.describe(f.Err)})
	}
	switch {
	case it.State == run.Done || it.State == run.Skipped:
	case len(fails) > 0 && onlyVariants(it.Err):
		res.Error = fmt.Sprintf("%d of %d variants not saved", len(fails), len(fails)+len(it.Variants))
	default:
		res.Error = s.itemError(it)
	}
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	_, err = s.con.stdout.Write(append(data, '\n'))
	return err
}
