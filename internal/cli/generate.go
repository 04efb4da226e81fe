// Package cli holds the headless sub-commands of the backdrop binary:
// generate (one task from the terminal) and serve (the contract server).
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"backdrop/api"
	"backdrop/internal/imagefile"
)

// Exit codes of the sub-commands.
const (
	ExitOK      = 0
	ExitFailure = 1 // the service or the network failed
	ExitUsage   = 2 // bad flags or input; nothing was sent
)

// generateOptions are the parsed flags of `backdrop generate`.
type generateOptions struct {
	request  api.CreateRequest
	outDir   string
	endpoint string
	token    string
	json     bool
	fit      bool
}

// Generate runs `backdrop generate` with args (after the sub-command name)
// and returns the exit code.
func Generate(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	opts, err := parseGenerate(args, env, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		fmt.Fprintf(stderr, "backdrop generate: %v\n", err)
		return ExitUsage
	}
	client, err := api.NewClient(api.WithBaseURL(opts.endpoint), api.WithToken(opts.token))
	if err != nil {
		fmt.Fprintf(stderr, "backdrop generate: %v\n", err)
		return ExitUsage
	}
	source := opts.request.ImageFile
	if opts.fit && source != "" && imagefile.TooLarge(source) {
		fitted, err := imagefile.Fit(source, os.TempDir())
		if err != nil {
			fmt.Fprintf(stderr, "backdrop generate: --fit: %v\n", err)
			return ExitUsage
		}
		defer os.Remove(fitted.Path)
		fmt.Fprintf(stderr, "sending a resized copy of %s: %s\n", source, fitted)
		opts.request.ImageFile = fitted.Path
	}
	if err := opts.request.Validate(); err != nil {
		fmt.Fprintf(stderr, "backdrop generate: %v\n", err)
		return ExitUsage
	}
	progress := newProgress(stderr)
	task, err := client.Generate(ctx, opts.request, progress.task)
	if err != nil {
		progress.fail()
		return reportFailure(stderr, err)
	}
	if source == "" {
		source = opts.request.ImageURL
	}
	saved, err := saveResults(ctx, client, task, opts.outDir, source, progress.downloaded)
	progress.finish(saved, opts.json)
	if err != nil {
		return reportFailure(stderr, err)
	}
	if opts.json {
		return writeJSON(stdout, stderr, task, saved)
	}
	return ExitOK
}

func parseGenerate(args []string, env func(string) string, stderr io.Writer) (*generateOptions, error) {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &generateOptions{}
	fs.StringVar(&o.request.ImageFile, "image", "", "product image file (JPEG, PNG, WebP or BMP, at most 15 MB)")
	fs.StringVar(&o.request.ImageURL, "image-url", "", "public http(s) URL of the product image, instead of --image")
	fs.StringVar(&o.request.Prompt, "prompt", "", "what the new background should be (at most 1024 characters)")
	fs.IntVar(&o.request.BatchSize, "batch", api.DefaultBatch, "number of variants, 1 to 4 (each is billed)")
	fs.BoolVar(&o.request.Sync, "sync", false, "ask the service to answer only when the images are ready")
	fs.StringVar(&o.request.CallbackURL, "callback-url", "", "URL the service notifies when the task ends")
	fs.StringVar(&o.outDir, "out", ".", "folder to write the images into")
	fs.StringVar(&o.endpoint, "endpoint", firstSet(env("BACKDROP_ENDPOINT"), api.DefaultBaseURL), "service base URL (or BACKDROP_ENDPOINT)")
	fs.StringVar(&o.token, "token", "", "API token (or BACKDROP_TOKEN)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object describing the results on stdout")
	fs.BoolVar(&o.fit, "fit", false, "send a resized copy of an image over 15 MB (JPEG, or PNG with transparency; the original is untouched)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: backdrop generate (--image PATH | --image-url URL) --prompt TEXT [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags go before nothing else; quote the prompt)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["batch"] && o.request.BatchSize == 0 {
		return nil, errors.New("batch_size: must be 1 to 4 (got 0)")
	}
	if o.token == "" {
		o.token = env("BACKDROP_TOKEN")
	}
	if strings.TrimSpace(o.token) == "" {
		return nil, errors.New("no API token: pass --token or set BACKDROP_TOKEN")
	}
	return o, nil
}

// reportFailure prints the error in the service's own words and picks the
// exit code: validation errors are usage errors, anything else a failure.
func reportFailure(stderr io.Writer, err error) int {
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "backdrop generate: cancelled")
		return ExitFailure
	}
	fmt.Fprintf(stderr, "backdrop generate: %v\n", err)
	if api.IsAuth(err) {
		fmt.Fprintln(stderr, "check the token given with --token or BACKDROP_TOKEN")
	}
	if api.IsValidation(err) {
		return ExitUsage
	}
	return ExitFailure
}

type jsonImage struct {
	Path   string `json:"path"`
	URL    string `json:"url,omitempty"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type jsonResult struct {
	TaskID         string      `json:"task_id"`
	Images         []jsonImage `json:"images"`
	ForegroundRect *api.Rect   `json:"foreground_rect"`
}

func writeJSON(stdout, stderr io.Writer, task *api.Task, saved []savedImage) int {
	res := jsonResult{TaskID: task.ID, ForegroundRect: task.ForegroundRect, Images: []jsonImage{}}
	for _, s := range saved {
		res.Images = append(res.Images, jsonImage{Path: s.path, URL: s.url, Width: s.width, Height: s.height})
	}
	enc := json.NewEncoder(stdout)
	if err := enc.Encode(res); err != nil {
		fmt.Fprintf(stderr, "backdrop generate: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Getenv is the environment lookup the commands use outside tests.
var Getenv = os.Getenv
