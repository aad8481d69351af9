#!/bin/bash
# The exit matrix: {source, filter, sink instance} x {SIGKILL, SIGTERM}
# from outside, mid-run. The supervisor replaces the instance, retries the
# frame it held, and the batch completes: every input written (the sink
# may write a frame twice if it dies between writing and answering), the
# ledger balanced (the program exits 3 if not), nothing leaked. The
# supervisor's own kill and an instance's error exit are in test_kill.sh
# and test_stage_failures.sh.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/m.ini" <<INI
[src]
stage = testsrc
count = 1500
width = 320
height = 240
pattern = noise
[mid]
stage = passthrough
workers = 2
[sink]
stage = checksum_sink
file = $WORK/sum.txt
INI

# The pid of the instance named fp:LABEL of the run tagged $TAG.
instance_pid() {
	for pid in $(tagged_pids); do
		[ "$(cat /proc/$pid/comm 2>/dev/null)" = "fp:$1" ] && { echo $pid; return; }
	done
}

runs=0
for label in src mid sink; do
	for sig in KILL TERM; do
		rm -f "$WORK/sum.txt"
		FP_TEST_TAG=$TAG "$FP_BIN" run "$WORK/m.ini" --stats-json "$WORK/s.json" \
			>"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
		pid=$!
		victim=""
		for _ in $(seq 200); do
			victim=$(instance_pid $label)
			[ -n "$victim" ] && [ -s "$WORK/sum.txt" ] && break
			sleep 0.01
		done
		[ -n "$victim" ] && kill -$sig "$victim"
		wait $pid
		RC=$?
		ERR="$WORK/stderr"
		check_nothing_left $pid "$label SIG$sig"
		what="$label instance killed by SIG$sig"
		runs=$((runs + 1))
		[ -n "$victim" ] || { fail "$what: no instance found"; continue; }
		expect_rc 0 "$what"
		[ "$(cut -d' ' -f1 "$WORK/sum.txt" | sort -un | wc -l)" -eq 1500 ] ||
			fail "$what: not every frame was written"
		python3 - "$WORK/s.json" <<'PY' || fail "$what: accounting"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 1500, "ok": 1500, "failed": 0}, s["frames"]
PY
	done
done
echo "exit matrix: $runs runs"
finish
