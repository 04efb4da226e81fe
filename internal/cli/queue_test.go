package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"backdrop/internal/app"
	"backdrop/internal/contract"
	"backdrop/internal/library"
	"backdrop/internal/run"
	"backdrop/internal/testshot"
)

// decodeLines reads --json output: one object per line.
func decodeLines(t *testing.T, stdout string) []jsonResult {
	t.Helper()
	var out []jsonResult
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if line == "" {
			continue
		}
		var r jsonResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("a line of --json is not one object: %v\n%q", err, line)
		}
		out = append(out, r)
	}
	return out
}

// byFile indexes results by their shot's file name.
func byFile(rs []jsonResult) map[string]jsonResult {
	m := map[string]jsonResult{}
	for _, r := range rs {
		m[filepath.Base(r.File)] = r
	}
	return m
}

// A folder goes through one queue: its images (found recursively, by
// their content) once each, other files passed over with the reason, the
// output folder inside it left alone; one JSON line per item. Run again,
// the same work is skipped (exit 0) and nothing is sent.
func TestGenerateAFolder(t *testing.T) {
	srv, url := server(t)
	in := t.TempDir()
	testshot.Write(t, in, "mug.png", 30, 20)
	os.MkdirAll(filepath.Join(in, "sub", "deeper"), 0o755)
	testshot.Write(t, filepath.Join(in, "sub"), "vase.png", 24, 24)
	data, _ := os.ReadFile(testshot.Write(t, t.TempDir(), "x.png", 20, 30))
	os.WriteFile(filepath.Join(in, "sub", "deeper", "lamp.jpg"), data, 0o644) // a PNG whatever its name
	os.WriteFile(filepath.Join(in, "notes.txt"), []byte("shoot on Tuesday"), 0o644)
	os.WriteFile(filepath.Join(in, "empty.png"), nil, 0o644)
	out := filepath.Join(in, "results")
	env := testEnv(t, "BACKDROP_TOKEN", token, "BACKDROP_ENDPOINT", url)

	code, stdout, stderr := gen(t, env, "--prompt", "white marble", "--batch", "1", "--out", out, "--json", in)
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	items := byFile(decodeLines(t, stdout))
	if len(items) != 3 || len(srv.Creates()) != 3 {
		t.Fatalf("%d items, %d creates:\n%s", len(items), len(srv.Creates()), stdout)
	}
	for _, name := range []string{"mug.png", "vase.png", "lamp.jpg"} {
		r := items[name]
		if r.State != "done" || len(r.Images) != 1 || r.TaskID == "" || r.Run == 0 || filepath.Dir(r.Images[0].Path) != out {
			t.Fatalf("%s: %+v", name, r)
		}
	}
	for _, words := range []string{"passed over " + filepath.Join(in, "notes.txt") + ": not a JPEG, PNG, WebP or BMP image",
		"passed over " + filepath.Join(in, "empty.png") + ": an empty file"} {
		if !strings.Contains(stderr, words) {
			t.Fatalf("stderr lacks %q:\n%s", words, stderr)
		}
	}
	oneLinePerError(t, "backdrop generate", stderr)

	code, stdout, stderr = gen(t, env, "--prompt", "white marble", "--batch", "1", "--out", out, "--json", in)
	if code != ExitOK || len(srv.Creates()) != 3 {
		t.Fatalf("run again: exit %d, %d creates:\n%s", code, len(srv.Creates()), stderr)
	}
	for name, r := range byFile(decodeLines(t, stdout)) {
		if r.State != "skipped" || len(r.Images) != 1 {
			t.Fatalf("run again, %s: %+v", name, r)
		}
	}
	if got := files(t, out); len(got) != 3 {
		t.Fatalf("the output folder holds %v", got)
	}
	// --force sends it again; the library holds each run once.
	code, _, stderr = gen(t, env, "--prompt", "white marble", "--batch", "1", "--out", out, "--force", filepath.Join(in, "mug.png"))
	if code != ExitOK || len(srv.Creates()) != 4 || len(files(t, out)) != 4 {
		t.Fatalf("--force: exit %d, %d creates, files %v:\n%s", code, len(srv.Creates()), files(t, out), stderr)
	}
	store, err := library.Open(env["BACKDROP_LIBRARY"])
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	page, _ := store.List(context.Background(), library.Query{})
	if len(page.Runs) != 4 {
		t.Fatalf("the library holds %d runs, want 4", len(page.Runs))
	}
}

