package ui

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"backdrop/api"
	"backdrop/internal/app"
	"backdrop/internal/run"
	"backdrop/internal/settings"
)

// largeService answers every create with a task that is done at once and
// holds four results, each the same large PNG: the window gets 4096²
// images as fast as the queue can take them, with no network between.
type largeService struct {
	image   []byte
	creates atomic.Int64
}

func (s *largeService) CreateTask(_ context.Context, req api.CreateRequest) (*api.Task, error) {
	n := s.creates.Add(1)
	refs := make([]string, req.BatchSize)
	for i := range refs {
		refs[i] = fmt.Sprintf("https://results.example/%d/%d.png", n, i)
	}
	return &api.Task{ID: fmt.Sprintf("task-%d", n), State: api.StateDone, Progress: 100, Images: refs}, nil
}

func (s *largeService) WaitTask(_ context.Context, id string, _ func(*api.Task)) (*api.Task, error) {
	return nil, fmt.Errorf("task %s: the service answers done at once", id)
}

func (s *largeService) GetTask(_ context.Context, id string) (*api.Task, error) {
	return nil, fmt.Errorf("task %s: the service answers done at once", id)
}

func (s *largeService) Download(_ context.Context, _ string, w io.Writer) (int64, error) {
	n, err := w.Write(s.image)
	return int64(n), err
}

// largeBackend is the window's Backend on largeService.
type largeBackend struct {
	svc   *largeService
	cache string
}

func (b largeBackend) Label() string    { return "Large results" }
func (b largeBackend) Offline() bool    { return true }
func (b largeBackend) Endpoint() string { return "http://127.0.0.1:1" }
func (b largeBackend) NewQueue(cfg run.Config) (*run.Queue, error) {
	cfg.Backend, cfg.CacheDir = b.svc, b.cache
	return run.New(cfg)
}
func (b largeBackend) NewLibraryQueue(cfg run.Config, _ app.QueueOptions) (*run.Queue, *app.LibraryRecorder, error) {
	q, err := b.NewQueue(cfg)
	return q, nil, err
}
func (b largeBackend) Close() {}

// largePNG is a side×side PNG with detail everywhere (a smooth image
// would decode faster than a real result).
func largePNG(tb testing.TB, side int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			v := uint8((x*7 + y*13 + (x*y)%97) & 0xff)
			img.SetNRGBA(x, y, color.NRGBA{v, uint8(x), uint8(y), 255})
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkQueueOfLargeResultsUIThread runs 40 shots of four 4096×4096
// results each through the window's real code (queue, bridge, strip,
// gallery, thumbnails) and reports the time the UI thread spends per
// queue update (the bridge's batch), the longest update and the longest
// callback of any kind: decoding, scaling and disk work happen off it, so
// that no frame waits on them.
//
//	go test ./ui -run '^$' -bench QueueOfLargeResults -benchtime 1x
func BenchmarkQueueOfLargeResultsUIThread(b *testing.B) {
	const side = 4096
	shots := 40
	if n, err := strconv.Atoi(os.Getenv("BACKDROP_BENCH_SHOTS")); err == nil && n > 0 {
		shots = n // a shorter run, e.g. under a profiler
	}
	data := largePNG(b, side)
	for range b.N {
		svc := &largeService{image: data}
		cache := b.TempDir()
		h := newHarnessWith(b, StartOptions{}, func(d *Deps) {
			d.Connect = func(settings.Settings) (Backend, error) { return largeBackend{svc, cache}, nil }
			s := d.Store.Load()
			s.Rate = settings.MaxRate
			s.DefaultBatch = 4
			d.Store.Save(s)
		})
		dir := b.TempDir()
		var paths []string
		for i := range shots {
			// Each shot differs: the queue skips one whose content, prompt
			// and options were already done.
			paths = append(paths, writeShotAny(b, dir, fmt.Sprintf("shot %02d.png", i), 64+i, 48))
		}
		h.w.prompt.entry.SetText("white marble")
		h.w.takePaths(paths, "dropped")
		h.expect("added")
		start := time.Now()
		h.w.startRun()
		h.untilWithin(20*time.Minute, "every shot done", func() bool { return h.w.queueStats().Finished() == shots })
		if st := h.w.queueStats(); st.Done != shots {
			b.Fatalf("queue ended with %+v", st)
		}
		took := time.Since(start)
		h.shown(4) // the shown shot's display copies too
		calls, busy, longest := h.w.uiStats.Sum()
		updates, updTotal, updLongest := h.w.bridge.updates.Sum()
		if got := len(images(b, h.out)); got != shots*4 {
			b.Fatalf("%d files saved, want %d", got, shots*4)
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		perUpdate := updTotal / time.Duration(max(updates, 1))
		b.ReportMetric(ms(perUpdate), "ms/update")
		b.ReportMetric(ms(updLongest), "ms-longest-update")
		b.ReportMetric(ms(longest), "ms-longest-UI-callback")
		fmt.Printf("%d shots × 4 results of %d², all saved in %v: %d queue updates on the UI thread, %.3f ms each on average, the longest %.2f ms; "+
			"all %d UI-thread callbacks (updates, thumbnails, previews) took %.0f ms in all (%.1f %% of the run), the longest %.2f ms (%s)\n",
			shots, side, took.Round(time.Millisecond), updates, ms(perUpdate), ms(updLongest),
			calls, ms(busy), 100*float64(busy)/float64(took), ms(longest), h.w.uiStats.Which())
	}
}
