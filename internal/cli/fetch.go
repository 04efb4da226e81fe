package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"backdrop/api"
	"backdrop/internal/job"
)

// Fetch runs `backdrop fetch TASK_ID`: it gets the images of a task made
// earlier (a run that gave up waiting, a window closed too soon), waiting
// for the task if it is still at work, and saves them as generate does:
// kept in the cache first, fully decoded, never over an existing file.
// Result links live about an hour after the task ends.
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
	client, err := s.client()
	if err != nil {
		con.errorf("%v", err)
		return ExitUsage
	}
	if err := s.checkFolders(); err != nil {
		con.errorf("%v", err)
		return ExitUsage
	}

	ctx, cancel := job.WithTimeout(ctx, s.timeout)
	defer cancel()
	bar := newProgress(con.stderr, stderr)
	res, err := job.Fetch(ctx, client, id, s.cacheDir, bar.step)
	bar.end()
	o := &outcome{res: res, err: err}
	if res != nil {
		o.failed = append(o.failed, res.Failed...)
		saved, failed := saveResults(res, s.outDir, id)
		o.saved, o.failed = saved, append(o.failed, failed...)
	} else if err != nil {
		// Nothing to fetch (unknown id, failed task, refused token): the
		// JSON answer still names the task asked for.
		o.res = &job.Result{Task: &api.Task{ID: id}}
		o.err = fmt.Errorf("task %s: %w", id, err)
	}
	return s.report(o)
}

func parseFetch(ctx context.Context, args []string, env func(string) string, con *console) (*session, string, error) {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	fs.SetOutput(con.stderr)
	s := &session{con: con}
	s.register(fs, env)
	fs.Usage = func() {
		fmt.Fprintln(con.stderr, "usage: backdrop fetch TASK_ID [--out DIR] [--endpoint URL] [--token-file PATH|-] [--json] [--timeout D]")
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
