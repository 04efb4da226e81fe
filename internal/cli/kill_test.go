package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"backdrop/internal/contract"
	"backdrop/internal/library"
	"backdrop/internal/testshot"
)

// The kill test: the real binary runs `backdrop generate DIR` against a
// rate-limited contract server whose tasks take a while, is killed
// (SIGKILL) at random points and started again until it ends; then every
// shot must be in the output folder and the library exactly once, with
// one create each at the server. The one case the contract leaves open —
// killed after a create went out and before its answer was recorded — is
// checked for what it must do instead: the shot is reported as "may have
// been billed" with the way forward, and never sent again by itself.
//
// BACKDROP_KILL_SEED replays a run; BACKDROP_KILL_ROUNDS sets the kills.
func TestGenerateSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("BACKDROP_KILL_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("BACKDROP_KILL_SEED: %v", err)
		}
	}
	rounds := 8
	if s := os.Getenv("BACKDROP_KILL_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	t.Logf("seed %d (BACKDROP_KILL_SEED=%d replays the kill points), %d kills", seed, seed, rounds)
	rng := rand.New(rand.NewPCG(seed, seed>>1|1))
	bin := buildBackdrop(t)

	srv := contract.New(contract.WithToken(token), contract.WithRecords(true), contract.WithPainter(contract.PlainPainter{}))
	knobs := WithKnobs(srv, Knobs{RateLimit: 2, TaskLatency: 1500 * time.Millisecond})
	hs := httptest.NewServer(knobs)
	defer func() { hs.Close(); srv.Close() }()

	in, out := t.TempDir(), t.TempDir()
	const shots = 8
	var names []string
	for i := range shots {
		name := fmt.Sprintf("shot-%d.png", i+1)
		testshot.Write(t, in, name, 48+i, 36) // sizes differ: eight different shots
		names = append(names, name)
	}
	env := append(os.Environ(), "BACKDROP_TOKEN="+token, "BACKDROP_ENDPOINT="+hs.URL,
		"XDG_CACHE_HOME="+t.TempDir(), "BACKDROP_LIBRARY="+t.TempDir())
	args := []string{"generate", "--prompt", "white marble", "--batch", "2", "--out", out, "--json", in}

	maybeBilled := map[string]int{} // shot → its creates at the server when first reported so
	var last result
	kills := 0
	for round := 0; ; round++ {
		if round > rounds+20 {
			t.Fatalf("still not done after %d starts", round)
		}
		// Kill points span the whole life of a run: start-up, the paced
		// creates, the polls, the downloads and saves.
		var after time.Duration = -1
		if kills < rounds {
			after = time.Duration(rng.Int64N(int64(3500 * time.Millisecond)))
			if rng.IntN(4) == 0 {
				after = time.Duration(rng.Int64N(int64(400 * time.Millisecond)))
			}
		}
		began := time.Now()
		last = runKilled(t, bin, env, args, after)
		if last.killed {
			kills++
			t.Logf("start %d at %s: killed after %v", round+1, began.Format("05.000"), after.Round(time.Millisecond))
			continue
		}
		t.Logf("start %d: exit %d", round+1, last.code)
		for _, line := range last.items {
			if line.MayBeBilled || strings.Contains(line.Error, "may have been billed") {
				name := filepath.Base(line.File)
				if _, seen := maybeBilled[name]; !seen {
					maybeBilled[name] = createsOf(srv)[name]
				}
			}
		}
		if last.code == ExitOK {
			break
		}
		// Exit 1 is right only when the shots that failed are the ones
		// that may have been billed: each names the way forward.
		for _, line := range last.items {
			if line.State == "done" || line.State == "skipped" {
				continue
			}
			name := filepath.Base(line.File)
			if _, ok := maybeBilled[name]; !ok {
				t.Fatalf("start %d: %s %s: %s\nstderr:\n%s", round+1, name, line.State, line.Error, last.stderr)
			}
			if !strings.Contains(line.Error, "--force") {
				t.Fatalf("%s may have been billed, but the user is not told how to go on: %q", name, line.Error)
			}
		}
		if last.code != ExitFailure || len(maybeBilled) == 0 {
			t.Fatalf("start %d: exit %d\nstderr:\n%s", round+1, last.code, last.stderr)
		}
		// Once more, to see that nothing is sent again by itself.
		again := runKilled(t, bin, env, args, -1)
		if again.code != ExitFailure || !strings.Contains(again.stderr, "may have been billed") {
			t.Fatalf("a shot that may have been billed: the next start exits %d:\n%s", again.code, again.stderr)
		}
		break
	}

	// The server: one create per shot; a shot that may have been billed
	// got none after it was reported so.
	creates := createsOf(srv)
	for _, name := range names {
		n, flagged := creates[name], false
		if before, ok := maybeBilled[name]; ok {
			flagged = true
			if n != before || n > 1 {
				t.Errorf("%s may have been billed (%d creates then), yet the server saw %d", name, before, n)
			}
			t.Logf("%s: killed between its create and its answer being recorded: reported as may have been billed (%d create at the server), not sent again", name, n)
		}
		if !flagged && n != 1 {
			t.Errorf("%s: %d creates at the server, want 1", name, n)
		}
	}
	t.Logf("%d kills, %d shot(s) of %d may have been billed", kills, len(maybeBilled), shots)

	// The output folder: each shot's two variants once, nothing else.
	var want []string
	for _, name := range names {
		if _, ok := maybeBilled[name]; ok {
			continue
		}
		stem := strings.TrimSuffix(name, ".png")
		want = append(want, stem+"-bg-1.png", stem+"-bg-2.png")
	}
	slices.Sort(want)
	if got := allFiles(t, out); !slices.Equal(got, want) {
		t.Errorf("output folder:\n got %v\nwant %v", got, want)
	}

	// The library: one run per shot, done with its two variants.
	runs := libraryRuns(t, bin, env)
	perShot := map[string][]library.Run{}
	for _, r := range runs {
		perShot[r.Source.Name()] = append(perShot[r.Source.Name()], r)
	}
	for _, name := range names {
		rs := perShot[name]
		if _, ok := maybeBilled[name]; ok {
			for _, r := range rs {
				t.Logf("%s: sent at %s", name, r.Sent.Format("05.000"))
			}
			if len(rs) != 1 || rs[0].State != library.StateMaybeBilled {
				t.Errorf("%s: library runs %+v, want one that may have been billed", name, rs)
			}
			continue
		}
		if len(rs) != 1 || rs[0].State != library.StateDone || len(rs[0].Images) != 2 {
			t.Errorf("%s: library runs %+v, want one done with 2 images", name, rs)
			continue
		}
		for _, v := range rs[0].Images {
			if filepath.Dir(v.SavedPath) != out {
				t.Errorf("%s variant %d saved at %q", name, v.N, v.SavedPath)
			}
		}
	}
	if len(runs) != shots {
		t.Errorf("%d runs in the library, want %d", len(runs), shots)
	}
}

