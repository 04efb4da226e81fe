package run

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"backdrop/api"
)

// A dead process's temporary file is swept; one being written (locked),
// a young one of another writer, and real files stay.
func TestSweepTempRemovesOnlyDeadWritersFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no sweeping where a live writer cannot be told")
	}
	dir := t.TempDir()
	old := time.Now().Add(-time.Minute)
	dead := filepath.Join(dir, ".backdrop-dead.part")
	young := filepath.Join(dir, ".backdrop-young.part")
	// Young, unlocked, of a process that has ended (killed a moment ago),
	// and of this live one (a writer that takes no lock).
	ended := exec.Command(os.Args[0], "-test.run=^$")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	youngDead := filepath.Join(dir, fmt.Sprintf(".backdrop-%d-0a1b.part", ended.Process.Pid))
	youngOurs := filepath.Join(dir, fmt.Sprintf(".backdrop-%d-0a1b.part", os.Getpid()))
	real := filepath.Join(dir, "mug-bg-1.png")
	for _, p := range []string{dead, young, youngDead, youngOurs, real} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Chtimes(dead, old, old)
	os.Chtimes(real, old, old)
	live, err := createTemp(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Discard()
	os.Chtimes(live.Name(), old, old)

	if n := SweepTemp(dir); n != 2 {
		t.Fatalf("swept %d files, want 2", n)
	}
	for p, want := range map[string]bool{dead: false, young: true, youngDead: false, youngOurs: true, real: true, live.Name(): true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Fatalf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

// A task fetched again after a crash finds the variant the dead process
// had written but not recorded: it is used, not written a second time.
func TestResumedTaskReusesTheFileAlreadyWritten(t *testing.T) {
	svc := newService(t, 0)
	c := client(t, svc.url)
	shot := shots(t, 1)[0]
	task, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "oak", BatchSize: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var first []byte
	{
		f := filepath.Join(t.TempDir(), "v1")
		w, _ := os.Create(f)
		if _, err := c.Download(context.Background(), task.Images[0], w); err != nil {
			t.Fatal(err)
		}
		w.Close()
		first, _ = os.ReadFile(f)
	}
	written := filepath.Join(out, "shot-01-bg-1.png")
	os.WriteFile(written, first, 0o644)
	q := newQueue(t, Config{Backend: c, Rate: 50})
	id := mustAdd(t, q, Spec{TaskID: task.ID, ImageFile: shot, Prompt: "oak", Variants: 2, Options: Options{OutDir: out}})
	waitIdle(t, q)
	s, _ := q.Item(id)
	if s.State != Done || len(s.Variants) != 2 || s.Variants[0].SavedPath != written {
		t.Fatalf("%s: %+v", s.Label(), s.Variants)
	}
	if got := names(out); len(got) != 2 {
		t.Fatalf("the output folder holds %v", got)
	}
}
