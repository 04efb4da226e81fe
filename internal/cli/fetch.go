package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"backdrop/internal/run"
)

// Fetch runs `backdrop fetch TASK_ID`: it gets the images of a task made
// earlier (a run that gave up waiting, a window closed too soon) through
// the same queue as generate — waiting for the task if it is still at
// work, keeping each result in the cache first, decoding it whole, saving
// it never over an existing file, recording it in the library. Result
// links live about an hour after the task ends.
func Fetch(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	con := newConsole("backdrop fetch", stdout, stderr)
	con.setToken(tokenInArgs(args))
	con.setToken(env("BACKDROP_TOKEN"))
	s, id, err := parseFetch(ctx, args, env, con)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		con.errorf("%v", err)
		return ExitUsage
	}
	if err := s.checkFolders(); err != nil {
		con.errorf("%v", err)
		return ExitUsage
	}
	spec := run.Spec{TaskID: id, Options: run.Options{OutDir: s.outDir}}
	if err := spec.Validate(); err != nil {
		con.errorf("%v", err)
		return ExitUsage
	}
	return s.runBatch(ctx, []run.Spec{spec})
}

func parseFetch(ctx context.Context, args []string, env func(string) string, con *console) (*session, string, error) {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	fs.SetOutput(con.stderr)
	s := &session{con: con, jobs: 1, rate: run.DefaultRate}
	s.register(fs, env)
	fs.Usage = func() {
		fmt.Fprintln(con.stderr, "usage: backdrop fetch TASK_ID [--out DIR] [--endpoint URL] [--token-file PATH|-] [--json] [--timeout D] [--no-library]")
		fmt.Fprintln(con.stderr, "Gets the images of a task made earlier, while its links live (about an hour).")
		fs.PrintDefaults()
	}
	ids, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, "", err
	}
	switch {
	case len(ids) == 0:
		return nil, "", errors.New("give the task id: backdrop fetch TASK_ID")
	case len(ids) > 1:
		return nil, "", fmt.Errorf("one task id at a time (got %d)", len(ids))
	case strings.TrimSpace(ids[0]) == "":
		return nil, "", errors.New("the task id is empty")
	}
	if err := s.settle(ctx, env); err != nil {
		return nil, "", err
	}
	return s, strings.TrimSpace(ids[0]), nil
}
