package job

import (
	"testing"

	"go.uber.org/goleak"
)

// Every download runs in a goroutine of its own: none may outlive a run.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
