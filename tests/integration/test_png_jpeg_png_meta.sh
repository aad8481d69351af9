#!/bin/bash
# PNG -> JPEG -> PNG keeps the ICC profile and the EXIF byte for byte
# (issue 13.2), each read back by tools nobody here wrote: ImageMagick
# (the profile of all three files, the JPEG's EXIF), libvips (the PNG
# eXIf chunk ImageMagick 6 does not read) and djpeg (the JPEG's APP2
# segments). The profile is 178 KB, so the JPEG carries it in three APP2
# segments reassembled in order; the EXIF is a real camera's (KONICA
# MINOLTA DiMAGE Z5, 64,937 bytes with its thumbnail and maker notes, from
# mate-backgrounds' Wood.jpg), near the 65,533 bytes one APP1 can hold.
# Both the codec stages and the generic decode/encode are run.
. "$(dirname "$0")/lib.sh"
CAMERA=/usr/share/backgrounds/mate/nature/Wood.jpg
for tool in convert djpeg vipsheader python3; do
	command -v $tool >/dev/null || {
		fail "$tool is missing (run .ci/install-deps)"
		finish
	}
done
[ -f "$CAMERA" ] || {
	fail "$CAMERA is missing (mate-backgrounds: run .ci/install-deps)"
	finish
}
cd "$WORK" || exit 1
python3 "$SRC/tests/tools/make_meta_png.py" big_icc \
	"$DATA/libjpeg-turbo/test3.icc" big.icc 150000
convert "$CAMERA" exif:- | tail -c +7 >exif.bin # without "Exif\0\0"
python3 "$SRC/tests/tools/make_meta_png.py" with_profile_exif \
	"$DATA/sample/chelsea.png" src.png big.icc exif.bin

# blob FILE NAME: libvips's copy of FILE's metadata item NAME, as bytes.
blob() { vipsheader -f "$2" "$1" | base64 -d; }
# same_exif FILE: FILE's EXIF is exif.bin (vips gives a JPEG's with the
# APP1 "Exif\0\0" in front, a PNG's without).
same_exif() {
	case $1 in
	*.jpg) { printf 'Exif\0\0' && cat exif.bin; } >want_exif.bin ;;
	*) cp exif.bin want_exif.bin ;;
	esac
	blob "$1" exif-data | cmp -s - want_exif.bin
}
# The source says what the test thinks it says.
convert src.png icc:- | cmp -s - big.icc || fail "src.png: ImageMagick reads another profile"
same_exif src.png || fail "src.png: libvips reads another EXIF"

for way in codec generic; do
	if [ $way = codec ]; then
		there='png_decode ! jpeg_encode quality=90'
		back='jpeg_decode ! png_encode'
	else
		there='decode ! encode jpeg.quality=90'
		back='decode ! encode'
	fi
	printf '[pipeline]\noutput = {stem}.jpg\n' >there.ini
	"$FP_BIN" run -p "$there" --print-config >>there.ini
	fp run there.ini -i src.png -o "$way" -q
	expect_rc 0 "$way: PNG -> JPEG"
	mid="$way/src.jpg"
	[ "$(identify -format %m "$mid" 2>/dev/null)" = JPEG ] || {
		fail "$way: $mid is not a JPEG"
		continue
	}
	convert "$mid" icc:- | cmp -s - big.icc || fail "$way: the JPEG's profile (ImageMagick) is not the PNG's"
	convert "$mid" exif:- | tail -c +7 | cmp -s - exif.bin || fail "$way: the JPEG's EXIF (ImageMagick) is not the PNG's"
	same_exif "$mid" || fail "$way: the JPEG's EXIF (libvips) is not the PNG's"
	# 178,504 bytes of profile cannot go in fewer than three APP2s.
	segs=$(djpeg -verbose -verbose "$mid" 2>&1 >/dev/null | grep -c 'marker 0xe2,')
	[ "$segs" -eq 3 ] || fail "$way: $segs APP2 segments, expected 3"
	printf '[pipeline]\noutput = {stem}.png\n' >back.ini
	"$FP_BIN" run -p "$back" --print-config >>back.ini
	fp run back.ini -i "$mid" -o "$way/back" -q
	expect_rc 0 "$way: JPEG -> PNG"
	out="$way/back/src.png"
	convert "$out" icc:- | cmp -s - big.icc || fail "$way: the PNG's profile after JPEG (ImageMagick) is not the source's"
	blob "$out" icc-profile-data | cmp -s - big.icc || fail "$way: the PNG's profile after JPEG (libvips) is not the source's"
	same_exif "$out" || fail "$way: the PNG's EXIF after JPEG (libvips) is not the source's"
	[ "$(vipsheader -f exif-ifd0-Model "$out")" = "$(vipsheader -f exif-ifd0-Model "$CAMERA")" ] ||
		fail "$way: EXIF camera model: $(vipsheader -f exif-ifd0-Model "$out")"
done
finish
