package cli

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"backdrop/internal/job"
)

// progress shows a run's way on stderr: a bar on a terminal, plain lines
// (one per change) when stderr is a file or a pipe.
type progress struct {
	mu   sync.Mutex
	w    io.Writer
	bar  *progressbar.ProgressBar
	last string
}

// newProgress draws on w; tty is the real stderr, to tell a terminal.
func newProgress(w io.Writer, tty io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := tty.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
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

// step is the job's progress callback.
func (p *progress) step(s job.Progress) {
	var label, line string
	switch s.Stage {
	case job.Sending:
		label, line = "sending", "sending"
	case job.Queued:
		label, line = "queued", "queued"
	case job.Processing:
		label, line = "processing", fmt.Sprintf("processing %d%%", s.Percent)
	case job.Downloading:
		label = fmt.Sprintf("downloading %d/%d", s.Received, s.Total)
		line = label
	default:
		return
	}
	p.show(label, line, min(int(s.Fraction()*100), 99))
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

// end clears the bar so that the report starts on a clean line.
func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}
