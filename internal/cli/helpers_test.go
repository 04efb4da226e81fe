package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"backdrop/internal/contract"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const token = "sk-cli-test-0123456789abcdef"

// server runs the contract server on loopback, recording creates.
func server(t *testing.T, opts ...contract.Option) (*contract.Server, string) {
	srv := contract.New(append([]contract.Option{contract.WithToken(token), contract.WithRecords(true)}, opts...)...)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return srv, hs.URL
}

// testEnv is an environment whose cache folder is the test's own.
func testEnv(t *testing.T, kv ...string) map[string]string {
	env := map[string]string{"XDG_CACHE_HOME": t.TempDir(), "BACKDROP_LIBRARY": t.TempDir()}
	for i := 0; i+1 < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	return env
}

// command runs one sub-command (Generate or Fetch) and returns its exit
// code, stdout and stderr.
type command func(ctx context.Context, args []string, env func(string) string, stdout, stderr *bytes.Buffer) int

func generateCmd(ctx context.Context, args []string, env func(string) string, stdout, stderr *bytes.Buffer) int {
	return Generate(ctx, args, env, stdout, stderr)
}

func fetchCmd(ctx context.Context, args []string, env func(string) string, stdout, stderr *bytes.Buffer) int {
	return Fetch(ctx, args, env, stdout, stderr)
}

func runCmd(t *testing.T, cmd command, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return runCtx(context.Background(), t, cmd, env, args...)
}

func runCtx(ctx context.Context, t *testing.T, cmd command, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	if env == nil {
		env = testEnv(t)
	}
	var out, errOut bytes.Buffer
	code := cmd(ctx, args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func gen(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return runCmd(t, generateCmd, env, args...)
}

func decodeJSON(t *testing.T, stdout string) jsonResult {
	t.Helper()
	var res jsonResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%q", err, stdout)
	}
	return res
}

func pngOf(w, h int) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, w, h)))
	return buf.Bytes()
}

// pngClaiming is a small valid PNG whose header claims w×h pixels.
func pngClaiming(w, h uint32) []byte {
	data := pngOf(1, 1)
	binary.BigEndian.PutUint32(data[16:20], w)
	binary.BigEndian.PutUint32(data[20:24], h)
	binary.BigEndian.PutUint32(data[29:33], crc32.ChecksumIEEE(data[12:29]))
	return data
}

// noPartials fails if a temporary file is left in any of dirs.
func noPartials(t *testing.T, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(d.Name(), ".part") {
				t.Errorf("partial file left: %s", path)
			}
			return nil
		})
	}
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// fakeService is a small service of its own for faults the contract server
// does not make: results broken in every way, tasks that never end,
// answers that echo the token, more links than asked for.
type fakeService struct {
	t       *testing.T
	url     string
	creates atomic.Int32
	gets    atomic.Int32
	taskID  string
	links   int                                     // links in the done answer
	pending atomic.Bool                             // the task never ends
	result  func(n int, w http.ResponseWriter) bool // answers /img/n, false: a plain PNG
	create  func(w http.ResponseWriter, r *http.Request) bool
}

func newFake(t *testing.T, links int) *fakeService {
	f := &fakeService{t: t, taskID: "task-42", links: links}
	hs := httptest.NewServer(f)
	t.Cleanup(hs.Close)
	f.url = hs.URL
	return f
}

func (f *fakeService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/task/") && r.Header.Get("Authorization") != "Bearer "+token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":{"message":"bad token","type":"auth"}}`)
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/task/pic/background":
		f.creates.Add(1)
		if f.create != nil && f.create(w, r) {
			return
		}
		fmt.Fprintf(w, `{"status":200,"data":{"task_id":%q,"state":0}}`, f.taskID)
	case r.Method == http.MethodGet && r.URL.Path == "/task/"+f.taskID:
		f.gets.Add(1)
		if f.pending.Load() {
			fmt.Fprintf(w, `{"status":200,"data":{"task_id":%q,"state":4,"progress":50}}`, f.taskID)
			return
		}
		links := make([]string, f.links)
		for i := range links {
			links[i] = fmt.Sprintf("%s/img/%d.png?sig=abc", f.url, i+1)
		}
		data, _ := json.Marshal(map[string]any{"status": 200, "data": map[string]any{"task_id": f.taskID, "state": 1, "progress": 100, "image": links}})
		w.Write(data)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/task/"):
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"status":404,"message":"task not found"}`)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/img/"):
		var n int
		fmt.Sscanf(r.URL.Path, "/img/%d.png", &n)
		if f.result != nil && f.result(n, w) {
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngOf(32, 24))
	default:
		http.NotFound(w, r)
	}
}
