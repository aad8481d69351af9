#!/bin/bash
# A stage's voice: env->log prints "label#instance: text" on stderr, -q
# silences INFO (not warnings), DEBUG only with FRAMEPIPE_DEBUG; errors and
# warnings are counted in the summary and in --stats-json, per instance; a
# plugin's printf never lands in the run's stdout (here a y4m stream): each
# of its lines comes on stderr with the stage's prefix, a long one in
# pieces, the last one even without its newline, and a plugin that prints a
# lot does not stall the run; a stage that runs its own threads gets a
# thread budget and one instance under workers = auto.
. "$(dirname "$0")/lib.sh"

CHATTY="$FP_FIXTURE_DIR/chatty_filter.so"
PIPE="testsrc count=3 width=16 height=8 ! $CHATTY ! y4m_write"
# y4m_write's stdout is the run's: only the stream may be there.
check_stream() {
	[ "$(head -c 10 "$OUT")" = "YUV4MPEG2 " ] || fail "$1: stdout is not the y4m stream"
	[ "$(grep -ao 'FRAME' "$OUT" | wc -l)" -eq 3 ] || fail "$1: the stream lacks its 3 frames"
	grep -aq -e "stdout noise" -e "last words" -e "xxxx" -e "flood" "$OUT" &&
		fail "$1: a plugin's printf reached the run's stdout"
}
# Lines of stderr matching $1 that lack the prefix "chatty_filter#N: ".
unprefixed() {
	grep -a -e "$1" "$ERR" | grep -av -E '^chatty_filter#[0-9]+: ' || true
}

fp run -p "$PIPE"
expect_rc 0 "chatty run"
check_stream "chatty run"
expect_err "chatty_filter#0: info about frame" "INFO line"
expect_err "chatty_filter#0: warning: warning about frame" "WARN line"
expect_err "chatty_filter#0: error: an error that fails nothing" "ERROR line"
grep -q "debug detail" "$ERR" && fail "DEBUG shown without FRAMEPIPE_DEBUG"
# One instance (it runs its own threads) with every CPU as its budget.
cpus=$(nproc)
expect_err "chatty_filter#0: threads=$cpus" "thread budget"
grep -q "chatty_filter#1" "$ERR" && fail "a stage with its own threads got 2 instances"
# 3 frames' warnings and fini's, init's error: one line after the table,
# wrapped at 80 columns.
sed -e ':a' -e 'N' -e '$!ba' -e 's/\n  / /g' "$ERR" |
	grep -q -x -F "framepipe: 1 error and 4 warnings from stages (chatty_filter#0: 1 error, 4 warnings)" ||
	fail "the summary lacks 'framepipe: 1 error and 4 warnings from stages (chatty_filter#0: 1 error, 4 warnings)'"

# Two instances: each printf line prefixed with its instance, the counts
# per instance in the summary and in the stats file.
fp run --stats-json "$WORK/s.json" -p "testsrc count=3 width=16 height=8 ! $CHATTY workers=2 ! y4m_write"
expect_rc 0 "chatty run, 2 instances"
check_stream "2 instances"
[ "$(grep -a -c -E '^chatty_filter#[01]: stdout noise from a plugin$' "$ERR")" -eq 3 ] ||
	fail "a plugin's printf lines lack the prefix 'chatty_filter#N: '"
[ -z "$(unprefixed 'stdout noise')" ] || fail "a printf line without its prefix: $(unprefixed 'stdout noise')"
for i in 0 1; do
	grep -a -q -x "chatty_filter#$i: last words without a newline" "$ERR" ||
		fail "#$i: the last line, printed without a newline, is not a line of its own"
done
# 2500 x after "long:", in pieces of at most 1024 bytes, each prefixed.
[ -z "$(unprefixed 'xxxx')" ] || fail "a piece of a long line without its prefix"
python3 - "$ERR" <<'PY' || fail "the long line is not in prefixed pieces of at most 1024 bytes"
import re, sys
pieces = {}
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"(chatty_filter#\d+): ((long:)?x+)$", line.rstrip("\n"))
    if m:
        assert len(m.group(2)) <= 1024, len(m.group(2))
        pieces.setdefault(m.group(1), []).append(m.group(2))
assert sorted(pieces) == ["chatty_filter#0", "chatty_filter#1"], pieces.keys()
for parts in pieces.values():
    assert "".join(parts) == "long:" + "x" * 2500, [len(p) for p in parts]
PY
# The summary's line (wrapped) against the stats file: 2 errors (init),
# 5 warnings (3 frames, 2 finis), each instance's own.
python3 - "$ERR" "$WORK/s.json" <<'PY' || fail "logged counts in the summary or the stats file"
import json, re, sys
err = open(sys.argv[1]).read().split("\n")
start = [i for i, l in enumerate(err) if l.startswith("framepipe: 2 errors and 5 warnings from stages (")]
assert len(start) == 1, "no summary line 'framepipe: 2 errors and 5 warnings from stages ('"
text = err[start[0]]
for l in err[start[0] + 1:]:
    if not l.startswith("  "):
        break
    text += " " + l.strip()
