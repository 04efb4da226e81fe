#!/usr/bin/env bash
# The queue benchmark: 20 shots through one `backdrop generate` against the
# contract server enforcing 2 creates a second (429 + Retry-After past it)
# with tasks that take 2 s. Prints the ratio to the bound the limit sets,
# the 429 answers and the CLI's peak memory. See bench/README.md.
#
#   bench/queue.sh [-shots 20] [-rate 2] [-latency 2s] [-runs 1]
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./bench/queue "$@"
