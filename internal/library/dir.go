package library

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultDir is where the library lives: $XDG_DATA_HOME/backdrop (else
// ~/.local/share/backdrop) on Linux and the BSDs, ~/Library/Application
// Support/Backdrop on macOS, %LocalAppData%\Backdrop on Windows. Unlike the
// config folder, this is the place for data the user would hate to lose.
func DefaultDir() (string, error) {
	base, err := dataHome()
	if err != nil {
		return "", err
	}
	name := "backdrop"
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		name = "Backdrop"
	}
	return filepath.Join(base, name), nil
}

// dataHome is the OS's folder for per-user application data.
func dataHome() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if dir := os.Getenv("LocalAppData"); dir != "" {
			return dir, nil
		}
		return "", errors.New("%LocalAppData% is not set")
	case "darwin", "ios":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support"), nil
	case "plan9":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "lib"), nil
	}
	// The XDG spec ignores a relative XDG_DATA_HOME.
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return dir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share"), nil
}
