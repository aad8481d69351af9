#!/bin/bash
# Frames as large as a slot cross three stages in a pool of two slots. A
# copy between stages would need a third buffer; with ownership passing it
# just flows. Pixels must come out exactly as they went in.
. "$(dirname "$0")/lib.sh"

W=1024 H=1024 BYTES=$((1024 * 1024 * 4))
cat >"$WORK/z.ini" <<INI
[pipeline]
slots = 2
slot_size = $BYTES
depth = 1
[src]
stage = testsrc
count = 40
width = $W
height = $H
format = rgba8
pattern = noise
[a]
stage = passthrough
[b]
stage = passthrough
[c]
stage = passthrough
[sum]
stage = checksum_sink
file = $WORK/z.txt
INI
fp run "$WORK/z.ini" --stats-json "$WORK/z.json" -q
expect_rc 0 "two-slot pool"
[ "$(wc -l <"$WORK/z.txt")" -eq 40 ] || fail "expected 40 frames"
python3 - "$WORK/z.json" "$BYTES" <<'PY' || fail "pool not as configured"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["pool"] == {"slots": 2, "slot_size": int(sys.argv[2]), "slot_bytes": int(sys.argv[2])}, s["pool"]
assert s["frames"]["ok"] == 40
PY

# Same frames with no filters in between: the hashes must be identical.
sed -e '/^\[a\]/,/^\[sum\]/{/^\[sum\]/!d}' -e "s|z.txt|direct.txt|" \
	"$WORK/z.ini" >"$WORK/direct.ini"
fp run "$WORK/direct.ini" -q
expect_rc 0 "direct"
cmp -s <(sort -n "$WORK/z.txt") <(sort -n "$WORK/direct.txt") ||
	fail "pixels changed crossing the filters"

# One byte less than a frame: the source must refuse, not overrun.
sed -e "s/^slot_size = .*/slot_size = $((BYTES - 1))/" "$WORK/direct.ini" >"$WORK/small.ini"
fp run "$WORK/small.ini" -q
expect_rc 1 "slot too small"
expect_err "pool slot holds $((BYTES - 1))" "slot too small"
finish
