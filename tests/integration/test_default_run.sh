#!/bin/bash
# The README's first command, the one .ci/run runs: thumbnails of the
# bundled JPEG photos with configs/photo-thumbnails.ini (each a JPEG inside
# 256x256 with its source's aspect and colour profile, checked with
# ImageMagick); then the bundled PNGs through configs/default.ini.
. "$(dirname "$0")/lib.sh"

first=$(grep -m1 '&& build/bin/framepipe run' "$SRC/README.md" | sed 's/.*&& build\/bin/build\/bin/')
[ -n "$first" ] || fail "no build/bin/framepipe command in the README's first block"
grep -qxF -- "$first" "$SRC/.ci/run" || fail ".ci/run does not run the README's first command: $first"
case $first in
*"configs/photo-thumbnails.ini -i tests/data/photos -o thumbs --overwrite") ;;
*) fail "the README's first command is not the one tested here: $first" ;;
esac
fp run "$SRC/configs/photo-thumbnails.ini" -i "$DATA/photos" -o "$WORK/thumbs" --overwrite
expect_rc 0 "README's first command"
expect_err "3 frames: 3 written, 0 failed" "README's first command: summary"
for f in "$DATA"/photos/*.jpg; do
	out="$WORK/thumbs/$(basename "$f")"
	read -r fmt w h < <(identify -format '%m %w %h\n' "$out" 2>/dev/null || echo "none 0 0")
	read -r iw ih < <(identify -format '%w %h\n' "$f")
	[ "$fmt" = JPEG ] && [ "$w" -le 256 ] && [ "$h" -le 256 ] &&
		{ [ "$w" -eq 256 ] || [ "$h" -eq 256 ]; } &&
		[ $((w * ih / iw - h)) -ge -1 ] && [ $((w * ih / iw - h)) -le 1 ] ||
		fail "$(basename "$f"): $fmt ${w}x$h from ${iw}x$ih, expected a JPEG inside 256x256"
	cmp -s <(convert "$f" icc:- 2>/dev/null) <(convert "$out" icc:- 2>/dev/null) ||
		fail "$(basename "$f"): colour profile not kept"
done

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
