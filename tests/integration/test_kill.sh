#!/bin/bash
# Killing the supervisor: with SIGKILL every stage process dies with it
# (death signal) and the pool goes with the last of them; with SIGTERM the
# run stops taking input, finishes what is in flight and says so.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/long.ini" <<INI
[src]
stage = testsrc
count = 100000000
width = 256
height = 256
[mid]
stage = passthrough
workers = 2
[sink]
stage = null_sink
INI

start_long_run() {
	FP_TEST_TAG=$TAG "$FP_BIN" run "$WORK/long.ini" --stats-json "$WORK/s.json" \
		>"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
	PID=$!
	# Wait until the four stage instances are up.
	for _ in $(seq 100); do
		[ "$(tagged_pids | wc -l)" -ge 5 ] && break
		sleep 0.05
	done
	[ "$(tagged_pids | wc -l)" -ge 5 ] || fail "run did not start"
	sleep 0.3
}

start_long_run
[ -n "$(segments_of "$PID")" ] || fail "expected the run's segment while it runs"
kill -KILL "$PID"
wait "$PID" 2>/dev/null
# Within one second every instance is gone, and with it the segment.
for _ in $(seq 20); do
	[ -z "$(tagged_pids)" ] && [ -z "$(segments_of "$PID")" ] && break
	sleep 0.05
done
check_nothing_left "$PID" "after SIGKILL of the supervisor"

for sig in TERM INT; do
	start_long_run
	kill -$sig "$PID"
	wait "$PID"
	RC=$?
	check_nothing_left "$PID" "after SIG$sig"
	ERR="$WORK/stderr"
	expect_rc 3 "SIG$sig"
	expect_err "finishing frames in flight" "SIG$sig announced"
	expect_err "not started: interrupted" "SIG$sig lists what was not done"
	python3 - "$WORK/s.json" <<'PY' || fail "SIG$sig: stats"
import json, sys
s = json.load(open(sys.argv[1]))
f = s["frames"]
assert f["ok"] > 0 and f["total"] == 100000000, f
PY
done
finish
