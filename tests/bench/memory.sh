#!/bin/bash
# Memory benchmark: peak PSS summed over the supervisor and every stage
# process, sampled every 20 ms, for the same pipeline over 10 and over
# 5000 inputs. The pool bounds memory, so the two should be the same.
#   tests/bench/memory.sh [BUILD_DIR]      (default: build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FP="${1:-$ROOT/build}/bin/framepipe"
[ -x "$FP" ] || { echo "build first: $FP not found" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

make_inputs() { # count folder
	mkdir -p "$2"
	for i in $(seq -w 1 "$1"); do
		ln -s "$ROOT/tests/data/sample/coins.png" "$2/img$i.png"
	done
}

# Sum of Pss (kB) over pid and its children.
pss_of() {
	local total=0 kb
	for p in "$1" $(pgrep -P "$1" || true); do
		kb=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
		total=$((total + ${kb:-0}))
	done
	echo $total
}

measure() { # count
	make_inputs "$1" "$WORK/in$1"
	"$FP" run -p 'png_decode ! grayscale ! png_encode level=1' \
		-i "$WORK/in$1" -o "$WORK/out$1" -q --stats-json "$WORK/s$1.json" &
	local pid=$! peak=0 now
	while kill -0 $pid 2>/dev/null; do
		now=$(pss_of $pid)
		[ "$now" -gt "$peak" ] && peak=$now
		sleep 0.02
	done
	wait $pid
	python3 - "$WORK/s$1.json" "$1" "$peak" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
pool = s["pool"]["slots"] * s["pool"]["slot_size"] / 1024
procs = 1 + sum(st["workers"] for st in s["stages"])
print(f"{int(sys.argv[2]):>6} inputs  {s['frames']['ok']:>6} written  "
      f"{s['wall_s']:6.1f} s  peak PSS {int(sys.argv[3])/1024:7.1f} MiB  "
      f"(pool {pool/1024:.1f} MiB, {procs} processes)")
PY
}

echo "pipeline: png_decode ! grayscale ! png_encode level=1 (coins.png, 384x303)"
measure 10
measure 5000