// result is how one start of the binary ended.
type result struct {
	killed bool
	code   int
	stderr string
	items  []jsonResult
}

// runKilled starts the binary and, after a delay (never when < 0), kills
// it with SIGKILL unless it ended first.
func runKilled(t *testing.T, bin string, env, args []string, after time.Duration) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	var err error
	killed := false
	if after >= 0 {
		select {
		case err = <-ended:
		case <-time.After(after):
			cmd.Process.Kill() // SIGKILL: no clean-up of any kind
			err = <-ended
			killed = cmd.ProcessState.ExitCode() == -1
		}
	} else {
		select {
		case err = <-ended:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			<-ended
			t.Fatalf("the binary did not end in 2 minutes:\n%s", stderr.String())
		}
	}
	res := result{killed: killed, stderr: stderr.String()}
	if killed {
		return res
	}
	if err != nil && cmd.ProcessState.ExitCode() < 0 {
		t.Fatalf("%v:\n%s", err, stderr.String())
	}
	res.code = cmd.ProcessState.ExitCode()
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var r jsonResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("stdout line %q: %v", sc.Text(), err)
		}
		res.items = append(res.items, r)
	}
	return res
}

// createsOf counts the tasks the server made, by the shot's file name.
func createsOf(srv *contract.Server) map[string]int {
	n := map[string]int{}
	for _, c := range srv.Creates() {
		if c.TaskID != "" {
			n[c.FileName]++
		}
	}
	return n
}

// allFiles lists every file under dir (hidden and temporary ones too),
// relative to it.
func allFiles(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		got = append(got, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// libraryRuns reads the library as `backdrop library --json` prints it.
func libraryRuns(t *testing.T, bin string, env []string) []library.Run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "library", "--json", "--limit", "500")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		t.Fatalf("library: %v\n%s", err, stderr.String())
	}
	var runs []library.Run
	for line := range strings.Lines(string(data)) {
		var r library.Run
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("library line %q: %v", line, err)
		}
		runs = append(runs, r)
	}
	return runs
}

var built struct {
	sync.Once
	bin, dir string
	err      error
	out      []byte
}

// buildBackdrop builds the real binary once (without the race detector:
// it is the program under test, not this test).
func buildBackdrop(t *testing.T) string {
	t.Helper()
	built.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		if built.dir, built.err = os.MkdirTemp("", "backdrop-killtest-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "backdrop")
		cmd := exec.Command("go", "build", "-o", built.bin, ".")
		cmd.Dir = root
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("build: %v\n%s", built.err, built.out)
	}
	return built.bin
}
