#!/bin/bash
# Slots opened by protection keys (core/transport/slot_gate.h): where the
# CPU has them, slots = auto gives small frames no more slots than have
# keys (15), and so do big frames through a few instances (depth 16 in
# the slots depth 4 would nearly fill), an explicit slots is kept, FP_POOL_PKEYS=0 goes back to page protection alone (and the old
# pool); the frames come out the same every way.
. "$(dirname "$0")/lib.sh"

pipeline() { # width height [pipeline line]
	cat <<INI
[pipeline]
${3:-}
[src]
stage = testsrc
workers = 1
count = 300
width = $1
height = $2
format = rgba8
pattern = noise
[a]
stage = passthrough
workers = 1
[sum]
stage = checksum_sink
workers = 1
file = $WORK/sum.txt
INI
}

# run NAME EXPECTED-SLOTS WIDTH HEIGHT [pipeline line]: checks the pool
# size and keeps the checksums as NAME.txt
run() {
	local name=$1 want=$2
	shift 2
	pipeline "$@" >"$WORK/$name.ini"
	rm -f "$WORK/sum.txt"
	fp run "$WORK/$name.ini" --stats-json "$WORK/$name.json" -q
	expect_rc 0 "$name"
	python3 - "$WORK/$name.json" "$want" <<'PY' || fail "$name: pool"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"]["ok"] == 300, s["frames"]
assert s["pool"]["slots"] == int(sys.argv[2]), (s["pool"], "expected", sys.argv[2])
PY
	sort -n "$WORK/sum.txt" >"$WORK/$name.txt"
}

if grep -qw pku /proc/cpuinfo && grep -qw ospke /proc/cpuinfo; then
	SMALL=15
else
	echo "no protection keys on this CPU: the pool keeps its old size"
	SMALL=49
fi
run small "$SMALL" 32 32
FP_POOL_PKEYS=0 run small_nokeys 49 32 32
cmp -s "$WORK/small.txt" "$WORK/small_nokeys.txt" || fail "small frames differ with and without keys"
run small_set 30 32 32 "slots = 30"
cmp -s "$WORK/small.txt" "$WORK/small_set.txt" || fail "small frames differ in 30 slots"
# 1 MiB frames: depth 4 per instance, 3 instances, 13 slots without keys;
# with them, all 15 keyed slots (depth 16).
[ "$SMALL" = 15 ] && BIG=15 || BIG=13
run big "$BIG" 512 512
FP_POOL_PKEYS=0 run big_nokeys 13 512 512
cmp -s "$WORK/big.txt" "$WORK/big_nokeys.txt" || fail "big frames differ with and without keys"
finish
