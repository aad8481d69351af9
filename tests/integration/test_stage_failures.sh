#!/bin/bash
# A stage instance that crashes, exits, or breaks the protocol is caught
# and restarted: the frames waiting in its pipe go to another instance, the
# frame it was working on is retried once and then reported with the
# stage's name, every other frame is written, nothing is leaked.
. "$(dirname "$0")/lib.sh"

pipeline() { # mode workers restarts [extra line for the bad stage]
	cat <<INI
[src]
stage = testsrc
count = 200
width = 64
height = 64
[bad]
plugin = ${FP_FIXTURE_DIR:?}/misbehaving_filter.so
mode = $1
at = 17
workers = $2
restarts = $3
${4:-}
[sum]
stage = checksum_sink
file = $WORK/$1-$2-$3.txt
INI
}

# Dying on frame 17: it is retried once on a fresh instance, dies again,
# and is reported; the frames queued behind it are not lost.
for workers in 1 2; do
	for mode in crash exit; do
		what="$mode, $workers worker(s)"
		pipeline $mode $workers 5 >"$WORK/$mode.ini"
		fp run "$WORK/$mode.ini" --stats-json "$WORK/$mode.json" -q
		expect_rc 1 "$what"
		[ "$mode" = crash ] && reason="killed by SIGSEGV" ||
			reason="exited with status 7"
		# Both deaths, each with its instance; the first with its pid
		# and the plugin's file.
		expect_err "frame 17: bad: instance #" "$what: names frame and stage"
		grep -qE "^(  )?frame 17: bad: instance #[01] $reason.* \(pid [0-9]+, plugin $FP_FIXTURE_DIR/misbehaving_filter.so\); then, on its retry, instance #[01] $reason; skipped\$" "$ERR" ||
			fail "$what: reason: $(grep 'frame 17' "$ERR")"
		[ "$(grep -c '^frame [0-9]' "$ERR")" -eq 1 ] || fail "$what: only frame 17 may fail"
		lines=$(wc -l <"$WORK/$mode-$workers-5.txt")
		[ "$lines" -eq 199 ] || fail "$what: $lines frames written, expected 199"
		grep -q '^17 ' "$WORK/$mode-$workers-5.txt" && fail "$what: frame 17 written"
		python3 - "$WORK/$mode.json" <<'PY' || fail "$what: accounting"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 200, "ok": 199, "failed": 1}, s["frames"]
assert s["failures"][0]["input"] == "frame 17", s["failures"]
assert s["failures"][0]["stage"] == "bad"
PY
	done
done

# Breaking the protocol on frame 17 (a forged slot number, garbage bytes on
# the socket): the instance is killed, named, and replaced. The frames it
# had finished (their answers are in the slot headers) count; the batch
# goes on and every frame is written exactly once.
declare -A REASON=(
	[forge]="DONE names slot 4000/4294967295 it does not own; killing it"
	[garbage]="protocol violation: unexpected garbage record"
)
for mode in forge garbage; do
	what="$mode"
	pipeline $mode 2 5 >"$WORK/$mode.ini"
	fp run "$WORK/$mode.ini" --stats-json "$WORK/$mode.json" -q
	expect_rc 0 "$what"
	expect_err "framepipe: stage bad#" "$what: names the stage"
	expect_err "${REASON[$mode]}" "$what: reason"
	lines=$(sort -n "$WORK/$mode-2-5.txt" | cut -d' ' -f1 | uniq | wc -l)
	[ "$lines" -eq 200 ] || fail "$what: $lines distinct frames written, expected 200"
	[ "$(wc -l <"$WORK/$mode-2-5.txt")" -eq 200 ] || fail "$what: a frame was written twice"
done

# Hanging on frame 17: the per-frame timeout kills the instance; the frame
# is retried once, hangs again, and is reported.
pipeline hang 2 5 "timeout = 0.5" >"$WORK/hang.ini"
fp run "$WORK/hang.ini" --stats-json "$WORK/hang.json" -q
expect_rc 1 "hang"
expect_err "frame 17: bad: instance #" "hang: names frame and stage"
expect_err "stuck on one frame for" "hang: says it was stuck"
expect_err "(timeout = 0.5 s); skipped" "hang: timeout and retry"
expect_err "then, on its retry, instance #" "hang: the retry's instance"
[ "$(wc -l <"$WORK/hang-2-5.txt")" -eq 199 ] || fail "hang: expected 199 frames written"

# Past the restart limit the run cannot go on: exit 3 with the reason,
# every input accounted for (written, failed or not started), no leak.
# depth = 4: how many frames before the crash are done depends on how
# many wait in each queue (depth = auto queues 16 of these small frames).
{ printf '[pipeline]\ndepth = 4\n'; pipeline crash 1 1; } >"$WORK/limit.ini"
fp run "$WORK/limit.ini" --stats-json "$WORK/limit.json" -q
expect_rc 3 "restart limit"
expect_err "stage bad cannot go on" "restart limit message"
expect_err "raise its 'restarts'" "restart limit says how to raise it"
python3 - "$WORK/limit.json" <<'PY' || fail "accounting after the limit"
import json, sys
s = json.load(open(sys.argv[1]))
f = s["frames"]
assert f["total"] == 200, f
assert f["ok"] + f["failed"] + f.get("not_started", 0) == 200, f
assert f["ok"] >= 17 - 4, f
PY
finish
