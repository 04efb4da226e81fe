package job

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

func pngBytes(w, h int) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, w, h)))
	return buf.Bytes()
}

// scripted answers each ref with its own bytes or error.
type scripted struct {
	id      string
	refs    []string
	bodies  map[string][]byte
	errs    map[string]error
	hang    bool // Generate reports the task, then waits until the end
	genErr  error
	created int
}

func (s *scripted) Generate(ctx context.Context, req api.CreateRequest, on func(*api.Task)) (*api.Task, error) {
	s.created++
	on(&api.Task{ID: s.id, State: api.StateQueued})
	if s.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if s.genErr != nil {
		return nil, s.genErr
	}
	return &api.Task{ID: s.id, State: api.StateDone, Images: s.refs}, nil
}

func (s *scripted) Download(ctx context.Context, ref string, w io.Writer) (int64, error) {
	if err := s.errs[ref]; err != nil {
		return 0, err
	}
	n, err := w.Write(s.bodies[ref])
	return int64(n), err
}

func TestRunKeepsWhatArrivesAndNamesEachFailureWithItsLink(t *testing.T) {
	good := pngBytes(40, 30)
	bomb := pngBytes(1, 1)
	copy(bomb[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0}) // 100000×100000
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	c := &scripted{
		id:   "task-7",
		refs: []string{"https://cdn.test/1.png", "https://cdn.test/2.png", "https://cdn.test/3.png", "https://cdn.test/4.png"},
		bodies: map[string][]byte{
			"https://cdn.test/1.png": good,
			"https://cdn.test/2.png": good[:len(good)-20], // truncated
			"https://cdn.test/3.png": bomb,
		},
		errs: map[string]error{"https://cdn.test/4.png": &api.Error{HTTPStatus: 403, Message: "AccessDenied"}},
	}
	cache := t.TempDir()
	res, err := Run(context.Background(), c, api.CreateRequest{BatchSize: 4}, cache, nil)
	var inc *IncompleteError
	if !errors.As(err, &inc) || inc.TaskID != "task-7" {
		t.Fatalf("err %v", err)
	}
	if len(res.Images) != 1 || res.Images[0].Index != 1 || res.Images[0].Cached == "" {
		t.Fatalf("images %+v", res.Images)
	}
	if len(res.Failed) != 3 || !strings.Contains(res.Failed[1].Err.Error(), "100000 × 100000") || !strings.Contains(res.Failed[0].Err.Error(), "damaged") {
		t.Fatalf("failed %+v", res.Failed)
	}
	for i, f := range res.Failed {
		if f.Variant != i+2 || f.URL != c.refs[i+1] || strings.Contains(f.Error(), "cdn.test") {
			t.Errorf("failure %d: %+v (%v)", i, f, f)
		}
	}
	var expired *LinkExpiredError
	if !errors.As(res.Failed[2].Err, &expired) || !strings.Contains(expired.Error(), "task-7") || !strings.Contains(expired.Error(), "expired") {
		t.Errorf("403 on a link: %v", res.Failed[2].Err)
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 || entries[0].Name() != "task-7-1.png" {
		t.Fatalf("cache holds %v", entries)
	}
}

func TestRunTakesNoMoreThanTheBatch(t *testing.T) {
	c := &scripted{id: "t", bodies: map[string][]byte{}}
	for i := range 50 {
		ref := "https://cdn.test/" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".png"
		c.refs = append(c.refs, ref)
		c.bodies[ref] = pngBytes(2, 2)
	}
	res, err := Run(context.Background(), c, api.CreateRequest{BatchSize: 3}, t.TempDir(), nil)
	if err != nil || len(res.Images) != 3 {
		t.Fatalf("%d images, %v", len(res.Images), err)
	}
}

// A caller whose Generate follows an existing task passes no batch size:
// every result the task holds (up to four) is kept.
func TestRunWithoutABatchKeepsEveryVariant(t *testing.T) {
	c := &scripted{id: "t", bodies: map[string][]byte{}}
	for i := range 6 {
		ref := "https://cdn.test/" + string(rune('a'+i)) + ".png"
		c.refs = append(c.refs, ref)
		c.bodies[ref] = pngBytes(2, 2)
	}
	res, err := Run(context.Background(), c, api.CreateRequest{}, t.TempDir(), nil)
	if err != nil || len(res.Images) != api.MaxBatchSize {
		t.Fatalf("%d images, %v", len(res.Images), err)
	}
}

func TestRunIsBoundedAndNamesTheTask(t *testing.T) {
	c := &scripted{id: "slow-1", hang: true}
	ctx, cancel := WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	res, err := Run(ctx, c, api.CreateRequest{}, t.TempDir(), nil)
	var inc *IncompleteError
	var limit *TimeoutError
	if !errors.As(err, &inc) || inc.TaskID != "slow-1" || !errors.As(err, &limit) || limit.Limit != 20*time.Millisecond {
		t.Fatalf("err %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || res == nil || res.Task.ID != "slow-1" {
		t.Fatalf("err %v, res %+v", err, res)
	}
}

func TestRunBeforeATaskExistsIsNotIncomplete(t *testing.T) {
	c := &scripted{genErr: errors.New("refused")} // no id reported
	if _, err := Run(context.Background(), c, api.CreateRequest{}, "", nil); err == nil || errors.As(err, new(*IncompleteError)) {
		t.Fatalf("err %v", err)
	}
	failed := &scripted{id: "t9", genErr: &api.TaskError{TaskID: "t9", State: api.StateInvalidImage}}
	if _, err := Run(context.Background(), failed, api.CreateRequest{}, "", nil); errors.As(err, new(*IncompleteError)) {
		t.Fatalf("a failed task has nothing to fetch: %v", err)
	}
}

// Against the contract server: a task made earlier is fetched by its id,
// waiting for it when it is still at work.
func TestFetchGetsATaskByItsID(t *testing.T) {
	srv := contract.New(contract.WithToken("tok"), contract.WithLatency(0), contract.WithScript(
		contract.Step{State: 2}, contract.Step{State: 4, Progress: 40}))
	hs := httptest.NewServer(srv)
	defer func() { hs.Close(); srv.Close() }()
	c, err := api.NewClient(api.WithBaseURL(hs.URL), api.WithToken("tok"), api.WithPollInterval(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	shot := testshot.Write(t, t.TempDir(), "mug.png", 24, 16)
	task, err := c.CreateTask(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p", BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	var stages []Stage
	res, err := Fetch(context.Background(), c, task.ID, cache, func(p Progress) { stages = append(stages, p.Stage) })
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Images) != 3 || res.Images[2].Image.Bounds().Dx() != 24 {
		t.Fatalf("%+v", res.Images)
	}
	for _, im := range res.Images {
		if filepath.Dir(im.Cached) != cache {
			t.Fatalf("not cached: %+v", im)
		}
	}
	if stages[len(stages)-1] != Done {
		t.Fatalf("stages %v", stages)
	}
	if _, err := Fetch(context.Background(), c, "no-such-task", cache, nil); !api.IsNotFound(err) {
		t.Fatalf("unknown id: %v", err)
	}
}

// The client's own error stays in the chain when the bound ends a run.
func TestTheBoundKeepsTheClientsError(t *testing.T) {
	ctx, cancel := WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	<-ctx.Done()
	mine := fmt.Errorf("task t1 did not finish in time: %w", context.DeadlineExceeded)
	err := why(ctx, mine)
	if !errors.Is(err, mine) || !errors.As(err, new(*TimeoutError)) || !strings.Contains(err.Error(), "gave up after 1ms") || !strings.Contains(err.Error(), "task t1") {
		t.Fatalf("%v", err)
	}
	if err := why(ctx, ctx.Err()); err.Error() != "gave up after 1ms, the run's time limit" {
		t.Fatalf("bare: %v", err)
	}
	plain, stop := context.WithCancel(context.Background())
	stop()
	if err := why(plain, mine); err != mine {
		t.Fatalf("a plain cancel changed the error: %v", err)
	}
}
