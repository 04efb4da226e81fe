package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"backdrop/internal/run"
)

// queueBar shows the whole queue on a terminal: one bar, done of total,
// with what runs, what failed and the time left. Off a terminal it shows
// nothing (each item's line says enough).
type queueBar struct {
	mu  sync.Mutex
	w   io.Writer
	bar *progressbar.ProgressBar
}

// newQueueBar draws on w; tty is the real stderr, to tell a terminal.
func newQueueBar(w io.Writer, tty io.Writer) *queueBar {
	b := &queueBar{w: w}
	if f, ok := tty.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		b.bar = progressbar.NewOptions(1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return b
}

// show moves the bar to the queue's numbers.
func (b *queueBar) show(st run.Stats, refused int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar == nil {
		return
	}
	total := st.Total + refused
	if total == 0 {
		return
	}
	b.bar.ChangeMax(total)
	desc := fmt.Sprintf("%d running, %d waiting", st.Running, st.Waiting)
	if failed := st.Failed + refused; failed > 0 {
		desc += fmt.Sprintf(", %d failed", failed)
	}
	if st.Paused {
		desc += ", paused"
	}
	if st.LeftKnown {
		desc += fmt.Sprintf(", about %v left", st.Left.Round(time.Second))
	}
	b.bar.Describe(desc)
	b.bar.Set(st.Finished() + refused)
}

// clear takes the bar off its line, so that a report line can be printed.
func (b *queueBar) clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.Clear()
	}
}

// end clears the bar for good.
func (b *queueBar) end() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.Finish()
		b.bar.Clear()
		b.bar = nil
	}
}
