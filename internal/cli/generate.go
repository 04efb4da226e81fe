// Package cli holds the headless sub-commands of the backdrop binary:
// generate (shots, files and folders, through the queue), fetch (the
// images of a task made earlier), library (the runs recorded) and serve
// (the contract server).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"backdrop/api"
	"backdrop/internal/app"
	"backdrop/internal/imagefile"
	"backdrop/internal/output"
	"backdrop/internal/run"
)

// Exit codes of the sub-commands (the same as app's).
const (
	ExitOK      = app.ExitOK
	ExitFailure = app.ExitFailure // an item failed (the others still finished)
	ExitUsage   = app.ExitUsage   // bad flags or input; nothing was sent
)

// generateOptions are the parsed flags of `backdrop generate`.
type generateOptions struct {
	session
	image, imageURL string
	prompt          string
	variants        int
	sync            bool
	callbackURL     string
	fit             bool // send a resized copy of a shot over 15 MB
	template        string
	format          string
	quality         int
	force           bool
	paths           []string // FILE|DIR… on the command line
}

// Generate runs `backdrop generate` with args (after the sub-command name)
// and returns the exit code. Every shot goes through one queue, paced below
// the service's limit; everything that can be checked is checked before
// anything is sent (and billed); once a task is made, every result that
// arrives is kept, and an item that fails says how to fetch the rest.
func Generate(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	con := newConsole("backdrop generate", stdout, stderr)
	con.setToken(tokenInArgs(args))
	con.setToken(env("BACKDROP_TOKEN"))
	o, err := parseGenerate(ctx, args, env, con)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		con.errorf("%v", err)
		return ExitUsage
	}
	specs, fitted, problems := o.specs()
	defer func() {
		for _, f := range fitted {
			os.Remove(f)
		}
	}()
	if len(problems) > 0 {
		for _, p := range problems {
			con.errorf("%v", p)
		}
		return ExitUsage
	}
	return o.runBatch(ctx, specs)
}

func parseGenerate(ctx context.Context, args []string, env func(string) string, con *console) (*generateOptions, error) {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(con.stderr)
	o := &generateOptions{session: session{con: con}}
	fs.StringVar(&o.image, "image", "", "a product image file (JPEG, PNG, WebP or BMP, at most 15 MB); more can follow as FILE|DIR…")
	fs.StringVar(&o.imageURL, "image-url", "", "public http(s) URL of a product image")
	fs.StringVar(&o.prompt, "prompt", "", "what the new background should be (at most 1024 characters)")
	fs.IntVar(&o.variants, "batch", api.DefaultBatch, "variants per shot, 1 to 4 (each is billed)")
	fs.BoolVar(&o.sync, "sync", false, "ask the service to answer only when the images are ready")
	fs.StringVar(&o.callbackURL, "callback-url", "", "URL the service notifies when a task ends")
	fs.BoolVar(&o.fit, "fit", false, "send a resized copy of an image over 15 MB (JPEG, or PNG with transparency; the original is untouched)")
	fs.StringVar(&o.template, "template", output.DefaultTemplate, "file name template: {name} {n} {prompt} {date} {time} {task}")
	fs.StringVar(&o.format, "format", "png", "format of the saved images: png or jpeg")
	fs.IntVar(&o.quality, "quality", 0, "JPEG quality, 1 to 100 (default 92; a JPEG result is then kept as sent)")
	fs.BoolVar(&o.force, "force", false, "run again what is already done (and send what may have been billed before)")
	o.registerQueue(fs)
	o.register(fs, env)
	fs.Usage = func() {
		fmt.Fprintln(con.stderr, "usage: backdrop generate --prompt TEXT [flags] FILE|DIR…   (or --image PATH / --image-url URL)")
		fmt.Fprintln(con.stderr, "Folders are read recursively; images only, anything else is listed as passed over.")
		fs.PrintDefaults()
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	o.paths = paths
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["batch"] && o.variants == 0 {
		return nil, errors.New("batch_size: must be 1 to 4 (got 0)")
	}
	if o.image != "" && o.imageURL != "" {
		return nil, errors.New("image_url: give an image file or an image URL, not both")
	}
	if info, err := os.Stat(o.image); o.image != "" && err == nil && info.IsDir() {
		return nil, fmt.Errorf("image_file: %s is a folder, not an image (name folders without --image)", o.image)
	}
	if o.image == "" && o.imageURL == "" && len(o.paths) == 0 {
		return nil, errors.New("no shot given: name image files or folders (or --image PATH / --image-url URL)")
	}
	if err := o.settleQueue(); err != nil {
		return nil, err
	}
	if err := o.settle(ctx, env); err != nil {
		return nil, err
	}
	// The settings every shot shares are judged once, not once per shot.
	shared := o.base()
	shared.ImageURL = "https://backdrop.invalid/shot.png"
	if err := shared.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// base is the spec every shot shares.
func (o *generateOptions) base() run.Spec {
	return run.Spec{
		Prompt:   o.prompt,
		Variants: o.variants,
		Force:    o.force,
		Options: run.Options{
			Sync: o.sync, CallbackURL: o.callbackURL,
			Format: run.Format(strings.ToLower(o.format)), Quality: o.quality,
			Template: o.template, OutDir: o.outDir,
		},
	}
}

// specs is the queue's work: every shot named or found in the folders,
// each checked as it will be sent (a regular file, not a FIFO or a device,
// at most 15 MB — or, with --fit, a resized copy —, a format the service
// takes, a header within the pixel limit); the problems are every reason
// not to start, all of them, so a designer fixes them in one go. Files of
// folders that are not images are listed as passed over.
func (o *generateOptions) specs() (specs []run.Spec, fitted []string, problems []error) {
	if err := o.checkFolders(); err != nil {
		return nil, nil, []error{err}
	}
	paths := o.paths
	if o.image != "" {
		paths = append([]string{o.image}, paths...)
	}
	shots, over := run.CollectShots(paths, o.outDir)
	for _, p := range over {
		o.con.infof("passed over %s: %s", p.Path, p.Reason)
	}
	base := o.base()
	if o.imageURL != "" {
		s := base
		s.ImageURL = o.imageURL
		if err := run.Check(s); err != nil {
			problems = append(problems, err)
		}
		specs = append(specs, s)
	}
	for _, shot := range shots {
		s := base
		s.ImageFile = shot
		if o.fit && imagefile.TooLarge(shot) { // a regular file: never a FIFO
			f, err := imagefile.Fit(shot, os.TempDir())
			if err != nil {
				problems = append(problems, fmt.Errorf("--fit: %v", err))
				continue
			}
			fitted = append(fitted, f.Path)
			o.con.infof("sending a resized copy of %s: %s", shot, f)
			s.ImageFile, s.Original = f.Path, shot
		}
		if _, err := imagefile.CheckFile(s.ImageFile); err != nil {
			problems = append(problems, fmt.Errorf("image_file: %v", err))
			continue
		}
		if err := run.Check(s); err != nil {
			problems = append(problems, err)
			continue
		}
		specs = append(specs, s)
	}
	if len(specs) == 0 && len(problems) == 0 {
		problems = append(problems, errors.New("no image to send among the files given"))
	}
	return specs, fitted, problems
}
