package ui

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"backdrop/internal/contract"
)

// TestMain lets the memory benchmark run the service in a child process
// (this test binary again), so that the RSS it reads is the window's own.
func TestMain(m *testing.M) {
	if os.Getenv("BACKDROP_BENCH_SERVE") != "" {
		serveForBench()
		return
	}
	os.Exit(m.Run())
}

// serveForBench runs a contract server painting 4096² results, prints its
// URL and serves until stdin closes.
func serveForBench() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := contract.New(contract.WithToken(testToken), contract.WithPainter(contract.PlainPainter{MaxSide: 4096}))
	go http.Serve(ln, srv)
	fmt.Printf("http://%s\n", ln.Addr())
	bufio.NewReader(os.Stdin).ReadString('\n')
}

// BenchmarkFourLargeResultsRSS generates four 4096×4096 variants of a
// 4096×4096 shot through the window's own code (generate, gallery, compare
// zoomed to 100 %) and reports the process's resident memory with them
// shown. Target: under 500 MB.
//
//	go test ./ui -run '^$' -bench FourLargeResultsRSS -benchtime 1x
func BenchmarkFourLargeResultsRSS(b *testing.B) {
	server := exec.Command(os.Args[0], "-test.run", "^$")
	server.Env = append(os.Environ(), "BACKDROP_BENCH_SERVE=1")
	stdin, _ := server.StdinPipe()
	stdout, _ := server.StdoutPipe()
	if err := server.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { stdin.Close(); server.Wait() }()
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}

	shot := writeShotTB(b, b.TempDir(), "big shot.png", 4096, 4096)
	for range b.N {
		h := newHarness(b, StartOptions{Files: []string{shot}, Endpoint: strings.TrimSpace(url)})
		h.w.prompt.entry.SetText("white marble")
		h.w.variants.slider.SetValue(4)
		h.w.startRun()
		h.expect("finished")
		h.shown(4)
		h.w.win.Resize(fyne.NewSize(1600, 1000))
		h.w.win.Canvas().Capture() // the gallery drawn
		h.w.compareWith(2)
		h.w.compare.Actual() // 100 %: full-size tiles read
		h.w.win.Canvas().Capture()
		runtime.GC()
		debug.FreeOSMemory()
		rss := residentMB(b)
		b.ReportMetric(rss, "MB-RSS")
		b.Logf("four 4096×4096 results shown, compare at 100 %%: %.0f MB resident (target < 500 MB)", rss)
		fmt.Printf("RSS with four 4096x4096 results shown: %.0f MB\n", rss)
	}
}

func writeShotTB(tb testing.TB, dir, name string, w, h int) string {
	return writeShotAny(tb, dir, name, w, h)
}

// residentMB reads VmRSS from /proc (Linux).
func residentMB(tb testing.TB) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc here")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	tb.Fatal("no VmRSS")
	return 0
}
