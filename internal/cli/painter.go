package cli

import "backdrop/internal/contract"

// OfflinePainter is what paints results when no service is used.
func OfflinePainter() contract.Painter { return contract.PlainPainter{} }
