//go:build unix

package output

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestFilesFollowTheUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	path, err := WriteFile(t.TempDir(), "a.png", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o640 {
		t.Fatalf("mode %o, want 640 (0666 less umask 027)", got)
	}
}
