package app

import "backdrop/internal/run"

// Exit codes of the backdrop binary and its sub-commands.
const (
	ExitOK      = 0
	ExitFailure = 1 // the service, the network or an item failed
	ExitUsage   = 2 // bad flags or input; nothing was sent
)

// QueueExitCode is the exit code of a finished queue: ExitOK when every
// item is done or skipped, ExitFailure when any failed or was cancelled.
func QueueExitCode(st run.Stats) int {
	if st.Failed > 0 || st.Cancelled > 0 || st.Waiting > 0 || st.Running > 0 {
		return ExitFailure
	}
	return ExitOK
}
