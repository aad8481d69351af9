#!/bin/bash
# 10,000 synthetic frames with 2 workers on the middle stage: every frame
# arrives exactly once, with the same pixels as a single-worker run.
. "$(dirname "$0")/lib.sh"

pipeline() { # workers sumfile
	cat <<INI
[src]
stage = testsrc
count = 10000
width = 48
height = 32
format = rgba8
pattern = noise
[middle]
stage = passthrough
workers = $1
[sum]
stage = checksum_sink
file = $2
INI
}

pipeline 2 "$WORK/two.txt" >"$WORK/two.ini"
pipeline 1 "$WORK/one.txt" >"$WORK/one.ini"
fp run "$WORK/two.ini" --stats-json "$WORK/two.json" -q
expect_rc 0 "2 workers"
fp run "$WORK/one.ini" -q
expect_rc 0 "1 worker"

[ "$(wc -l <"$WORK/two.txt")" -eq 10000 ] || fail "expected 10000 lines"
[ "$(cut -d' ' -f1 "$WORK/two.txt" | sort -n | uniq | wc -l)" -eq 10000 ] ||
	fail "some frame arrived twice or never"
cmp -s <(sort -n "$WORK/two.txt") <(sort -n "$WORK/one.txt") ||
	fail "2-worker pixels differ from 1-worker pixels"
[ "$(cut -d' ' -f2 "$WORK/two.txt" | sort -u | wc -l)" -gt 9000 ] ||
	fail "noise frames should differ from each other"

python3 - "$WORK/two.json" <<'PY' || fail "stats json"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 10000, "ok": 10000, "failed": 0}, s["frames"]
middle = s["stages"][1]
assert middle["workers"] == 2 and len(middle["pids"]) == 2, middle
assert middle["frames"] == 10000
assert all(st["frames"] == 10000 for st in s["stages"])
assert s["pool"]["slots"] >= 2 and s["pool"]["slot_size"] >= 48 * 32 * 4
PY
finish
