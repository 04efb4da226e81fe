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
	line := t.State.String()
	if t.State == api.StateProcessing || (t.Progress > 0 && !t.State.Finished()) {
		line = fmt.Sprintf("%s %d%%", t.State, t.Progress)
	}
	p.show(t.State.String(), line, min(t.Progress, 99))
}

// downloaded is the save callback.
func (p *progress) downloaded(done, total int) {
	label := fmt.Sprintf("downloading %d/%d", done, total)
	p.show(label, label, 99)
}

// show moves the bar (which shows the percent itself), or prints line
// when it says something new.
func (p *progress) show(barLabel, line string, percent int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Describe(barLabel)
		p.bar.Set(percent)
		return
	}
	if line == p.last {
		return
	}
	p.last = line
	fmt.Fprintln(p.w, line)
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
