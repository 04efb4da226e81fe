//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package run

import (
	"os"
	"syscall"
)

// lockTemp locks a temporary file being written; the kernel drops the
// lock when the file is closed or the process ends, however it ends.
func lockTemp(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }

// removeIfUnlocked removes name when no live process holds its lock.
func removeIfUnlocked(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return false // being written
	}
	return os.Remove(name) == nil
}

// processAlive reports whether a process with this id runs (one that
// exists but is not ours to signal runs too).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
