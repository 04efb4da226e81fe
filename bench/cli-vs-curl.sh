#!/usr/bin/env bash
# Compares `backdrop generate --sync` with curl doing the same create and
# downloads against the same local contract server, and measures the CLI's
# peak memory uploading a 14 MB image against a 100 KB one.
#
#   bench/cli-vs-curl.sh [RUNS]      (default 10 runs of each)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/backdrop" .
go run ./bench/mkshot "$work/small.png" 100000
go run ./bench/mkshot "$work/large.png" 14000000

port=$((20000 + RANDOM % 20000))
token=bench-token
"$work/backdrop" serve --addr "127.0.0.1:$port" --token "$token" --quiet >/dev/null 2>&1 &
server_pid=$!
endpoint="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -s -o /dev/null "$endpoint/" && break; sleep 0.1; done

now_ms() { date +%s%3N; }

run_cli() {
	"$work/backdrop" generate --image "$1" --prompt "white marble" --batch 2 --sync \
		--endpoint "$endpoint" --token "$token" --out "$work/out-cli" >/dev/null 2>&1
}

run_curl() {
	local answer
	answer=$(curl -sS -H "Authorization: Bearer $token" -F "image_file=@$1" \
		-F batch_size=2 -F "prompt=white marble" -F sync=1 "$endpoint/task/pic/background")
	mkdir -p "$work/out-curl"
	local n=0
	for url in $(grep -o '"image_[1-4]":"[^"]*"' <<<"$answer" | cut -d'"' -f4; grep -o '"image":"[^"]*"' <<<"$answer" | cut -d'"' -f4); do
		[ -n "$url" ] || continue
		n=$((n + 1))
		curl -sS -o "$work/out-curl/$n.png" "$url" &
	done
	wait
}

time_runs() {
	local fn=$1 img=$2 total=0 start
	$fn "$img" # warm-up
	for _ in $(seq "$runs"); do
		start=$(now_ms)
		$fn "$img"
		total=$((total + $(now_ms) - start))
	done
	echo $((total / runs))
}

echo "wall time of a sync generate, batch 2, mean of $runs runs:"
for img in small large; do
	cli=$(time_runs run_cli "$work/$img.png")
	crl=$(time_runs run_curl "$work/$img.png")
	ratio=$(awk -v a="$cli" -v b="$crl" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf "  %-5s image: backdrop %5d ms   curl %5d ms   ratio %s (target <= 1.20)\n" "$img" "$cli" "$crl" "$ratio"
done

peak_kb() {
	/usr/bin/time -f "%M" "$work/backdrop" generate --image "$1" --prompt "white marble" --batch 2 --sync \
		--endpoint "$endpoint" --token "$token" --out "$work/out-mem" 2>&1 >/dev/null | tail -1
}
small_kb=$(peak_kb "$work/small.png")
large_kb=$(peak_kb "$work/large.png")
echo "peak memory (max RSS): 100 KB image ${small_kb} KB, 14 MB image ${large_kb} KB," \
	"difference $(( (large_kb - small_kb) / 1024 )) MB (target <= 10 MB)"
