// Command serve benchmarks the offline engine the way the app runs it: the
// contract server with the engine as its painter, in a process of its own
// listening on 127.0.0.1 (as `backdrop serve` and the app's offline mode
// do), sent one product shot with a batch of variants by the API client,
// which waits for the task and downloads every result. Each run starts a
// fresh server, so nothing is cached from an earlier run; the server's
// peak memory (max RSS) and CPU time come from the kernel when it exits.
//
//	go run ./bench/engine/serve [-size 2048] [-variants 4] [-runs 2] [-format jpeg|png]
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/engine"
	"backdrop/internal/engine/synth"
)

const serveEnv = "BACKDROP_BENCH_SERVE"

func main() {
	if tok := os.Getenv(serveEnv); tok != "" {
		serve(tok)
		return
	}
	size := flag.Int("size", 2048, "side of the square shot, pixels")
	variants := flag.Int("variants", 4, "variants per request (1..4)")
	runs := flag.Int("runs", 2, "requests, each to a fresh server")
	format := flag.String("format", "jpeg", "how the shot is saved: jpeg or png")
	shotName := flag.String("shot", "bottle-on-white-dark-contact", "editor shot to send (synth.EditorNames)")
	prompt := flag.String("prompt", "white marble tabletop, light from the left", "prompt")
	flag.Parse()

	file, err := writeShot(*shotName, *size, *format)
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(filepath.Dir(file))
	st, _ := os.Stat(file)
	fmt.Printf("shot %s %d×%d %s (%.1f MB), %d variants, prompt %q, %d cores\n",
		*shotName, *size, *size, *format, float64(st.Size())/1e6, *variants, *prompt, runtime.NumCPU())
	for r := 1; r <= *runs; r++ {
		res, err := run(file, *prompt, *variants)
		if err != nil {
			log.Fatal(err)
		}
		cores := float64(runtime.NumCPU())
		fmt.Printf("run %d: %6.0f ms wall, %6.0f ms/variant/core, %6.0f cpu-ms/variant, peak %5.0f MB (server)\n", r,
			ms(res.wall), ms(res.wall)*cores/float64(*variants), ms(res.cpu)/float64(*variants), float64(res.maxRSS)/(1<<20))
	}
}

type result struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// writeShot saves an editor shot drawn at size×size in a temporary folder.
func writeShot(name string, size int, format string) (string, error) {
	shot, ok := synth.EditorShotAt(name, size, size)
	if !ok {
		return "", fmt.Errorf("no editor shot %q (have %s)", name, strings.Join(synth.EditorNames(), ", "))
	}
	dir, err := os.MkdirTemp("", "backdrop-bench-")
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	switch format {
	case "png":
		err = png.Encode(&buf, shot.Image)
	case "jpeg":
		err = jpeg.Encode(&buf, shot.Image, &jpeg.Options{Quality: 90})
	default:
		err = fmt.Errorf("format %q: want jpeg or png", format)
	}
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "shot."+format)
	return path, os.WriteFile(path, buf.Bytes(), 0o644)
}

// run starts a server, sends one request and downloads every result, and
// stops the server to read its resource use.
func run(file, prompt string, variants int) (result, error) {
	token := "bench-token"
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), serveEnv+"="+token)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return result{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return result{}, err
	}
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return result{}, fmt.Errorf("server did not start: %w", err)
	}
	client, err := api.NewClient(api.WithBaseURL(strings.TrimSpace(url)), api.WithToken(token),
		api.WithPollInterval(50*time.Millisecond))
	if err != nil {
		return result{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	task, err := client.Generate(ctx, api.CreateRequest{ImageFile: file, Prompt: prompt, BatchSize: variants}, nil)
	if err == nil && len(task.Images) != variants {
		err = fmt.Errorf("%d results, want %d", len(task.Images), variants)
	}
	if err == nil {
		for _, ref := range task.Images {
			if _, err = client.Download(ctx, ref, io.Discard); err != nil {
				break
			}
		}
	}
	wall := time.Since(start)
	stdin.Close() // the server exits
	if werr := cmd.Wait(); err == nil && werr != nil {
		err = werr
	}
	if err != nil {
		return result{}, err
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return result{wall: wall, cpu: cpu, maxRSS: ru.Maxrss * 1024}, nil
}

// serve is the server process: the contract server with the offline
// engine on a loopback port, until stdin closes.
func serve(token string) {
	if dir := os.Getenv("BACKDROP_BENCH_PROFILE"); dir != "" {
		f, err := os.Create(filepath.Join(dir, "cpu.pprof"))
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer func() {
			pprof.StopCPUProfile()
			h, _ := os.Create(filepath.Join(dir, "heap.pprof"))
			pprof.Lookup("allocs").WriteTo(h, 0)
			h.Close()
		}()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := contract.New(contract.WithToken(token), contract.WithPainter(engine.New()))
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	fmt.Printf("http://%s\n", ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	hs.Close()
	srv.Close()
}
