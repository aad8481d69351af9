#!/bin/bash
# Transport benchmark: frames/s of testsrc(pattern=none) -> passthrough ->
# null_sink, where no stage touches a pixel, so only the framework's cost
# is measured: ownership records on the pipes, wake-ups, the ledger.
# The design promise is that the frame size does not matter (nothing is
# copied), so 4 KB and 64 MB frames should run at similar frame rates.
#
#   tests/bench/transport.sh [BUILD_DIR]      (default: build)
# Prints a table; compare rows as ratios within one run (shared machines).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FP="${1:-$ROOT/build}/bin/framepipe"
[ -x "$FP" ] || { echo "build first: $FP not found" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

run() { # label count width height depth workers
	cat >"$WORK/b.ini" <<INI
[pipeline]
depth = $5
[src]
stage = testsrc
workers = 1
count = $2
width = $3
height = $4
format = rgba8
pattern = none
[pass]
stage = passthrough
workers = $6
[sink]
stage = null_sink
workers = 1
INI
	local best=0
	for _ in 1 2 3; do
		"$FP" run "$WORK/b.ini" -q --stats-json "$WORK/s.json"
		best=$(python3 -c "
import json; s = json.load(open('$WORK/s.json'))
r = s['frames']['ok'] / s['wall_s']; print(max(r, $best))")
	done
	local bytes=$(($3 * $4 * 4))
	python3 -c "
r = $best; b = $bytes
print(f'{\"$1\":<34} {r:>12,.0f} {r * b / 2**30:>10.1f}')"
}

printf "%-34s %12s %10s\n" "frames (best of 3)" "frames/s" "GiB/s*"
run "4 KB (32x32 RGBA), depth auto" 200000 32 32 auto 1
run "4 KB, depth 4" 200000 32 32 4 1
run "4 KB, depth 16" 200000 32 32 16 1
run "4 KB, depth 4, 2 filter workers" 200000 32 32 4 2
run "64 MB (4096x4096 RGBA), depth auto" 20000 4096 4096 auto 1
run "64 MB, depth 16" 20000 4096 4096 16 1
echo "* pixel bytes that changed owner per second; none were copied"
