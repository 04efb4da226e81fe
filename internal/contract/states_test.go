package contract_test

import (
	"testing"

	"backdrop/internal/contract"
)

func TestFailStates(t *testing.T) {
	cases := []struct {
		state  int
		detail string
	}{
		{contract.StateFailed, ""},
		{contract.StateStoreFailed, ""},
		{contract.StateDownloadFailed, "cannot reach the host"},
		{contract.StateTooLarge, ""},
		{contract.StateInvalidImage, "bad file"},
		{contract.StateTimedOut, ""},
		{-9, "something new"},
	}
	for _, c := range cases {
		t.Run(itoa(c.state), func(t *testing.T) {
			want := c.detail
			if want == "" {
				want = contract.StateDetail(c.state)
			}
			_, ts := start(t, contract.WithFailState(c.state, c.detail), contract.WithShape(contract.ShapeSlots))
			for _, sync := range []string{"1", "0"} {
				a := create(t, ts, pngForm(8, 8, "prompt", "p", "sync", sync))
				d := a.task(t)
				if sync == "0" {
					d = poll(t, ts, d.TaskID)
				}
				if d.State != c.state || d.StateDetail != want || d.ErrInfo != want || d.CompletedAt == 0 {
					t.Errorf("sync=%s: %+v", sync, d)
				}
				if d.Image1 == nil || *d.Image1 != "" || d.ImageWidth != 0 {
					t.Errorf("sync=%s: a failed task shows images: %+v", sync, d)
				}
			}
		})
	}
}

func TestScript(t *testing.T) {
	cases := []struct {
		name   string
		script []contract.Step
		final  int
		detail string
	}{
		{"0 2 3 4 then done", []contract.Step{{State: 0}, {State: 2}, {State: 3}, {State: 4, Progress: 10}, {State: 4, Progress: 60, Detail: "Rendering"}}, 1, "Complete"},
		{"ends in timeout", []contract.Step{{State: 2}, {State: 4, Progress: 50}, {State: -8, Detail: "took too long"}}, -8, "took too long"},
		{"ends in invalid image", []contract.Step{{State: 0}, {State: -7}}, -7, contract.StateDetail(-7)},
		{"state 1 step is the real end", []contract.Step{{State: 3}, {State: 1}}, 1, "Complete"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ts := start(t, contract.WithScript(c.script...))
			// batch 1: the default shape is then one URL, "" until the end.
			id := create(t, ts, pngForm(8, 8, "prompt", "p", "batch_size", "1")).task(t).TaskID
			for i, step := range c.script {
				if step.State == 1 {
					break
				}
				d := get(t, ts, "Bearer x", id).task(t)
				want := step.Detail
				if want == "" {
					want = contract.StateDetail(step.State)
				}
				if d.State != step.State || d.Progress != step.Progress || d.StateDetail != want || d.TaskID != id {
					t.Errorf("GET %d: %+v, want %+v", i, d, step)
				}
				if len(d.Image) == 0 || string(d.Image) != `""` {
					t.Errorf("GET %d: image %s before the end", i, d.Image)
				}
			}
			for i := range 2 { // the end, and it stays
				d := get(t, ts, "Bearer x", id).task(t)
				if d.State != c.final || d.StateDetail != c.detail {
					t.Errorf("final GET %d: %+v", i, d)
				}
				if c.final == 1 && d.Progress != 100 {
					t.Errorf("progress %d", d.Progress)
				}
			}
			if got := s.Tasks()[0].State; got != c.final {
				t.Errorf("real state %d", got)
			}
			if s.Gets() != len(c.script)+2-countDone(c.script) {
				t.Errorf("Gets() = %d", s.Gets())
			}
		})
	}
}

func countDone(steps []contract.Step) int {
	n := 0
	for _, s := range steps {
		if s.State == 1 {
			n++
		}
	}
	return n
}

func TestScriptDoesNotChangeSync(t *testing.T) {
	_, ts := start(t, contract.WithScript(contract.Step{State: 2}, contract.Step{State: 4}))
	if d := create(t, ts, pngForm(8, 8, "prompt", "p", "sync", "1")).task(t); d.State != 1 {
		t.Errorf("sync answer %+v", d)
	}
	_, ts = start(t, contract.WithScript(contract.Step{State: 2}, contract.Step{State: -5}))
	if d := create(t, ts, pngForm(8, 8, "prompt", "p", "sync", "1")).task(t); d.State != -5 {
		t.Errorf("sync answer %+v", d)
	}
}
