#!/usr/bin/env bash
# Benchmarks the offline engine the way the app runs it, then its cut-out
# quality.
#
# Speed and memory (bench/engine/serve): a fresh contract server process
# with the engine as painter, on 127.0.0.1, sent a 2048×2048 product shot
# with 4 variants by the API client, which waits and downloads them all.
#   ms/variant/core  wall time × cores / variants (create → last download)
#   cpu-ms/variant   the server's CPU time / variants (immune to other load)
#   peak MB          the server's max resident memory (target < 150)
# Quality (go test): mean IoU against true masks on the plain synthetic set
# and on the editor shots (dark, touching, cast shadows; JPEG; 640 and
# 4000 px), target ≥ 0.97; and old shadow pixels left outside the product
# past the feathered edge, target 0.
#
#   bench/engine/run.sh [serve flags, e.g. -runs 3 -format png]
set -euo pipefail
cd "$(dirname "$0")/../.."
go run ./bench/engine/serve -size 2048 -variants 4 "$@"
echo
go test -count=1 -run 'TestMaskQuality$|TestEditorShots$|TestNoOldShadowInPaintedResults$' -v ./internal/engine/ |
	grep -E 'mean IoU|old shadow|FAIL|^ok' || true