per = {int(i): (int(e), int(w)) for i, e, w in
       re.findall(r"chatty_filter#(\d): (\d+) errors?, (\d+) warnings?", text)}
assert sorted(per) == [0, 1], text
stages = json.load(open(sys.argv[2]))["stages"]
chatty = stages[1]
assert (chatty["warnings"], chatty["errors"]) == (5, 2), chatty
assert chatty["errors_by_instance"] == [1, 1], chatty
assert chatty["warnings_by_instance"] == [per[0][1], per[1][1]], (chatty, text)
assert all(w >= 1 for w in chatty["warnings_by_instance"]), chatty  # fini's
assert [per[0][0], per[1][0]] == [1, 1], text
for st in (stages[0], stages[2]):
    assert (st["warnings"], st["errors"]) == (0, 0), st
    assert sum(st["warnings_by_instance"]) == 0, st
PY

fp run -q -p "$PIPE"
expect_rc 0 "chatty run, -q"
check_stream "-q"
grep -q "info about frame" "$ERR" && fail "-q must silence INFO"
grep -q "threads=" "$ERR" && fail "-q must silence init's INFO"
expect_err "chatty_filter#0: warning: warning about frame" "-q keeps warnings"
expect_err "chatty_filter#0: error: an error that fails nothing" "-q keeps errors"
grep -q "from stages" "$ERR" && fail "-q printed the summary's count"

FRAMEPIPE_DEBUG=1 fp run -p "$PIPE"
expect_err "chatty_filter#0: debug: debug detail" "DEBUG with FRAMEPIPE_DEBUG"

# Nothing logged: no such line.
fp run -p "testsrc count=2 width=16 height=8 ! null_sink"
expect_rc 0 "a quiet pipeline"
grep -q "from stages" "$ERR" && fail "a count line when no stage logged"

# 3 x 20000 lines (about 4 MB, 60 pipe buffers' worth) from two instances:
# the run ends, every line whole and prefixed, the stream clean (a
# supervisor that stops reading stalls it: SIGTERM only waits for frames
# that never end, hence -k).
OUT="$WORK/stdout" ERR="$WORK/stderr"
CHATTY_FLOOD=20000 FP_TEST_TAG=$TAG timeout -k 5 60 "$FP_BIN" run \
	-p "testsrc count=3 width=16 height=8 ! $CHATTY workers=2 ! y4m_write" \
	>"$OUT" 2>"$ERR" </dev/null &
pid=$!
wait $pid
RC=$?
check_nothing_left $pid "a plugin that prints a lot"
expect_rc 0 "a plugin that prints a lot (124: it stalled)"
check_stream "a plugin that prints a lot"
[ "$(grep -a -c -E '^chatty_filter#[01]: flood chatty_filter#[01] frame [0-9] line [0-9]+ of a plugin that prints a lot$' "$ERR")" -eq 60000 ] ||
	fail "a plugin that prints a lot: not 60000 whole prefixed lines"

if command -v taskset >/dev/null; then
	OUT="$WORK/stdout" ERR="$WORK/stderr"
	FP_TEST_TAG=$TAG taskset -c 0 "$FP_BIN" run -p "$PIPE" >"$OUT" 2>"$ERR" </dev/null
	expect_err "chatty_filter#0: threads=1" "thread budget on one CPU"
fi

# A stage that asks for exactly two threads: on two CPUs, workers = auto
# gives it one instance with both; two instances given by hand share the
# CPUs, one thread each; on one CPU it gets one.
T2="$FP_FIXTURE_DIR/chatty_threads2.so"
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	OUT="$WORK/stdout" ERR="$WORK/stderr"
	FP_TEST_TAG=$TAG taskset -c 0,1 "$FP_BIN" run -p "testsrc count=4 ! $T2 ! null_sink" \
		>"$OUT" 2>"$ERR" </dev/null
	expect_err "chatty_threads2#0: threads=2" "threads = 2 on two CPUs"
	grep -q "chatty_threads2#1" "$ERR" && fail "threads = 2 on two CPUs: two instances under workers = auto"
	FP_TEST_TAG=$TAG taskset -c 0,1 "$FP_BIN" run -p "testsrc count=4 ! $T2 workers=2 ! null_sink" \
		>"$OUT" 2>"$ERR" </dev/null
	expect_err "chatty_threads2#0: threads=1" "threads = 2, workers = 2 on two CPUs"
	expect_err "chatty_threads2#1: threads=1" "threads = 2, workers = 2 on two CPUs"
	FP_TEST_TAG=$TAG taskset -c 0 "$FP_BIN" run -p "testsrc count=4 ! $T2 ! null_sink" \
		>"$OUT" 2>"$ERR" </dev/null
	expect_err "chatty_threads2#0: threads=1" "threads = 2 on one CPU"
fi
finish