// One item that fails does not stop the others: they finish, exit 1.
func TestGenerateOneFailsTheOthersFinish(t *testing.T) {
	srv, url := server(t)
	in := t.TempDir()
	testshot.Write(t, in, "a.png", 30, 20)
	testshot.Write(t, in, "b.png", 30, 20)
	// A header the checks accept, a body the service cannot decode.
	good, _ := os.ReadFile(filepath.Join(in, "a.png"))
	broken := append(append([]byte{}, good[:40]...), make([]byte, 200)...)
	os.WriteFile(filepath.Join(in, "broken.png"), broken, 0o644)
	out := t.TempDir()
	code, stdout, stderr := gen(t, nil, "--prompt", "p", "--batch", "1", "--out", out, "--endpoint", url, "--token", token, "--json", in)
	if code != ExitFailure {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	items := byFile(decodeLines(t, stdout))
	if items["a.png"].State != "done" || items["b.png"].State != "done" || items["broken.png"].State != "failed" || items["broken.png"].Error == "" {
		t.Fatalf("items: %+v", items)
	}
	if len(files(t, out)) != 2 || len(srv.Creates()) != 3 {
		t.Fatalf("files %v, %d creates", files(t, out), len(srv.Creates()))
	}
	if !strings.Contains(stderr, "backdrop generate: broken.png: ") {
		t.Fatalf("the failure is not told with its shot:\n%s", stderr)
	}
}

// A folder with a shot that cannot be sent is refused whole, every
// reason told, nothing sent.
func TestGenerateChecksEveryShotBeforeSending(t *testing.T) {
	srv, url := server(t)
	in := t.TempDir()
	testshot.Write(t, in, "a.png", 30, 20)
	os.WriteFile(filepath.Join(in, "bomb.png"), pngClaiming(100000, 100000), 0o644)
	os.WriteFile(filepath.Join(in, "huge.png"), append(pngOf(4, 4), make([]byte, 16<<20)...), 0o644)
	code, _, stderr := gen(t, nil, "--prompt", "p", "--out", t.TempDir(), "--endpoint", url, "--token", token, in)
	if code != ExitUsage || !strings.Contains(stderr, "bomb.png") || !strings.Contains(stderr, "huge.png") || len(srv.Creates()) != 0 {
		t.Fatalf("exit %d, %d creates:\n%s", code, len(srv.Creates()), stderr)
	}
	for _, bad := range [][]string{{"--jobs", "0"}, {"--rate", "0"}, {"--format", "gif"}, {"--quality", "101"}, {"--template", "{nope}"}} {
		code, _, stderr := gen(t, nil, append([]string{"--prompt", "p", "--endpoint", url, "--token", token, in}, bad...)...)
		if code != ExitUsage {
			t.Fatalf("%v: exit %d:\n%s", bad, code, stderr)
		}
	}
}

// --format, --quality and --template shape the saved files; --no-library
// keeps skip-done in the output folder.
func TestGenerateFormatTemplateAndNoLibrary(t *testing.T) {
	_, url := server(t)
	shot := testshot.Write(t, t.TempDir(), "shoe.png", 30, 20)
	out := t.TempDir()
	args := []string{"--prompt", "white marble", "--batch", "2", "--out", out, "--endpoint", url, "--token", token,
		"--format", "jpeg", "--quality", "80", "--template", "{name}_{prompt}_{n}", "--no-library", shot}
	env := testEnv(t)
	if code, _, stderr := gen(t, env, args...); code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	got := files(t, out)
	slices.Sort(got)
	if strings.Join(got, ",") != ".backdrop,shoe_white marble_1.jpg,shoe_white marble_2.jpg" {
		t.Fatalf("files %v", got)
	}
	if _, err := os.Stat(filepath.Join(env["BACKDROP_LIBRARY"], library.DatabaseName)); !os.IsNotExist(err) {
		t.Fatalf("--no-library opened the library: %v", err)
	}
	if code, _, stderr := gen(t, env, args...); code != ExitOK || !strings.Contains(stderr, "skipped, already done") {
		t.Fatalf("again: exit %d:\n%s", code, stderr)
	}
}

// At start, runs an ended process left under way are picked up: its task
// is fetched (and stands for the same shot given again, so nothing is
// created twice); a create that may have been billed is not sent again
// unless --force.
func TestGeneratePicksUpWhatAnEndedProcessLeft(t *testing.T) {
	srv, url := server(t)
	in := t.TempDir()
	mug := testshot.Write(t, in, "mug.png", 30, 20)
	vase := testshot.Write(t, in, "vase.png", 30, 20)
	out := t.TempDir()
	env := testEnv(t, "BACKDROP_TOKEN", token, "BACKDROP_ENDPOINT", url)

	// The dead process: the mug's task made, the vase's create sent
	// without its answer.
	b, err := app.Connect(app.Config{Token: token, Endpoint: url, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	task, err := b.Client().CreateTask(ctx, run.Spec{ImageFile: mug, Prompt: "oak", Variants: 1}.Request())
	if err != nil {
		t.Fatal(err)
	}
	dead, err := library.Open(env["BACKDROP_LIBRARY"])
	if err != nil {
		t.Fatal(err)
	}
	rec := app.Recorder(dead, b.LibraryName())
	spec := func(shot string) run.Spec {
		return run.Spec{ImageFile: shot, Prompt: "oak", Variants: 1, Options: run.Options{OutDir: out}}
	}
	for _, err := range []error{
		rec.Added(run.AddedRecord{ID: "mug", Spec: spec(mug)}), rec.Sending("mug", run.SendingRecord{}), rec.Created("mug", task.ID),
		rec.Added(run.AddedRecord{ID: "vase", Spec: spec(vase)}), rec.Sending("vase", run.SendingRecord{}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	dead.Close()
	creates := len(srv.Creates())

	code, stdout, stderr := gen(t, env, "--prompt", "oak", "--batch", "1", "--out", out, "--json", mug, vase)
	if code != ExitFailure {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	for _, words := range []string{"picked up mug.png", "its images are fetched now", "picked up vase.png", "may have been billed",
		"vase.png: not sent: an earlier create of the same work", "--force"} {
		if !strings.Contains(stderr, words) {
			t.Fatalf("stderr lacks %q:\n%s", words, stderr)
		}
	}
	items := byFile(decodeLines(t, stdout))
	if r := items["mug.png"]; r.State != "done" || r.TaskID != task.ID || len(r.Images) != 1 {
		t.Fatalf("mug: %+v", r)
	}
	if r := items["vase.png"]; r.State != "failed" || len(srv.Creates()) != creates {
		t.Fatalf("vase: %+v, %d creates", r, len(srv.Creates())-creates)
	}
	code, _, stderr = gen(t, env, "--prompt", "oak", "--batch", "1", "--out", out, "--force", vase)
	if code != ExitOK || len(srv.Creates()) != creates+1 || len(files(t, out)) != 2 {
		t.Fatalf("--force: exit %d, %d creates, files %v:\n%s", code, len(srv.Creates())-creates, files(t, out), stderr)
	}
}

// fetch goes through the queue and the library too.
func TestFetchRecordsIntoTheLibrary(t *testing.T) {
	_, url := server(t, contract.WithShape(contract.ShapeSlots))
	shot := testshot.Write(t, t.TempDir(), "cup.png", 30, 20)
	b, err := app.Connect(app.Config{Token: token, Endpoint: url, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	task, err := b.Client().CreateTask(context.Background(), run.Spec{ImageFile: shot, Prompt: "oak", Variants: 3}.Request())
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv(t, "BACKDROP_TOKEN", token, "BACKDROP_ENDPOINT", url)
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, fetchCmd, env, task.ID, "--out", out, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	r := decodeLines(t, stdout)
	if len(r) != 1 || r[0].State != "done" || len(r[0].Images) != 3 || r[0].Run == 0 {
		t.Fatalf("%+v", r)
	}
	store, err := library.Open(env["BACKDROP_LIBRARY"])
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	got, err := store.Get(context.Background(), library.ID(r[0].Run))
	if err != nil || got.TaskID != task.ID || got.State != library.StateDone || len(got.Images) != 3 {
		t.Fatalf("the library holds %+v (%v)", got, err)
	}
}
