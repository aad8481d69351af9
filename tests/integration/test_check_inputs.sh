#!/bin/bash
# What `check` tells of each input before the run, from a small read of
# it (a header, the first bytes), and what `run` does with the same
# mistakes: frames that cannot fit a hand-set slot_size (issue 15 item 1),
# an output name the sink would write wrongly, a file of a format the
# source's codec does not read.
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}
P="$WORK/photos"
mkdir -p "$P"
cp "$DATA/photos/rocket.jpg" "$DATA/photos/retina.jpg" "$DATA/sample/camera.png" \
	"$DATA/sample/coins.png" "$P/"

# slot_size too small for the frames a stage makes: one line per input,
# naming the stage and the setting that fits (camera: 2048x2048 G8).
fp check -p 'png_decode ! resize scale=4 ! png_encode' -i "$P/camera.png" --set slot_size=1M
expect_rc 1 "check, resize past slot_size"
expect_err "framepipe: $P/camera.png: png_decode: needs 8388608-byte slots after resize (slot_size is 1048576): set slot_size = 8M or auto" \
	"check, resize past slot_size"
# "valid" only when nothing would fail
grep -qx -- "-p: the pipeline is valid: png_decode ! resize ! png_encode; 1 input, of which 1 would fail (listed on standard error)" "$OUT" ||
	fail "check's summary with an input that would fail: $(cat "$OUT")"
fp check -p 'png_decode ! resize scale=4 ! png_encode' -i "$P/camera.png" --set slot_size=8M
expect_rc 0 "check, the slot_size it advised"
grep -qx -- "-p: valid: png_decode ! resize ! png_encode; 1 input" "$OUT" ||
	fail "check's summary when nothing would fail: $(cat "$OUT")"
fp check -p 'png_decode ! resize scale=4 ! png_encode' -i "$P/camera.png"
expect_rc 0 "check, slot_size = auto"
# The source's own frame (rocket: 640x427 RGB8), in KiB below 1 MiB.
fp check -p 'grayscale' -i "$P/rocket.jpg" --set slot_size=512K
expect_rc 1 "check, a JPEG past slot_size"
expect_err "$P/rocket.jpg: decode: needs 819840-byte slots after decode (slot_size is 524288): set slot_size = 801K or auto" \
	"check, a JPEG past slot_size"
# Shrink-on-load: before a resize to 64 wide the JPEG is decoded at 1/8
# (80x54), which fits; the decoder judges the frame it makes, and only the
# frames from the resize on are bounded before the run.
fp check -p 'resize width=64' -i "$P/rocket.jpg" --set slot_size=512K
expect_rc 0 "check, a JPEG that fits once shrunk on load"
fp run -p 'resize width=64' -i "$P/rocket.jpg" -o "$WORK/shrunk" --set slot_size=64K
expect_rc 0 "run, a JPEG that fits once shrunk on load"
[ "$(identify -format '%w' "$WORK/shrunk/rocket.jpg" 2>/dev/null)" = 64 ] ||
	fail "run, a JPEG that fits once shrunk on load: no 64-wide output"
# The run fails those inputs before it starts; the rest of the batch goes on.
fp run -p 'grayscale' -i "$P/coins.png" -i "$P/retina.jpg" -o "$WORK/fit" \
	--set slot_size=1M --stats-json "$WORK/fit.json"
expect_rc 1 "run, one input past slot_size"
expect_err "$P/retina.jpg: decode: needs 5972763-byte slots after decode (slot_size is 1048576): set slot_size = 6M or auto" \
	"run, one input past slot_size"
[ -f "$WORK/fit/coins.png" ] || fail "run, one input past slot_size: coins.png not written"
python3 - "$WORK/fit.json" <<'PY' || fail "run, one input past slot_size: accounting"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 2, "ok": 1, "failed": 1}, s["frames"]
PY

