package library

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// errLocked: another open file holds the lock.
var errLocked = errors.New("locked")

// A session is one open Store. It holds a lock file for as long as it is
// open, so another process can tell a run that is under way elsewhere from
// one whose process died (see Resume).
type session struct {
	token string
	file  *os.File
}

func sessionsDir(root string) string { return filepath.Join(root, "sessions") }

func startSession(root string) (*session, error) {
	if err := os.MkdirAll(sessionsDir(root), 0o755); err != nil {
		return nil, err
	}
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	token := hex.EncodeToString(b)
	f, err := os.OpenFile(filepath.Join(sessionsDir(root), token+".lock"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	if err := tryLock(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &session{token: token, file: f}, nil
}

// end releases the lock and removes the file (before unlocking where the
// OS allows it, after closing where it does not).
func (s *session) end() {
	os.Remove(s.file.Name())
	unlock(s.file)
	s.file.Close()
	os.Remove(s.file.Name())
}

// sweepSessions removes the lock files of sessions that ended without
// removing theirs (a crash).
func sweepSessions(root, own string) {
	entries, _ := os.ReadDir(sessionsDir(root))
	for _, e := range entries {
		token, ok := strings.CutSuffix(e.Name(), ".lock")
		if !ok || token == own {
			continue
		}
		if dead, release, err := claimDead(root, token); err == nil && dead {
			release()
		}
	}
}

// claimDead tells whether the session token has ended. When it has, the
// caller holds its lock until release is called, and the lock file is
// removed then.
func claimDead(root, token string) (dead bool, release func(), err error) {
	if token == "" {
		return true, func() {}, nil
	}
	name := filepath.Join(sessionsDir(root), filepath.Base(token)+".lock")
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return true, func() {}, nil
	}
	if err != nil {
		return false, nil, err
	}
	switch err := tryLock(f); {
	case errors.Is(err, errLocked):
		f.Close()
		return false, nil, nil
	case err != nil:
		f.Close()
		return false, nil, err
	}
	return true, func() {
		os.Remove(name)
		unlock(f)
		f.Close()
		os.Remove(name)
	}, nil
}
