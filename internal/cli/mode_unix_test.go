//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"backdrop/internal/testshot"
)

// Saved images follow the umask like any file the user saves (not 0600 as
// os.CreateTemp would make them).
func TestSavedFilesFollowTheUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	f := newFake(t, 2)
	shot := testshot.Write(t, t.TempDir(), "cup.png", 30, 20)
	out := t.TempDir()
	env := testEnv(t)
	code, _, stderr := gen(t, env, "--image", shot, "--prompt", "p", "--out", out, "--endpoint", f.url, "--token", token)
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	info, err := os.Stat(filepath.Join(out, "cup-bg-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Fatalf("saved with mode %o, want 644", info.Mode().Perm())
	}
}
