package cli

import (
	"backdrop/internal/contract"
	"backdrop/internal/engine"
)

// OfflinePainter is what paints results when no service is used: the
// offline engine's cut-out and studio backdrops.
func OfflinePainter() contract.Painter { return engine.New() }
