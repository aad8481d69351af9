#!/bin/bash
# A stage's voice: env->log prints "label#instance: text" on stderr, -q
# silences INFO (not warnings), DEBUG only with FRAMEPIPE_DEBUG; a plugin's
# printf never lands in the run's stdout (here a y4m stream); a stage that
# runs its own threads gets a thread budget and one instance under
# workers = auto.
. "$(dirname "$0")/lib.sh"

CHATTY="$FP_FIXTURE_DIR/chatty_filter.so"
PIPE="testsrc count=3 width=16 height=8 ! $CHATTY ! y4m_write"
fp run -p "$PIPE"
expect_rc 0 "chatty run"
grep -q "stdout noise" "$OUT" && fail "a plugin's printf reached the run's stdout"
[ "$(head -c 10 "$OUT")" = "YUV4MPEG2 " ] || fail "stdout is not the y4m stream"
[ "$(grep -ao 'FRAME' "$OUT" | wc -l)" -eq 3 ] || fail "the stream lacks its 3 frames"
expect_err "stdout noise from a plugin" "the plugin's printf, on stderr"
expect_err "chatty_filter#0: info about frame" "INFO line"
expect_err "chatty_filter#0: warning: warning about frame" "WARN line"
grep -q "debug detail" "$ERR" && fail "DEBUG shown without FRAMEPIPE_DEBUG"
# One instance (it runs its own threads) with every CPU as its budget.
cpus=$(nproc)
expect_err "chatty_filter#0: threads=$cpus" "thread budget"
grep -q "chatty_filter#1" "$ERR" && fail "a stage with its own threads got 2 instances"

fp run -q -p "$PIPE"
expect_rc 0 "chatty run, -q"
grep -q "info about frame" "$ERR" && fail "-q must silence INFO"
expect_err "warning: warning about frame" "-q keeps warnings"

FRAMEPIPE_DEBUG=1 fp run -p "$PIPE"
expect_err "chatty_filter#0: debug: debug detail" "DEBUG with FRAMEPIPE_DEBUG"

if command -v taskset >/dev/null; then
	OUT="$WORK/stdout" ERR="$WORK/stderr"
	FP_TEST_TAG=$TAG taskset -c 0 "$FP_BIN" run -p "$PIPE" >"$OUT" 2>"$ERR" </dev/null
	expect_err "chatty_filter#0: threads=1" "thread budget on one CPU"
fi
finish
