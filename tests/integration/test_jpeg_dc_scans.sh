#!/bin/bash
# jpeg_decode at 1/8 reads a progressive file's DC scans alone (jpeg_dc.c):
# the pixels are djpeg -scale 1/8's byte for byte (4:2:0, whose chroma
# keeps its AC scans, 4:2:2, 4:4:4, gray, restart markers, a real photo),
# and the AC scans are really not read: one cut short fails a full decode
# and a decode at 1/4, not one at 1/8; a 4:2:0 file's chroma AC scan is
# still read at 1/8. Files the shortcut does not take (baseline, truncated)
# decode as before.
. "$(dirname "$0")/lib.sh"
for tool in djpeg cjpeg convert python3; do
	command -v $tool >/dev/null || {
		fail "$tool is missing (run .ci/install-deps)"
		finish
	}
done
CUT="$SRC/tests/tools/cut_jpeg_scan.py"
SET="$WORK/set"
mkdir -p "$SET"
PPM="$DATA/libjpeg-turbo/testorig.ppm"
convert "$DATA/sample/chelsea.png" ppm:"$WORK/photo.ppm"
cjpeg -progressive -outfile "$SET/p420.jpg" "$PPM"
cjpeg -progressive -sample 2x1 -outfile "$SET/p422.jpg" "$PPM"
cjpeg -progressive -sample 1x1 -quality 95 -outfile "$SET/p444.jpg" "$PPM"
cjpeg -progressive -grayscale -outfile "$SET/pgray.jpg" "$PPM"
cjpeg -progressive -restart 1 -outfile "$SET/prestart.jpg" "$PPM"
cjpeg -progressive -sample 1x1 -outfile "$SET/photo444.jpg" "$WORK/photo.ppm"
cjpeg -progressive -outfile "$SET/photo420.jpg" "$WORK/photo.ppm"
cjpeg -outfile "$SET/baseline.jpg" "$WORK/photo.ppm"

# same_as_djpeg OUT.png IN.jpg SCALE: OUT's pixels are djpeg -scale SCALE's.
same_as_djpeg() {
	djpeg -scale "$3" -pnm "$2" | convert - -depth 8 rgb:"$WORK/dj.rgb"
	convert "$1" -depth 8 rgb:"$WORK/fp.rgb"
	cmp -s "$WORK/dj.rgb" "$WORK/fp.rgb"
}

fp run -p 'jpeg_decode min_width=1 min_height=1 ! png_encode level=1' -i "$SET"/*.jpg -o "$WORK/eighth" -q
expect_rc 0 "1/8 decodes"
for f in "$SET"/*.jpg; do
	name=$(basename "$f" .jpg)
	same_as_djpeg "$WORK/eighth/$name.png" "$f" 1/8 || fail "$name at 1/8: not djpeg -scale 1/8's pixels"
done

# An AC scan cut short: read by a full decode and at 1/4, not at 1/8.
python3 "$CUT" "$SET/photo444.jpg" "$WORK/cut.jpg" luma
fp run -p 'jpeg_decode ! png_encode level=1' -i "$WORK/cut.jpg" -o "$WORK/cut_full" -q
expect_rc 1 "full decode of a cut AC scan"
expect_err "cut.jpg: jpeg_decode: Corrupt JPEG data" "full decode of a cut AC scan"
fp run -p 'jpeg_decode min_width=100 min_height=70 ! png_encode level=1' -i "$WORK/cut.jpg" -o "$WORK/cut_quarter" -q
expect_rc 1 "1/4 decode of a cut AC scan"
fp run -p 'jpeg_decode min_width=1 min_height=1 ! png_encode level=1' -i "$WORK/cut.jpg" -o "$WORK/cut_eighth" -q
expect_rc 0 "1/8 decode of a cut AC scan (DC scans alone)"
same_as_djpeg "$WORK/cut_eighth/cut.png" "$SET/photo444.jpg" 1/8 ||
	fail "cut AC scan at 1/8: not the intact file's pixels at 1/8"
# Through the planner's hint too: resize to 30 wide (a 30x30 hint, the
# longer side) decodes at 1/8 (57x38).
fp run -p 'jpeg_decode ! resize width=30 ! png_encode level=1' -i "$WORK/cut.jpg" -o "$WORK/cut_hint" -q
expect_rc 0 "shrink-on-load of a cut AC scan"
# 4:2:0: the chroma is scaled by a 2x2 IDCT at 1/8, its AC scans are read.
python3 "$CUT" "$SET/photo420.jpg" "$WORK/cut_chroma.jpg" chroma
fp run -p 'jpeg_decode min_width=1 min_height=1 ! png_encode level=1' -i "$WORK/cut_chroma.jpg" -o "$WORK/chroma" -q
expect_rc 1 "1/8 decode of a cut 4:2:0 chroma AC scan"
expect_err "cut_chroma.jpg: jpeg_decode: Corrupt JPEG data" "cut chroma AC scan"

# Truncated in its last scan: refused at 1/8 as in full.
head -c -200 "$SET/photo444.jpg" >"$WORK/truncated.jpg"
fp run -p 'jpeg_decode min_width=1 min_height=1 ! png_encode level=1' -i "$WORK/truncated.jpg" -o "$WORK/trunc" -q
expect_rc 1 "truncated progressive file at 1/8"
expect_err "truncated: the file ends in the image data" "truncated progressive file at 1/8"
finish
