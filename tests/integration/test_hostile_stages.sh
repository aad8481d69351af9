#!/bin/bash
# Stages that attack the run (issue 14): a plugin that rewrites slot
# headers in shared memory, closes its own socket, or forks a child; and
# signals at the edges of a run. No input may vanish or be renamed, the run
# never hangs, nothing outlives it.
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}

pipeline() { # mode [sink section] [extra line for the bad stage]
	cat <<INI
[src]
stage = testsrc
count = 40
width = 64
height = 64
[bad]
plugin = $FIX/misbehaving_filter.so
mode = $1
at = 17
workers = 2
restarts = 5
${3:-}
${2:-[sum]
stage = checksum_sink
file = $WORK/$1.txt}
INI
}

# Indices in a checksum file: every one an input of the run, none twice.
check_indices() { # file what
	awk '{print $1}' "$1" | sort -n | uniq -d | grep -q . &&
		fail "$2: a frame written twice"
	awk '$1 !~ /^[0-9]+$/ || $1 >= 40 { bad = 1 } END { exit bad }' "$1" ||
		fail "$2: a frame written under an index that is no input"
}

accounted() { # stats.json what
	python3 - "$1" <<'PY' || fail "$2: accounting"
import json, sys
f = json.load(open(sys.argv[1]))["frames"]
assert f["total"] == 40, f
assert f["ok"] + f["failed"] + f.get("not_started", 0) == 40, f
PY
}

# Writing outside its frame (past its end, into the next slot): the MMU
# stops it in its own process (SIGSEGV: the guard page, or a slot it does
# not own), and every other frame is intact (same checksums as a clean
# run). With the slots' protection keys (slot_gate.h, where the CPU has
# them) and without (FP_POOL_PKEYS=0: mprotect only).
pipeline crash "" "at = 100000" | sed 's/^at = 17$//' >"$WORK/clean.ini"
sed -i "s|$WORK/crash.txt|$WORK/clean.txt|" "$WORK/clean.ini"
fp run "$WORK/clean.ini" -q
expect_rc 0 "clean run"
grep -v '^17 ' "$WORK/clean.txt" | sort >"$WORK/clean.sorted"
for pkeys in 1 0; do
	for mode in overrun wild; do
		pipeline $mode >"$WORK/$mode.ini"
		rm -f "$WORK/$mode.txt"
		FP_POOL_PKEYS=$pkeys fp run "$WORK/$mode.ini" --stats-json "$WORK/$mode.json" -q
		expect_rc 1 "$mode"
		expect_err "frame 17: bad: instance #" "$mode, keys $pkeys: names frame and stage"
		expect_err "killed by SIGSEGV: wrote outside its frame (address 0x" "$mode, keys $pkeys: the MMU stopped it"
		expect_err "; skipped" "$mode, keys $pkeys: retried once"
		[ $mode = overrun ] && where="the guard page after slot [0-9]+" ||
			where="(the metadata of slot [0-9]+|past the end of the pool)"
		grep -qE "wrote outside its frame \(address 0x[0-9a-f]+, $where, code [^ ]+\+0x[0-9a-f]+\) \(pid [0-9]+, plugin $FIX/misbehaving_filter.so\)" "$ERR" ||
			fail "$mode, keys $pkeys: where it wrote: $(grep -m1 'outside' "$ERR")"
		sort "$WORK/$mode.txt" | cmp -s - "$WORK/clean.sorted" ||
			fail "$mode, keys $pkeys: the other frames differ from a clean run"
	done
done

# A run whose instances are up, one of them stuck on frame 5 for ever.
start_run() { # ini
	FP_TEST_TAG=$TAG "$FP_BIN" run "$1" --stats-json "$WORK/s.json" \
		>"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
	PID=$!
	for _ in $(seq 100); do
		[ "$(tagged_pids | wc -l)" -ge 4 ] && break
		sleep 0.05
	done
	sleep 0.3
}

# Exits within 5 s (then checks nothing is left); sets RC.
wait_run() { # what
	for _ in $(seq 100); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$PID" 2>/dev/null && {
		fail "$1: still running after 5 s"
		kill -KILL "$PID"
	}
	wait "$PID"
	RC=$?
	ERR="$WORK/stderr"
	check_nothing_left "$PID" "$1"
}

# Rewriting its own slot's input index: a protocol violation of that stage;
# the frame keeps its identity, is retried once, then reported.
pipeline retag >"$WORK/retag.ini"
fp run "$WORK/retag.ini" --stats-json "$WORK/retag.json" -q
expect_rc 1 "retag"
expect_err "frame 17: bad: instance #" "retag: names frame and stage"
expect_err "its header says 18" "retag: says what the header claimed"
[ "$(wc -l <"$WORK/retag.txt")" -eq 39 ] || fail "retag: expected 39 frames written"
grep -q '^17 ' "$WORK/retag.txt" && fail "retag: frame 17 written"
check_indices "$WORK/retag.txt" retag
accounted "$WORK/retag.json" retag

