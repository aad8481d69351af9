#!/bin/bash
# configs/thumbnails.ini, documents.ini and web.ini on the bundled samples
# and photographs: every image gives an output of the promised size and
# kind.
#
# One input per run: outputs of out-of-place stages (resize) are named
# after a stale input when a run has several (see the filter library's
# issue note on granted slots); with one input per run the name is right.
. "$(dirname "$0")/lib.sh"
PNG2RGBA=${FP_PNG2RGBA:?}

# "WIDTH HEIGHT COLOURTYPE" of a PNG, from its IHDR.
png_info() {
	python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(26)
w, h, depth, ct = struct.unpack(">IIBB", d[16:26])
print(w, h, ct)' "$1"
}

for input in "$DATA"/sample/*.png; do
	name=$(basename "$input")
	read -r w h _ < <(png_info "$input")

	fp run "$SRC/configs/thumbnails.ini" -i "$input" -o "$WORK/thumbs" -q
	expect_rc 0 "thumbnails $name"
	[ "$(png_info "$WORK/thumbs/$name" | cut -d' ' -f1,2)" = "256 256" ] ||
		fail "thumbnails $name: not 256x256"

	fp run "$SRC/configs/documents.ini" -i "$input" -o "$WORK/docs" -q
	expect_rc 0 "documents $name"
	[ "$(png_info "$WORK/docs/$name")" = "$w $h 0" ] ||
		fail "documents $name: expected ${w}x$h gray"
	"$PNG2RGBA" "$WORK/docs/$name" | python3 -c 'import sys
d = sys.stdin.buffer.read()
sys.exit(0 if set(d[0::4]) <= {0, 255} and len(set(d[0::4])) == 2 else 1)' ||
		fail "documents $name: not pure black and white"

	fp run "$SRC/configs/web.ini" -i "$input" -o "$WORK/web" -q
	expect_rc 0 "web $name"
	python3 - "$w" "$h" $(png_info "$WORK/web/$name") <<'PY' ||
import sys
w, h, ow, oh, ct = map(int, sys.argv[1:])
f = min(400 / w, 400 / h)
assert max(ow, oh) == 400, (ow, oh)
assert (ow, oh) == (max(1, round(w * f)), max(1, round(h * f))), (ow, oh)
assert ct in (0, 2), "alpha must be flattened"
PY
		fail "web $name: wrong size or alpha kept"
done

# Every photo, whatever its format: the bundled JPEG photographs through
# the three configs, each output of the promised size, thumbnails and web
# versions staying JPEG, documents becoming PNG.
for input in "$DATA"/photos/*.jpg; do
	name=$(basename "$input" .jpg)
	read -r w h < <(identify -format '%w %h\n' "$input")
	fp run "$SRC/configs/thumbnails.ini" -i "$input" -o "$WORK/jthumbs" -q
	expect_rc 0 "thumbnails $name.jpg"
	[ "$(identify -format '%m %wx%h' "$WORK/jthumbs/$name.jpg")" = "JPEG 256x256" ] ||
		fail "thumbnails $name.jpg: not a 256x256 JPEG"
	fp run "$SRC/configs/web.ini" -i "$input" -o "$WORK/jweb" -q
	expect_rc 0 "web $name.jpg"
	python3 - "$w" "$h" $(identify -format '%m %w %h' "$WORK/jweb/$name.jpg") <<'PY' ||
import sys
w, h = int(sys.argv[1]), int(sys.argv[2])
kind, ow, oh = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
f = min(400 / w, 400 / h)
assert kind == "JPEG", kind
assert (ow, oh) == (max(1, round(w * f)), max(1, round(h * f))), (ow, oh)
PY
		fail "web $name.jpg: not a JPEG fitting 400x400"
	fp run "$SRC/configs/documents.ini" -i "$input" -o "$WORK/jdocs" -q
	expect_rc 0 "documents $name.jpg"
	[ "$(png_info "$WORK/jdocs/$name.png")" = "$w $h 0" ] ||
		fail "documents $name.jpg: expected a ${w}x$h gray PNG"
done
finish
