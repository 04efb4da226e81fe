// Command queue measures the queue as `backdrop generate` runs it: N shots
// in one call against the contract server with the service's rate limit
// enforced (creates past 2 a second are answered 429 with Retry-After) and
// tasks that take a while. It prints the wall time against the bound the
// limit sets (the creates spread over N/rate seconds, plus one task's
// latency), the number of 429 answers and the CLI's peak memory.
//
//	go run ./bench/queue [-shots 20] [-rate 2] [-latency 2s] [-bin PATH] [-runs 1]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"backdrop/internal/cli"
	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

func main() {
	shots := flag.Int("shots", 20, "shots in the one generate call")
	rate := flag.Int("rate", 2, "creates a second the server accepts")
	latency := flag.Duration("latency", 2*time.Second, "how long each task works at the server")
	bin := flag.String("bin", "", "the backdrop binary (default: built from this checkout)")
	runs := flag.Int("runs", 1, "times to run it")
	keep := flag.Bool("keep", false, "keep the work folder (shots, outputs, libraries) and print it")
	flag.Parse()
	work, err := os.MkdirTemp("", "backdrop-queue-bench-")
	if err != nil {
		log.Fatal(err)
	}
	if *keep {
		fmt.Printf("work folder: %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	if *bin == "" {
		*bin = filepath.Join(work, "backdrop")
		build := exec.Command("go", "build", "-o", *bin, ".")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			log.Fatalf("building backdrop: %v", err)
		}
	}
	in := filepath.Join(work, "shots")
	os.MkdirAll(in, 0o755)
	for i := range *shots {
		var buf bytes.Buffer
		png.Encode(&buf, testshot.Image(1200+i, 900)) // a product shot of a usual size, each a little different
		os.WriteFile(filepath.Join(in, fmt.Sprintf("shot-%02d.png", i+1)), buf.Bytes(), 0o644)
	}
	bound := time.Duration(float64(*shots)/float64(*rate)*float64(time.Second)) + *latency
	fmt.Printf("queue benchmark: %d shots (2 variants each) through one `backdrop generate`, server limit %d creates/s, task latency %v\n",
		*shots, *rate, *latency)
	fmt.Printf("bound set by the limit: %v (creates spread over %v, + %v)\n", bound, bound-*latency, *latency)
	for r := range *runs {
		once(*bin, work, in, r, *rate, *latency, *shots, bound)
	}
}

func once(bin, work, in string, r, rate int, latency time.Duration, shots int, bound time.Duration) {
	const token = "bench-queue-token"
	srv := contract.New(contract.WithToken(token), contract.WithPainter(contract.PlainPainter{}))
	defer srv.Close()
	knobs := cli.WithKnobs(srv, cli.Knobs{RateLimit: rate, TaskLatency: latency})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	hs := &http.Server{Handler: knobs}
	go hs.Serve(ln)
	defer hs.Close()

	out := filepath.Join(work, fmt.Sprintf("out-%d", r))
	args := []string{"generate", "--prompt", "white marble, soft light", "--out", out,
		"--endpoint", "http://" + ln.Addr().String(), "--json", in}
	// The peak memory is read by GNU time, a small process of its own: a
	// child's ru_maxrss as this (large) process sees it starts from this
	// process's own size at the fork.
	rssFile := filepath.Join(work, fmt.Sprintf("rss-%d", r))
	cmd := exec.Command(bin, args...)
	if gnuTime, err := exec.LookPath("/usr/bin/time"); err == nil {
		cmd = exec.Command(gnuTime, append([]string{"-f", "%M", "-o", rssFile, bin}, args...)...)
	}
	cmd.Env = append(os.Environ(), "BACKDROP_TOKEN="+token,
		"XDG_CACHE_HOME="+filepath.Join(work, fmt.Sprintf("cache-%d", r)),
		"BACKDROP_LIBRARY="+filepath.Join(work, fmt.Sprintf("library-%d", r)))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		log.Fatalf("generate failed: %v\n%s", err, stderr.String())
	}
	if f := os.Getenv("BENCH_QUEUE_STDERR"); f != "" { // for looking into a run (GODEBUG=gctrace=1)
		os.WriteFile(f, stderr.Bytes(), 0o644)
	}
	accepted, limited := knobs.Counts()
	done := strings.Count(stdout.String(), `"state":"done"`)
	entries, _ := os.ReadDir(out)
	peakMB := 0.0
	if data, err := os.ReadFile(rssFile); err == nil {
		var kb float64
		fmt.Sscan(strings.TrimSpace(string(data)), &kb)
		peakMB = kb / 1024
	} else if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		peakMB = float64(ru.Maxrss) / 1024 // KB on Linux; an upper bound (see above)
	}
	ratio := elapsed.Seconds() / bound.Seconds()
	fmt.Printf("run %d: %d/%d shots done, %d files, %d creates accepted\n", r+1, done, shots, len(entries), accepted)
	if arr := knobs.Arrivals(); len(arr) > 0 {
		fmt.Printf("  creates arrived from %v to %v after the start; the last shot ended %v after the last create\n",
			arr[0].Sub(start).Round(time.Millisecond), arr[len(arr)-1].Sub(start).Round(time.Millisecond),
			elapsed-arr[len(arr)-1].Sub(start).Round(time.Millisecond))
	}
	fmt.Printf("  wall %v = %.3f× the bound   (target ≤ 1.15: %s)\n", elapsed.Round(time.Millisecond), ratio, verdict(ratio <= 1.15))
	fmt.Printf("  429 answers: %d             (target ≤ 2: %s)\n", limited, verdict(limited <= 2))
	fmt.Printf("  CLI peak memory: %.1f MB    (target < 60 MB: %s)\n", peakMB, verdict(peakMB < 60))
	if done != shots || accepted != shots {
		fmt.Printf("  WRONG: every shot must be done once\n")
	}
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}