# Garbage over every other slot header: whatever fails is reported, no
# input vanishes, no output is written under a garbage name.
pipeline garble "[png]
stage = png_encode" >"$WORK/garble.ini"
fp run "$WORK/garble.ini" -o "$WORK/garble" --stats-json "$WORK/garble.json" -q
# (0 when every frame hit recovered on its retry.)
[ "$RC" -le 1 ] || [ "$RC" -eq 3 ] || fail "garble: exit $RC"
grep -q "internal error" "$ERR" && fail "garble: the books did not balance"
accounted "$WORK/garble.json" garble
ok=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["frames"]["ok"])' "$WORK/garble.json")
written=$(find "$WORK/garble" -name '*.png' | wc -l)
[ "$written" -ge "$ok" ] || fail "garble: $ok frames ok, $written files"
find "$WORK/garble" -name '*.png' -printf '%f\n' |
	awk '{ n = $0; gsub(/[^0-9]/, "", n); if (n + 0 >= 40) bad = 1 } END { exit bad }' ||
	fail "garble: an output named after no input: $(ls "$WORK/garble" | head -3)"

# Closing its own socket: it is dead to the run (killed, its frame
# retried, then reported), and the run ends (within 5 s: it used to hang).
pipeline close >"$WORK/close.ini"
FP_TEST_TAG=$TAG "$FP_BIN" run "$WORK/close.ini" --stats-json "$WORK/close.json" \
	-q >"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
PID=$!
wait_run close
expect_rc 1 "close"
expect_err "closed its end of the socket" "close: says why"
expect_err "frame 17: bad: instance #" "close: names frame and stage"
[ "$(wc -l <"$WORK/close.txt")" -eq 39 ] || fail "close: expected 39 frames written"
accounted "$WORK/close.json" close

# A plugin's forked child dies with its instance: fp checks that no
# process of the run is left.
pipeline fork >"$WORK/fork.ini"
fp run "$WORK/fork.ini" -q
expect_rc 0 "fork"
[ "$(wc -l <"$WORK/fork.txt")" -eq 40 ] || fail "fork: expected 40 frames written"

cat >"$WORK/stuck.ini" <<INI
[src]
stage = testsrc
count = 100000000
width = 64
height = 64
[bad]
plugin = $FIX/misbehaving_filter.so
mode = hang
at = 5
restarts = 5
[sink]
stage = null_sink
INI

# A second SIGTERM abandons the frames in flight: no restart, no retry,
# exit 3 at once with the summary.
start_run "$WORK/stuck.ini"
kill -TERM "$PID"
sleep 0.3
kill -0 "$PID" 2>/dev/null || fail "one SIGTERM: ended with a frame stuck in flight"
kill -TERM "$PID"
wait_run "second SIGTERM"
expect_rc 3 "second SIGTERM"
expect_err "again: abandoning the frames in flight" "second SIGTERM: announced"
expect_err "frame 5: bad: abandoned" "second SIGTERM: the stuck frame is reported"
expect_err "framepipe: " "second SIGTERM: summary"
grep -q "restarting it" "$ERR" && fail "second SIGTERM: an instance was restarted"
python3 - "$WORK/s.json" <<'PY' || fail "second SIGTERM: stats"
import json, sys
f = json.load(open(sys.argv[1]))["frames"]
assert f["total"] == 100000000 and f["failed"] >= 1, f
PY

# SIGHUP in the loop is an interrupt like SIGTERM: 3 and the summary.
start_run "$WORK/stuck.ini"
kill -HUP "$PID"
sleep 0.3
kill -HUP "$PID"
wait_run "SIGHUP"
expect_rc 3 "SIGHUP"
expect_err "Hangup: finishing frames in flight" "SIGHUP: announced"
expect_err "frames: " "SIGHUP: summary"

# SIGTERM or SIGHUP while the run is planned (the source's frame_bound
# takes 3 s): 3 and one line, nothing forked.
cat >"$WORK/slow.ini" <<INI
[src]
plugin = $FIX/slow_source.so
plan_ms = 3000
[sink]
stage = null_sink
INI
for sig in TERM HUP; do
	FP_TEST_TAG=$TAG "$FP_BIN" run "$WORK/slow.ini" \
		>"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
	PID=$!
	sleep 0.5
	kill -$sig "$PID"
	wait_run "SIG$sig while planning"
	expect_rc 3 "SIG$sig while planning"
	expect_err "before the run started" "SIG$sig while planning: one line"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "SIG$sig while planning: more than one line"
done
finish
