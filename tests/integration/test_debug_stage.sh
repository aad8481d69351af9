#!/bin/bash
# --debug-stage LABEL (issue 16): that stage runs as one instance, waiting
# before init with its pid printed until a debugger attaches (gdb, for
# real, below) or SIGCONT comes; no timeout, no restart, so no retry on a
# fresh, unattached instance. Without a terminal on stdin the instance
# waits for a debugger or SIGCONT only.
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}

# comm names of this test's processes named name, one a line.
count_named() { # name
	for p in $(tagged_pids); do cat "/proc/$p/comm" 2>/dev/null; done |
		grep -c -x "$1"
}

# Start the run in the background; wait for the pid line; sets RUN, DPID.
start_debug() { # ini label
	FP_TEST_TAG=$TAG "$FP_BIN" run "$1" --debug-stage "$2" -q \
		>"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
	RUN=$!
	DPID=""
	for _ in $(seq 200); do
		DPID=$(sed -n 's/^framepipe: --debug-stage: stage .* is pid \([0-9]*\) .*/\1/p' "$WORK/stderr")
		[ -n "$DPID" ] && break
		sleep 0.05
	done
	[ -n "$DPID" ] || fail "$2: no pid printed: $(cat "$WORK/stderr")"
}

# The instance is stopped, before init: state T, nothing has passed.
cat >"$WORK/slow.ini" <<INI
[src]
stage = testsrc
count = 6
width = 32
height = 32
[slow]
plugin = $FIX/slow_filter.so
ms = 700
workers = 3
timeout = 0.3
[sum]
stage = checksum_sink
file = $WORK/slow.txt
INI
start_debug "$WORK/slow.ini" slow
grep -q "attach with: gdb -p $DPID (set breakpoints, then 'continue'); or: kill -CONT $DPID\$" "$WORK/stderr" ||
	fail "slow: the attach line: $(cat "$WORK/stderr")"
grep -q "is pid $DPID (plugin $FIX/slow_filter.so), waiting before init" "$WORK/stderr" ||
	fail "slow: the plugin's file"
sleep 0.5
kill -0 "$DPID" 2>/dev/null || fail "slow: the instance is gone"
[ "$(count_named fp:slow)" -eq 1 ] || fail "slow: workers = 3 should be one instance under --debug-stage"
[ -s "$WORK/slow.txt" ] && fail "slow: frames passed before the debugger let it go"
kill -CONT "$DPID"
wait "$RUN"
RC=$?
ERR=$WORK/stderr
check_nothing_left "$RUN" "slow"
# 700 ms a frame, timeout = 0.3: under --debug-stage, no time limit.
expect_rc 0 "slow: after SIGCONT"
grep -q "stuck on one frame" "$ERR" && fail "slow: the timeout applied"
[ "$(wc -l <"$WORK/slow.txt")" -eq 6 ] || fail "slow: expected 6 frames written"

# A crash: no restart, no retry; the frame fails naming the instance, and
# the run cannot go on.
cat >"$WORK/crash.ini" <<INI
[src]
stage = testsrc
count = 10
width = 32
height = 32
[bad]
plugin = $FIX/misbehaving_filter.so
mode = segv
at = 2
workers = 2
restarts = 5
[sum]
stage = checksum_sink
file = $WORK/crash.txt
INI
start_debug "$WORK/crash.ini" bad
kill -CONT "$DPID"
wait "$RUN"
RC=$?
ERR=$WORK/stderr
check_nothing_left "$RUN" "crash"
expect_rc 3 "crash: the stage cannot go on"
expect_err "frame 2: bad: instance #0 killed by SIGSEGV at address 0x10" "crash: the frame, the instance, the address"
expect_err "(pid $DPID, plugin $FIX/misbehaving_filter.so)" "crash: the debugged pid"
grep -q "restarting it" "$ERR" && fail "crash: restarted under --debug-stage"
grep -q "on its retry" "$ERR" && fail "crash: retried under --debug-stage"

# A real debugger: gdb attaches, 'continue' starts the instance, and gdb
# stops it on its fault, in the plugin's function.
if command -v gdb >/dev/null; then
	start_debug "$WORK/crash.ini" bad
	timeout 120 gdb -q -batch -p "$DPID" -ex continue -ex 'bt 2' -ex kill \
		>"$WORK/gdb.out" 2>&1 </dev/null
	wait "$RUN"
	check_nothing_left "$RUN" "gdb"
	if grep -q "ptrace: Operation not permitted" "$WORK/gdb.out"; then
		echo "gdb: skipped (ptrace not permitted here)"
	else
		grep -q "received signal SIGSEGV" "$WORK/gdb.out" ||
			fail "gdb: did not stop on the fault: $(tail -5 "$WORK/gdb.out")"
		grep -qE "^#0 .* fault \(|^#0 +fault \(" "$WORK/gdb.out" ||
			fail "gdb: not in the plugin's fault(): $(grep '^#' "$WORK/gdb.out")"
	fi
fi

# A label the pipeline lacks: refused before anything runs.
fp run "$WORK/crash.ini" --debug-stage nope
expect_rc 2 "unknown label"
expect_err "framepipe: --debug-stage nope: the pipeline has no stage so named; its stages are src, bad, sum" "unknown label: the stages"
finish
