#!/bin/bash
# 16-bit PNGs through the real program keep every sample: each PngSuite
# 16-bit file goes through png_decode ! png_encode and comes out 16-bit
# with the same samples, read back by an independent reader
# (tests/tools/png_read.py: Python's zlib, no libpng; it agrees with
# ImageMagick's `-depth 16` raw output on all of these files). depth=8
# rounds, depth=16 widens 8-bit files exactly.
. "$(dirname "$0")/lib.sh"
READ="python3 $SRC/tests/tools/png_read.py"

mkdir -p "$WORK/in16" "$WORK/in8"
cp "$DATA"/pngsuite/*16*.png "$WORK/in16/"
cp "$DATA"/pngsuite/basn*08.png "$DATA"/pngsuite/basi*08.png \
	"$DATA"/pngsuite/tbbn3p08.png "$WORK/in8/"
n16=$(ls "$WORK/in16" | wc -l)
[ "$n16" -eq 33 ] || fail "expected 33 16-bit PngSuite files, found $n16"

# Python decodes about 100 small files a second: compare in one process.
same_all() { # ref_dir out_dir what
	python3 - "$SRC/tests/tools" "$1" "$2" <<'PY' || fail "$3"
import os, sys
sys.path.insert(0, sys.argv[1])
import png_read
bad = 0
names = sorted(os.listdir(sys.argv[2]))
for name in names:
    a = png_read.decode(os.path.join(sys.argv[2], name))
    b = png_read.decode(os.path.join(sys.argv[3], name))
    if a != b:
        diff = [k for k in a if a[k] != b[k]]
        print("%s: differs in %s" % (name, diff), file=sys.stderr)
        bad += 1
print("%d files compared, %d differ" % (len(names), bad))
sys.exit(1 if bad or not names else 0)
PY
}

fp run -p 'png_decode ! png_encode level=1' -i "$WORK/in16" -o "$WORK/out16" -q
expect_rc 0 "16-bit round trip"
same_all "$WORK/in16" "$WORK/out16" "16-bit round trip: samples differ"

# 8-bit files widened to 16 and written back at 8: unchanged.
fp run -p 'png_decode depth=16 ! png_encode depth=8 level=1' -i "$WORK/in8" \
	-o "$WORK/back8" -q
expect_rc 0 "8 -> 16 -> 8"
same_all "$WORK/in8" "$WORK/back8" "8 -> 16 -> 8: samples differ"

# depth=16 on the encoder: each 8-bit sample v becomes v * 257.
fp run -p 'png_decode ! png_encode depth=16 level=1' -i "$WORK/in8" \
	-o "$WORK/wide" -q
expect_rc 0 "png_encode depth=16"
python3 - "$SRC/tests/tools" "$WORK/in8" "$WORK/wide" <<'PY' || fail "depth=16 widening"
import os, sys
sys.path.insert(0, sys.argv[1])
import png_read
for name in sorted(os.listdir(sys.argv[2])):
    a = png_read.decode(os.path.join(sys.argv[2], name))
    b = png_read.decode(os.path.join(sys.argv[3], name))
    assert b["depth"] == 16 and a["channels"] == b["channels"], name
    assert [v * 257 for v in a["samples"]] == b["samples"], name
PY

# depth=8 on the decoder and on the encoder round the same way:
# round(v / 257), like libpng's png_set_scale_16.
fp run -p 'png_decode ! png_encode depth=8 level=1' -i "$WORK/in16" \
	-o "$WORK/narrow" -q
expect_rc 0 "png_encode depth=8"
python3 - "$SRC/tests/tools" "$WORK/in16" "$WORK/narrow" <<'PY' || fail "depth=8 rounding"
import os, sys
sys.path.insert(0, sys.argv[1])
import png_read
for name in sorted(os.listdir(sys.argv[2])):
    a = png_read.decode(os.path.join(sys.argv[2], name))
    b = png_read.decode(os.path.join(sys.argv[3], name))
    assert b["depth"] == 8 and a["channels"] == b["channels"], name
    want = [(v * 255 + 32767) // 65535 for v in a["samples"]]
    assert want == b["samples"], name
PY
fp run -p 'png_decode depth=8 ! png_encode level=1' -i "$WORK/in16" \
	-o "$WORK/narrow2" -q
expect_rc 0 "png_decode depth=8"
same_all "$WORK/narrow" "$WORK/narrow2" "decoder and encoder depth=8 differ"
finish
