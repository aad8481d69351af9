#!/bin/bash
# The README's first run: the bundled sample photos through configs/default.ini.
. "$(dirname "$0")/lib.sh"

fp run "$SRC/configs/default.ini" -i "$DATA/sample" -o "$WORK/out" \
	--stats-json "$WORK/stats.json"
expect_rc 0 "default run"
expect_err "5 frames: 5 written, 0 failed" "summary"
expect_err "output in $WORK/out/" "summary names the output folder"
# chelsea.png has an iCCP profile libpng warns about: not a failure.
grep -q -i "iccp" "$ERR" && fail "libpng warning leaked to the user"
for f in "$DATA"/sample/*.png; do
	out="$WORK/out/$(basename "$f")"
	[ -s "$out" ] || { fail "missing $out"; continue; }
	cmp -s <("${FP_PNG2RGBA:?}" "$f") <("$FP_PNG2RGBA" "$out") ||
		fail "$(basename "$f"): pixels changed"
done
python3 - "$WORK/stats.json" <<'PY' || fail "stats json"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 5, "ok": 5, "failed": 0}
assert [st["name"] for st in s["stages"]] == ["decode", "filter", "encode"]
assert s["stages"][1]["workers"] == 2
assert s["failures"] == [] and s["wall_s"] > 0
PY
finish
