#!/bin/bash
# Hostile WebP files through the program (issue 13.6), as test_jpeg.sh and
# test_tiff.sh do for theirs: a batch of broken files among good ones,
# each broken one refused with one line naming it and why, no output or
# temporary file for it, the good ones written, and no frame buffer of a
# huge header's size (peak RSS of the largest process).
. "$(dirname "$0")/lib.sh"
command -v cwebp >/dev/null || {
	fail "cwebp is missing (run .ci/install-deps)"
	finish
}
BAD="$WORK/bad"
mkdir -p "$BAD"
cp "$SRC"/tests/fuzz/regressions/webp_decode/*.webp "$BAD/"
cwebp -quiet "$DATA/sample/chelsea.png" -o "$WORK/big.webp" 2>/dev/null
python3 - "$WORK/big.webp" "$BAD" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
out = sys.argv[2]
# cut in the image data, the sizes still saying the whole file
open(out + "/cut_data.webp", "wb").write(d[: len(d) // 2])
# cut with the RIFF and VP8 sizes rewritten to match: only the
# bitstream can tell
c = bytearray(d[: len(d) // 2])
struct.pack_into("<I", c, 4, len(c) - 8)
struct.pack_into("<I", c, 16, len(c) - 20)
open(out + "/cut_consistent.webp", "wb").write(bytes(c))
PY
: >"$BAD/empty.webp"
echo "hello" >"$BAD/not_webp.webp"
cp "$DATA/webp/lossy_rgb.webp" "$BAD/a_good.webp"
cp "$DATA/webp/lossless_alpha.webp" "$BAD/z_good.webp"
cp "$WORK/big.webp" "$BAD/m_good.webp"

fp_rss run -p 'webp_decode ! png_encode' -i "$BAD"/*.webp -o "$WORK/out"
expect_rc 1 "hostile WebP batch"
declare -A REASON=(
	[animated_cut]="truncated: RIFF size says 428 bytes, the file has 285"
	[riff_size_past_end]="truncated: RIFF size says 1182 bytes, the file has 174"
	[huge_lossless_header]="16384x16384 exceeds webp_decode.max_pixels=100000000"
	[cut_data]="truncated: RIFF size says"
	[cut_consistent]="truncated: the image data ends early"
	[empty]="empty file"
	[not_webp]="not a WebP file (no RIFF header)"
)
expect_refused "$BAD" webp webp_decode "$WORK/out" png
for name in a_good m_good z_good; do
	[ -s "$WORK/out/$name.png" ] || fail "$name: not written"
done
# Peak RSS of the largest process (KiB): nothing of 16384^2 x 4 bytes.
[ "$RSS" -lt 100000 ] || fail "peak RSS $RSS KiB on the hostile batch"
finish
