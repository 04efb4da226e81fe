package cli

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"backdrop/api"
)

// progress shows a task's way on stderr: a bar on a terminal, plain lines
// (one per change) when stderr is a file or a pipe.
type progress struct {
	mu   sync.Mutex
	w    io.Writer
	bar  *progressbar.ProgressBar
	last string
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		p.bar = progressbar.NewOptions(100,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("sending"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// task is the api progress callback.
func (p *progress) task(t *api.Task) {
	label := t.State.String()
	if t.State == api.StateProcessing || (t.Progress > 0 && !t.State.Finished()) {
		label = fmt.Sprintf("%s %d%%", t.State, t.Progress)
	}
	p.show(label, min(t.Progress, 99))
}

// downloaded is the save callback.
func (p *progress) downloaded(done, total int) {
	p.show(fmt.Sprintf("downloading %d/%d", done, total), 99)
}

func (p *progress) show(label string, percent int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if label == p.last {
		return
	}
	p.last = label
	if p.bar != nil {
		p.bar.Describe(label)
		p.bar.Set(percent)
		return
	}
	fmt.Fprintln(p.w, label)
}

func (p *progress) fail() {
	if p.bar != nil {
		p.bar.Exit()
		fmt.Fprintln(p.w)
	}
}

// finish ends the bar and, unless the JSON answer says it, lists the files.
func (p *progress) finish(saved []savedImage, quiet bool) {
	if p.bar != nil {
		p.bar.Finish()
	}
	if quiet {
		return
	}
	for _, s := range saved {
		fmt.Fprintf(p.w, "saved %s (%d×%d)\n", s.path, s.width, s.height)
	}
}
