#!/bin/bash
# A long pipeline of filters over the PngSuite (every colour type, bit
# depth and size from 1x1, decoded to G8/GA8/RGB8/RGBA8 as stored) and the
# samples: every frame goes through per-pixel, geometry (in place and into
# granted slots) and neighbourhood stages and comes out written, with
# nothing leaked. CI runs it under ASan+UBSan too.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/chain.ini" <<'INI'
[pipeline]
slot_size = 4M
[decode]
stage = png_decode
format = keep
[invert]
stage = invert
[bc]
stage = brightness_contrast
contrast = 1.3
brightness = -5
[gamma]
stage = gamma
gamma = 1.8
[levels]
stage = levels
in_black = 5
in_white = 250
[pre]
stage = premultiply
[un]
stage = unpremultiply
[pad]
stage = pad
width = 520
height = 520
color = #33669980
[rotate]
stage = rotate
degrees = 270
[crop]
stage = crop
gravity = center
width = 300
height = 200
[blur]
stage = blur
sigma = 1.2
[sharpen]
stage = sharpen
amount = 0.7
[convolve]
stage = convolve
kernel = 1 2 1 2 4 2 1 2 1
[median]
stage = median
radius = 2
[resize]
stage = resize
width = 64
kernel = bicubic
workers = 2
[transpose]
stage = transpose
[flip]
stage = flip
direction = vertical
[flatten]
stage = alpha_flatten
color = #ffeedd
[gray]
stage = grayscale
luma = bt709
[threshold]
stage = threshold
level = 100
[encode]
stage = png_encode
level = 1
INI

for set in pngsuite sample; do
	n=$(ls "$DATA/$set"/*.png | wc -l)
	fp run "$WORK/chain.ini" -i "$DATA/$set" -o "$WORK/out-$set" \
		--stats-json "$WORK/$set.json" -q
	expect_rc 0 "$set"
	python3 - "$WORK/$set.json" "$n" <<'PY' || fail "$set: accounting"
import json, sys
s = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert s["frames"]["ok"] == n and s["frames"]["failed"] == 0, s["frames"]
assert all(st["frames"] == n for st in s["stages"]), s["stages"]
PY
done
finish
