package contract_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Tasks, callbacks and the expiry timer run in goroutines of their own:
// Close must end them all.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
