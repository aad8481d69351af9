#!/bin/bash
# The bundled configs with -r on a nested tree: the outputs keep the tree
# (README: -r mirrors it), two files of one name in different folders do
# not collide, and no hand-set slot size is needed (slot_size = auto fits
# an enlarged small input).
. "$(dirname "$0")/lib.sh"

T="$WORK/tree"
mkdir -p "$T/2024/summer" "$T/2025"
cp "$DATA/sample/logo.png" "$T/top.png"
cp "$DATA/sample/coins.png" "$T/2024/summer/beach.png"
cp "$DATA/sample/camera.png" "$T/2025/beach.png"
convert "$DATA/sample/logo.png" -resize 40x30! "$T/2025/tiny.png" ||
	fail "convert: no tiny input"
want="2024/summer/beach.png
2025/beach.png
2025/tiny.png
top.png"

for cfg in thumbnails web documents; do
	grep -q '^slot_size' "$SRC/configs/$cfg.ini" &&
		fail "$cfg.ini: a hand-set slot_size"
	fp run "$SRC/configs/$cfg.ini" -r -i "$T" -o "$WORK/out-$cfg" -q
	expect_rc 0 "$cfg.ini -r"
	got=$(cd "$WORK/out-$cfg" 2>/dev/null && find . -type f | sed 's|^\./||' | sort)
	[ "$got" = "$want" ] || fail "$cfg.ini -r: outputs $(echo $got), expected $(echo $want)"
done
# thumbnails.ini enlarges the 40x30 input to 256x256.
identify -format '%wx%h' "$WORK/out-thumbnails/2025/tiny.png" 2>/dev/null |
	grep -q '^256x256$' || fail "thumbnails.ini: tiny.png is not 256x256"
finish
