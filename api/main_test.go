package api_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every request the client makes ends with its goroutines: timers,
// watchdogs, transports' loops for closed servers.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