# An extension no codec writes, and a codec sink given another format's
# name: refused before the run (exit 2), naming the template.
fp check -p 'resize width=64' -i "$P" -o "$WORK/o8" --set 'output={stem}.gif'
expect_rc 2 "check, .gif"
expect_err "framepipe: --set: pipeline.output: {stem}.gif: cannot write '.gif' files (encode writes png, jpg" "check, .gif"
fp run -p 'resize width=64' -i "$P" -o "$WORK/o8" --set 'output={stem}.gif'
expect_rc 2 "run, .gif"
[ -e "$WORK/o8" ] && fail "run, .gif: the output folder was made"
fp run -p 'resize width=64 ! png_encode' -i "$P" -o "$WORK/o9" --set 'output={stem}.jpg'
expect_rc 2 "run, png_encode into .jpg"
expect_err "pipeline.output: {stem}.jpg: png_encode writes PNG (.png) files: name the output .png, or end the pipeline with \`encode\`, which picks the format from the name" \
	"run, png_encode into .jpg"
[ -e "$WORK/o9" ] && fail "run, png_encode into .jpg: the output folder was made"
# Names that keep each input's extension into a codec's own encoder: the
# run fails the JPEG before it starts (PNG data in a .jpg), the PNG is
# written.
fp run -p 'resize width=64 ! png_encode' -i "$P/rocket.jpg" -i "$P/camera.png" \
	-o "$WORK/o11" --set 'output={stem}.{ext}'
expect_rc 1 "run, png_encode into each input's extension"
expect_err "$P/rocket.jpg: png_encode: its output $WORK/o11/rocket.jpg: png_encode writes PNG (.png) files" \
	"run, png_encode into each input's extension"
[ -e "$WORK/o11/rocket.jpg" ] && fail "run, png_encode into each input's extension: PNG data written as rocket.jpg"
[ -s "$WORK/o11/camera.png" ] || fail "run, png_encode into each input's extension: camera.png not written"
# No extension, or one no codec has, is the user's choice for a codec's
# own encoder: it writes PNG under that name.
for name in '{stem}' '{stem}.tmp'; do
	fp check -p 'resize width=64 ! png_encode' -i "$P" -o "$WORK/o10" --set "output=$name"
	expect_rc 0 "check, png_encode into $name"
	grep -q "pipeline.output" "$ERR" && fail "check, png_encode into $name: refused the name"
done
fp check -p 'resize width=64 ! jpeg_encode' -i "$P" --set 'output={stem}.jpeg'
expect_rc 0 "check, jpeg_encode into .jpeg (one of its extensions)"
# Names that keep each input's extension are judged per input.
fp check -p 'resize width=64 ! png_encode' -i "$P" -o "$WORK/o10" --set 'output={stem}.{ext}'
expect_rc 1 "check, png_encode into {ext}"
expect_err "$P/rocket.jpg: its output $WORK/o10/rocket.jpg: png_encode writes PNG (.png)" "check, png_encode into {ext}"
grep -q "camera.png" "$ERR" && fail "check, png_encode into {ext}: a PNG named"
# A plugin sink is not judged by the codecs' extensions.
fp check -p "png_decode ! $FIX/temp_sink.so" -i "$P/camera.png" -o "$WORK/o11" --set 'output={stem}.gif'
expect_rc 0 "check, a plugin sink's own name"

# A codec's own decoder given another format: named, with the source that
# reads every format; the first ten, then a count.
for i in $(seq 11); do cp "$P/rocket.jpg" "$P/copy$i.jpg"; done
fp check -p 'png_decode ! resize width=256 ! png_encode' -i "$P"
expect_rc 1 "check, JPEG files into png_decode"
expect_err "framepipe: $P/copy1.jpg: a JPEG file; png_decode reads PNG files (the source 'decode' reads every format)" \
	"check, JPEG files into png_decode"
expect_err "framepipe: and 3 more inputs the run would fail" "check, the count past ten"
[ "$(grep -c 'a JPEG file' "$ERR")" -eq 10 ] || fail "check, JPEG files into png_decode: not ten lines"
fp check -p 'decode ! resize width=256 ! png_encode' -i "$P"
expect_rc 0 "check, decode reads them all"
finish
