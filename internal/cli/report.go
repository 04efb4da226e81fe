package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"backdrop/api"
	"backdrop/internal/job"
)

// outcome is everything a run of generate or fetch ended with.
type outcome struct {
	res    *job.Result   // nil when nothing was created
	err    error         // the run's error, nil when every result arrived
	saved  []savedImage  // written to the output folder
	failed []job.Failure // did not arrive or could not be written
}

// taskID is the id of the task the run made or fetched, "" if none.
func (o *outcome) taskID() string {
	var inc *job.IncompleteError
	switch {
	case o.res != nil && o.res.Task != nil && o.res.Task.ID != "":
		return o.res.Task.ID
	case errors.As(o.err, &inc):
		return inc.TaskID
	}
	return ""
}

// downloadsFailed says the run's error is its failed downloads, each
// listed on its own.
func (o *outcome) downloadsFailed() bool { return o.res != nil && len(o.res.Failed) > 0 }

// allExpired says every failure is a result link that has expired: the
// images are gone from the service, and fetching again cannot help.
func (o *outcome) allExpired() bool {
	if len(o.failed) == 0 || !o.downloadsFailed() {
		return false
	}
	for _, f := range o.failed {
		if !errors.As(f.Err, new(*job.LinkExpiredError)) {
			return false
		}
	}
	return true
}

// report prints the outcome and returns the exit code: every saved file
// (unless --json says it), each failure on a line of its own with its
// link, and, when paid images may still be at the service, the command
// that fetches them later.
func (s *session) report(o *outcome) int {
	sort.Slice(o.failed, func(i, j int) bool { return o.failed[i].Variant < o.failed[j].Variant })
	if !s.json {
		for _, im := range o.saved {
			s.con.infof("saved %s (%d×%d)", im.path, im.width, im.height)
		}
	}
	for _, f := range o.failed {
		line := fmt.Sprintf("variant %d not saved: %s", f.Variant, s.describe(f.Err))
		if f.URL != "" {
			line += " — link: " + f.URL
		}
		s.con.errorf("%s", line)
	}
	incomplete := errors.As(o.err, new(*job.IncompleteError))
	if o.err != nil && !o.downloadsFailed() {
		// The run's own failure; failed downloads were listed above.
		s.con.errorf("%s", s.describe(o.err))
	}
	hint := ""
	if id := o.taskID(); id != "" && (incomplete || len(o.failed) > 0) && !o.allExpired() {
		hint = s.fetchCommand(id)
		s.con.errorf("task %s: get its images later (links last about an hour) with: %s", id, hint)
	}
	code := ExitOK
	switch {
	case o.err == nil && len(o.failed) == 0:
	case len(o.saved) == 0 && api.IsValidation(o.err):
		code = ExitUsage
	default:
		code = ExitFailure
	}
	if s.json && o.res != nil {
		if err := s.writeJSON(o, hint); err != nil {
			s.con.errorf("%v", err)
			return ExitFailure
		}
	}
	return code
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

type jsonResult struct {
	TaskID         string        `json:"task_id"`
	Images         []jsonImage   `json:"images"`
	Failed         []jsonFailure `json:"failed"`
	ForegroundRect *api.Rect     `json:"foreground_rect"`
	Error          string        `json:"error,omitempty"`
	Fetch          string        `json:"fetch,omitempty"` // the command that gets the images later
}

// writeJSON prints one object on stdout, in one write (so it is redacted
// whole), also when some or all results failed after the task was made.
func (s *session) writeJSON(o *outcome, hint string) error {
	res := jsonResult{TaskID: o.taskID(), Images: []jsonImage{}, Failed: []jsonFailure{}, Fetch: hint}
	if o.res.Task != nil {
		res.ForegroundRect = o.res.Task.ForegroundRect
	}
	for _, im := range o.saved {
		res.Images = append(res.Images, jsonImage{Variant: im.variant, Path: im.path, URL: im.url, Width: im.width, Height: im.height})
	}
	for _, f := range o.failed {
		res.Failed = append(res.Failed, jsonFailure{Variant: f.Variant, URL: f.URL, Error: s.describe(f.Err)})
	}
	switch {
	case len(o.failed) > 0:
		res.Error = fmt.Sprintf("%d of %d variants not saved", len(o.failed), len(o.failed)+len(o.saved))
	case o.err != nil:
		res.Error = s.describe(o.err)
	}
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	_, err = s.con.stdout.Write(append(data, '\n'))
	return err
}
