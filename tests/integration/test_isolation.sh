#!/bin/bash
# Each stage instance holds only stdin, stdout, stderr and its own socket
# (and, in a run that writes files, the run's lock, which it opens itself):
# the fixture refuses to start otherwise. Run with descriptors deliberately
# open in the supervisor (an inherited one, and the restart path after a
# crash, which forks from the running loop) to prove they are closed.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/audit.ini" <<INI
[src]
stage = testsrc
count = 50
width = 16
height = 16
[audit]
plugin = ${FP_FIXTURE_DIR:?}/misbehaving_filter.so
mode = audit
workers = 2
[crash]
plugin = $FP_FIXTURE_DIR/misbehaving_filter.so
mode = crash
at = 20
[sink]
stage = null_sink
INI
exec 7<"$WORK/audit.ini" 8>"$WORK/extra"   # open in the supervisor too
fp run "$WORK/audit.ini" --stats-json "$WORK/s.json" -q
exec 7<&- 8>&-
# Only frame 20 (the crash fixture, twice) may fail; no instance may have
# refused to start.
expect_rc 1 "audit"
grep -q "leaked into the instance" "$ERR" && fail "a descriptor leaked into a stage"
python3 - "$WORK/s.json" <<'PY' || fail "accounting"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 50, "ok": 49, "failed": 1}, s["frames"]
PY

# A run that writes files: the instances also hold the run's lock, each on
# a descriptor of its own, and nothing else.
sed -e 's/^stage = null_sink$/stage = png_encode/' "$WORK/audit.ini" >"$WORK/files.ini"
exec 7<"$WORK/audit.ini" 8>"$WORK/extra"
fp run "$WORK/files.ini" -o "$WORK/files" -q
exec 7<&- 8>&-
expect_rc 1 "audit, writing files"
grep -q "leaked into the instance" "$ERR" && fail "writing files: a descriptor leaked into a stage"
[ "$(ls "$WORK/files" | wc -l)" -eq 49 ] || fail "writing files: expected 49 outputs"
finish
