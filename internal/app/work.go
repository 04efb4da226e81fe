package app

import (
	"context"

	"backdrop/internal/library"
	"backdrop/internal/run"
)

// WorkKey is the library's skip key of the work a spec does (its shot's
// content, prompt, variants, format, quality, name template and output
// folder); "" when the shot cannot be read.
func WorkKey(s run.Spec) string {
	sha := ""
	if s.ImageFile != "" {
		if sha = shotDigest(s.ImageFile); sha == "" {
			return ""
		}
	}
	k, err := (&LibraryRecorder{}).newRun(s, sha).Key().Digest()
	if err != nil {
		return ""
	}
	return k
}

// RunKey is the skip key of a recorded run, to compare with WorkKey.
func RunKey(r library.Run) string {
	k, err := r.Again().Key().Digest()
	if err != nil {
		return ""
	}
	return k
}

// Unsettled finds the newest recorded run of the same work as s when that
// run is not settled: it may have been billed without its answer, or it is
// under way (in another process, or left for a later start). Sending the
// work again could pay for it twice; the caller asks first (or is told to
// force it). Only shot files are looked up (by content); a URL is not.
func Unsettled(ctx context.Context, store *library.Store, s run.Spec) (library.Run, bool, error) {
	if s.ImageFile == "" {
		return library.Run{}, false, nil
	}
	sha := shotDigest(s.ImageFile)
	if sha == "" {
		return library.Run{}, false, nil
	}
	key := WorkKey(s)
	page, err := store.List(ctx, library.Query{Shot: sha, Limit: 500})
	if err != nil {
		return library.Run{}, false, err
	}
	for _, r := range page.Runs { // newest first
		if RunKey(r) != key {
			continue
		}
		switch r.State {
		case library.StateMaybeBilled, library.StateWaiting, library.StateSending, library.StateCreated:
			return r, true, nil
		}
		return library.Run{}, false, nil
	}
	return library.Run{}, false, nil
}
