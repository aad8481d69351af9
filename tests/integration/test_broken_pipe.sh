#!/bin/bash
# A closed downstream pipe with an endless source (issue 14.6): the run
# stops at the first EPIPE of the stage writing stdout, says so in one
# line, and never keeps an unbounded list of failures in memory.
. "$(dirname "$0")/lib.sh"

# testsrc makes a billion frames; head reads one byte and goes away.
start=$(date +%s)
FP_TEST_TAG=$TAG timeout 60 "$FP_BIN" run \
	-p 'testsrc count=1000000000 width=64 height=48 ! y4m_write' \
	2>"$WORK/pipe.err" | head -c1 >/dev/null
RC=${PIPESTATUS[0]}
ERR="$WORK/pipe.err"
elapsed=$(($(date +%s) - start))
[ "$RC" -eq 124 ] && fail "the run did not stop when its stdout closed"
expect_rc 3 "closed stdout"
[ "$elapsed" -le 20 ] || fail "stopping took $elapsed s"
expect_err "framepipe: stage y4m_write: standard output is closed (the reading end of the pipe went away); stopping" "closed stdout"
lines=$(grep -c -v -e '^  ' -e '^framepipe: [0-9]* frames' -e '^failed inputs:' "$ERR")
[ "$lines" -le 3 ] || {
	fail "closed stdout: $lines lines on stderr, expected one and a not-started line"
	head -5 "$ERR" | sed 's/^/  stderr: /' >&2
}
# -q: the one line and nothing else.
FP_TEST_TAG=$TAG timeout 60 "$FP_BIN" run -q \
	-p 'testsrc count=1000000000 width=64 height=48 ! y4m_write' \
	2>"$WORK/pipe.err" | head -c1 >/dev/null
RC=${PIPESTATUS[0]}
expect_rc 3 "closed stdout, -q"
lines=$(wc -l <"$WORK/pipe.err")
[ "$lines" -le 2 ] || fail "closed stdout, -q: $lines lines: $(head -3 "$WORK/pipe.err")"
sleep 0.2
[ -z "$(tagged_pids)" ] || fail "closed stdout: processes left: $(tagged_pids)"

# Failures beyond the first 1000 are counted, not kept: 3000 frames that
# each fail (too big for 1 KiB slots).
fp run -q --set slot_size=1K -p 'testsrc count=3000 width=64 height=64 workers=2 ! null_sink' \
	--stats-json "$WORK/s.json"
expect_rc 1 "3000 failures"
python3 - "$WORK/s.json" <<'PY' || fail "3000 failures: stats file"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["frames"]["failed"] == 3000, d["frames"]
assert len(d["failures"]) == 1000, len(d["failures"])
assert d["failures_not_listed"] == 2000, d.get("failures_not_listed")
PY
finish
