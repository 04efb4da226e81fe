// Package cli holds the headless sub-commands of the backdrop binary:
// generate (one task from the terminal), fetch (the images of a task made
// earlier) and serve (the contract server).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"backdrop/api"
	"backdrop/internal/imagefile"
	"backdrop/internal/job"
	"backdrop/internal/output"
)

// Exit codes of the sub-commands.
const (
	ExitOK      = 0
	ExitFailure = 1 // the service or the network failed, or a result was not saved
	ExitUsage   = 2 // bad flags or input; nothing was sent
)

// generateOptions are the parsed flags of `backdrop generate`.
type generateOptions struct {
	session
	request api.CreateRequest
	fit     bool   // --fit: send a resized copy of a shot over 15 MB
	fitted  string // that copy, removed when the run ends
}

// Generate runs `backdrop generate` with args (after the sub-command name)
// and returns the exit code. Everything that can be checked is checked
// before the task is sent (and billed); once it is, every result that
// arrives is kept, and a run that fails says how to fetch the rest.
func Generate(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	con := newConsole("backdrop generate", stdout, stderr)
	con.setToken(tokenInArgs(args))
	con.setToken(env("BACKDROP_TOKEN"))
	opts, err := parseGenerate(ctx, args, env, con)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		con.errorf("%v", err)
		return ExitUsage
	}
	client, err := opts.client()
	if err != nil {
		con.errorf("%v", err)
		return ExitUsage
	}
	stem := output.Stem(opts.source()) // named after the shot, even when a resized copy is sent
	err = opts.check()
	if opts.fitted != "" {
		defer os.Remove(opts.fitted)
	}
	if err != nil {
		con.errorf("%v", err)
		return ExitUsage
	}

	ctx, cancel := job.WithTimeout(ctx, opts.timeout)
	defer cancel()
	bar := newProgress(con.stderr, stderr)
	res, err := job.Run(ctx, client, opts.request, opts.cacheDir, bar.step)
	bar.end()
	o := &outcome{res: res, err: err}
	if res != nil {
		o.failed = append(o.failed, res.Failed...)
		saved, failed := saveResults(res, opts.outDir, stem)
		o.saved, o.failed = saved, append(o.failed, failed...)
	}
	return opts.report(o)
}

func parseGenerate(ctx context.Context, args []string, env func(string) string, con *console) (*generateOptions, error) {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(con.stderr)
	o := &generateOptions{session: session{con: con}}
	fs.StringVar(&o.request.ImageFile, "image", "", "product image file (JPEG, PNG, WebP or BMP, at most 15 MB)")
	fs.StringVar(&o.request.ImageURL, "image-url", "", "public http(s) URL of the product image, instead of --image")
	fs.StringVar(&o.request.Prompt, "prompt", "", "what the new background should be (at most 1024 characters)")
	fs.IntVar(&o.request.BatchSize, "batch", api.DefaultBatch, "number of variants, 1 to 4 (each is billed)")
	fs.BoolVar(&o.request.Sync, "sync", false, "ask the service to answer only when the images are ready")
	fs.StringVar(&o.request.CallbackURL, "callback-url", "", "URL the service notifies when the task ends")
	fs.BoolVar(&o.fit, "fit", false, "send a resized copy of an image over 15 MB (JPEG, or PNG with transparency; the original is untouched)")
	o.register(fs, env)
	fs.Usage = func() {
		fmt.Fprintln(con.stderr, "usage: backdrop generate (--image PATH | --image-url URL) --prompt TEXT [flags]")
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
	if err := o.settle(ctx, env); err != nil {
		return nil, err
	}
	return o, nil
}

// check is everything that can be known before the task is sent: the
// shot (a regular file, not a FIFO or a device, whose header is within the
// pixel limit; with --fit a resized copy of one over 15 MB), the request
// as the service would judge it, and the folders the results will be kept
// and saved in.
func (o *generateOptions) check() error {
	if o.request.ImageFile != "" && o.request.ImageURL == "" {
		if o.fit && imagefile.TooLarge(o.request.ImageFile) { // a regular file: never a FIFO
			fitted, err := imagefile.Fit(o.request.ImageFile, os.TempDir())
			if err != nil {
				return fmt.Errorf("--fit: %v", err)
			}
			o.fitted = fitted.Path
			o.con.infof("sending a resized copy of %s: %s", o.request.ImageFile, fitted)
			o.request.ImageFile = fitted.Path
		}
		if _, err := imagefile.CheckFile(o.request.ImageFile); err != nil {
			return fmt.Errorf("image_file: %v", err)
		}
	}
	if err := o.request.Validate(); err != nil {
		return err
	}
	return o.checkFolders()
}

// source is what the results are named after.
func (o *generateOptions) source() string {
	if o.request.ImageFile != "" {
		return o.request.ImageFile
	}
	return o.request.ImageURL
}
