#!/bin/bash
# Metadata through real runs (the pool's metadata area): WebP chunks made
# with webpmux survive webp_decode ! webp_encode byte for byte, and an ICC
# profile crosses codecs, WebP -> TIFF -> WebP; strip=meta keeps only the
# profile.
. "$(dirname "$0")/lib.sh"
for tool in cwebp webpmux python3; do
	command -v $tool >/dev/null || {
		fail "$tool is missing (run .ci/install-deps)"
		finish
	}
done
TOOL="$SRC/tests/tools/tiff_tool.py"
cd "$WORK" || exit 1
cwebp -quiet -q 70 "$DATA/sample/chelsea.png" -o plain.webp
python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex('$(python3 "$TOOL" icc)'))" >icc.bin
printf 'II*\0\10\0\0\0\0\0\0\0' >exif.bin
printf '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>' >xmp.bin
webpmux -set icc icc.bin plain.webp -o a.webp >/dev/null &&
	webpmux -set exif exif.bin a.webp -o b.webp >/dev/null &&
	webpmux -set xmp xmp.bin b.webp -o in.webp >/dev/null || fail "webpmux"

# run LINE NAME OUTDIR INPUT...: outputs named NAME, through a config
run() {
	local line=$1 name=$2 out=$3
	shift 3
	{
		printf '[pipeline]\noutput = %s\n\n' "$name"
		"$FP_BIN" run -p "$line" --print-config
	} >run.ini
	fp run run.ini -i "$@" -o "$out" -q
	expect_rc 0 "$line"
}
same_chunk() { # file kind expected
	rm -f chunk.bin
	webpmux -get "$2" "$1" -o chunk.bin >/dev/null 2>&1 && cmp -s chunk.bin "$3"
}

run 'webp_decode ! webp_encode' '{stem}.webp' keep in.webp
for kind in icc exif xmp; do
	same_chunk keep/in.webp $kind $kind.bin || fail "webp -> webp: $kind chunk not kept"
done
run 'webp_decode ! webp_encode strip=meta' '{stem}.webp' meta in.webp
same_chunk meta/in.webp icc icc.bin || fail "strip=meta: profile dropped"
same_chunk meta/in.webp exif exif.bin && fail "strip=meta: EXIF kept"
# across codecs: the profile and the XMP go to TIFF tags and back
run 'webp_decode ! tiff_encode' '{stem}.tif' tif in.webp
[ "$(python3 "$TOOL" tag tif/in.tif 34675)" = "$(python3 "$TOOL" icc)" ] ||
	fail "webp -> tiff: ICC profile not in the TIFF"
run 'tiff_decode ! webp_encode' '{stem}.webp' back tif/in.tif
same_chunk back/in.webp icc icc.bin || fail "tiff -> webp: ICC profile lost"
same_chunk back/in.webp xmp xmp.bin || fail "tiff -> webp: XMP lost"
finish
