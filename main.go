// Backdrop paints new backgrounds behind product shots through the
// add-background service, in a window or from the terminal.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"backdrop/internal/cli"
	_ "backdrop/internal/headless" // first: keeps GTK off the display for sub-commands
	"backdrop/ui"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C cancels the run cleanly; once it has, a second one
	// ends the process at once.
	context.AfterFunc(ctx, stop)
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "generate":
			os.Exit(cli.Generate(ctx, os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
		case "fetch":
			os.Exit(cli.Fetch(ctx, os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
		case "library":
			os.Exit(cli.Library(ctx, os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
		case "serve":
			os.Exit(cli.Serve(ctx, os.Args[2:], os.Stdout, os.Stderr))
		}
	}
	os.Exit(ui.Main(os.Args[1:], os.Getenv))
}
