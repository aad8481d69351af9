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

run() { # label count width height depth workers [slots]
	cat >"$WORK/b.ini" <<INI
[pipeline]
depth = $5
slots = ${7:-auto}
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
	local rates="" slots best
	for _ in 1 2 3; do
		"$FP" run "$WORK/b.ini" -q --stats-json "$WORK/s.json" </dev/null
		rates+=" $(python3 -c "
import json; s = json.load(open('$WORK/s.json'))
print(s['frames']['ok'] / s['wall_s'])")"
	done
	best=$(python3 -c "import statistics; print(statistics.median([$(echo $rates | tr ' ' ,)]))")
	local bytes=$(($3 * $4 * 4))
	slots=$(python3 -c "import json; print(json.load(open('$WORK/s.json'))['pool']['slots'])")
	python3 -c "
r = $best; b = $bytes
print(f'{\"$1\":<44} {$slots:>5} {r:>12,.0f} {r * b / 2**30:>10.1f}')"
}

# The default settings first, at both sizes, with the slots' protection
# keys (core/transport/slot_gate.h) and without (FP_POOL_PKEYS=0: one
# mprotect per slot at every open and close, in 49 slots for 4 KB).
printf "%-44s %5s %12s %10s\n" "frames (median of 3)" slots "frames/s" "GiB/s*"
run "4 KB (32x32 RGBA), defaults" 200000 32 32 auto 1
run "64 MB (4096x4096 RGBA), defaults" 20000 4096 4096 auto 1
FP_POOL_PKEYS=0 run "4 KB, defaults, FP_POOL_PKEYS=0" 200000 32 32 auto 1
FP_POOL_PKEYS=0 run "64 MB, defaults, FP_POOL_PKEYS=0" 20000 4096 4096 auto 1
run "4 KB, depth 4" 200000 32 32 4 1
run "4 KB, depth 16, 49 slots" 200000 32 32 16 1 49
run "4 KB, depth 4, 2 filter workers" 200000 32 32 4 2
run "64 MB, depth 16" 20000 4096 4096 16 1
echo "* pixel bytes that changed owner per second; none were copied"
