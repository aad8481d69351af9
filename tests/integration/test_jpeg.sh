#!/bin/bash
# jpeg_decode and jpeg_encode against libjpeg-turbo's own tools: decoded
# pixels equal `djpeg -pnm`'s byte for byte (gray, 4:2:0, 4:2:2, 4:4:4,
# progressive, restart markers, arithmetic coding, CMYK from ImageMagick,
# real photos), frames encoded at cjpeg's settings equal cjpeg's files byte
# for byte, and every output decodes with djpeg. Then hostile files in one
# batch: one line each, the good files still written, no huge allocation.
. "$(dirname "$0")/lib.sh"
LJT="$DATA/libjpeg-turbo"
for tool in djpeg cjpeg convert; do
	command -v $tool >/dev/null || {
		fail "$tool is missing (run .ci/install-deps)"
		finish
	}
done

# ---- decode ----------------------------------------------------------------
SET="$WORK/set"
mkdir -p "$SET"
PPM="$LJT/testorig.ppm"
cjpeg -outfile "$SET/s420.jpg" "$PPM"
cjpeg -sample 2x1 -outfile "$SET/s422.jpg" "$PPM"
cjpeg -sample 1x1 -quality 95 -outfile "$SET/s444.jpg" "$PPM"
cjpeg -grayscale -outfile "$SET/gray.jpg" "$PPM"
cjpeg -progressive -outfile "$SET/progressive.jpg" "$PPM"
cjpeg -grayscale -progressive -outfile "$SET/gray_progressive.jpg" "$PPM"
cjpeg -restart 1 -outfile "$SET/restart.jpg" "$PPM"
cjpeg -restart 5B -sample 1x1 -outfile "$SET/restart_blocks.jpg" "$PPM"
cjpeg -optimize -outfile "$SET/optimized.jpg" "$PPM"
cjpeg -rgb -outfile "$SET/rgb.jpg" "$PPM"
convert "$SET/s444.jpg" -colorspace CMYK "$SET/cmyk.jpg"
cp "$LJT/testorig.jpg" "$LJT/testimgint.jpg" "$LJT/testimgari.jpg" "$SET/"
# Real photographs (Debian's mate-backgrounds: 4:2:0, 4:2:2, progressive).
PHOTOS=/usr/share/backgrounds/mate/nature
for photo in Blinds FreshFlower GreenMeadow RainDrops; do
	if [ -f "$PHOTOS/$photo.jpg" ]; then
		cp "$PHOTOS/$photo.jpg" "$SET/photo_$photo.jpg"
	elif [ "${CI:-}" = true ]; then
		fail "$PHOTOS/$photo.jpg is missing (.ci/install-deps installs mate-backgrounds)"
	fi
done
[ "$(identify -format '%[colorspace]' "$SET/cmyk.jpg")" = CMYK ] ||
	fail "ImageMagick did not make a CMYK JPEG"

fp run -p 'jpeg_decode ! png_encode level=1' -i "$SET"/*.jpg -o "$WORK/dec" -q
expect_rc 0 "decode the set"
n=0
for jpg in "$SET"/*.jpg; do
	name=$(basename "$jpg" .jpg)
	djpeg -pnm -outfile "$WORK/ref.pnm" "$jpg" || fail "$name: djpeg failed"
	case $(head -c 2 "$WORK/ref.pnm") in
	P5) kind=gray ;;
	*) kind=rgb ;;
	esac
	# the raw samples: djpeg's body after its 3 header lines
	tail -n +4 "$WORK/ref.pnm" >"$WORK/ref.raw"
	convert "$WORK/dec/$name.png" -depth 8 "$kind:$WORK/ours.raw"
	cmp -s "$WORK/ref.raw" "$WORK/ours.raw" || fail "$name: pixels differ from djpeg -pnm"
	[ "$(identify -format %wx%h "$WORK/ref.pnm")" = \
		"$(identify -format %wx%h "$WORK/dec/$name.png")" ] || fail "$name: size differs"
	n=$((n + 1))
done
[ "$n" -ge 14 ] || fail "decoded $n files, expected at least 14"

# ---- encode ----------------------------------------------------------------
convert "$PPM" "$WORK/testorig.png"
convert "$PPM" -colorspace Gray -depth 8 "$WORK/gray.pgm"
convert "$WORK/gray.pgm" "$WORK/testgray.png"
encode_check() { # name "jpeg_encode params" "cjpeg options" [input]
	local input=${4:-$WORK/testorig.png} pnm=$PPM
	[ "$input" = "$WORK/testgray.png" ] && pnm="$WORK/gray.pgm"
	fp run -p "png_decode ! jpeg_encode $2" -i "$input" -o "$WORK/enc/$1/" -q
	expect_rc 0 "encode $1"
	# one file, whatever its name (the default name follows the encoder
	# once the core knows output_extension)
	local ours
	ours=$(ls -d "$WORK/enc/$1"/*)
	# shellcheck disable=SC2086
	cjpeg $3 -outfile "$WORK/cjpeg_$1.jpg" "$pnm"
	cmp -s "$ours" "$WORK/cjpeg_$1.jpg" || fail "encode $1: not cjpeg $3's bytes"
	djpeg -outfile /dev/null "$ours" || fail "encode $1: djpeg cannot read it"
}
encode_check default "" ""
encode_check q90 "quality=90" "-quality 90"
encode_check q30 "quality=30" "-quality 30"
encode_check s422 "subsampling=422" "-sample 2x1"
encode_check s444 "subsampling=444 quality=95" "-sample 1x1 -quality 95"
encode_check optimize "optimize=true" "-optimize"
encode_check progressive "progressive=true" "-progressive"
encode_check restart "restart=2" "-restart 2"
encode_check gray "" "" "$WORK/testgray.png"
encode_check gray_progressive "progressive=true quality=85" "-progressive -quality 85" "$WORK/testgray.png"
# Alpha is refused, by name, before the run (jpeg_encode takes G8, RGB8).
fp run -p 'png_decode layout=rgba ! jpeg_encode' -i "$WORK/testorig.png" -o "$WORK/alpha"
[ "$RC" -ne 0 ] || fail "RGBA into jpeg_encode should fail"
grep -q "RGBA8" "$ERR" || { fail "RGBA refusal does not name the format"; cat "$ERR" >&2; }
ls "$WORK/alpha" 2>/dev/null | grep -q . && fail "RGBA: something was written"

# ---- metadata through real runs --------------------------------------------
# ICC profile, comment and density from ImageMagick; EXIF orientation N and
# an XMP packet put in by hand (APP1 segments after SOI).
META="$WORK/meta"
mkdir -p "$META"
convert "$PPM" -profile "$LJT/test3.icc" -set comment "a comment" \
	-density 300 -units PixelsPerInch "$META/base.jpg"
python3 - "$META" <<'PY'
import struct, sys
folder = sys.argv[1]
base = open(folder + "/base.jpg", "rb").read()
def app1(body):
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF/></x:xmpmeta>"
open(folder + "/packet.xmp", "wb").write(xmp)
for o in range(1, 9):
    tiff = b"MM\0*" + struct.pack(">IH", 8, 1)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, o, 0) + b"\0\0\0\0"
    extra = app1(b"Exif\0\0" + tiff) + app1(b"http://ns.adobe.com/xap/1.0/\0" + xmp)
    open("%s/o%d.jpg" % (folder, o), "wb").write(base[:2] + extra + base[2:])
PY
props() { identify -format '%[orientation] %c %x %U %wx%h' "$1"; }
fp run -p 'jpeg_decode ! jpeg_encode' -i "$META/o6.jpg" -o "$WORK/keep" -q
expect_rc 0 "metadata kept"
kept=$(ls -d "$WORK/keep"/*)
[ "$(props "$kept")" = "RightTop a comment 300 PixelsPerInch 227x149" ] ||
	fail "metadata kept: $(props "$kept")"
convert "$kept" icc:- | cmp -s - "$LJT/test3.icc" || fail "ICC profile not kept"
convert "$kept" xmp:- | cmp -s - "$META/packet.xmp" || fail "XMP not kept"
fp run -p 'jpeg_decode ! jpeg_encode strip=meta' -i "$META/o6.jpg" -o "$WORK/strip_meta" -q
out=$(ls -d "$WORK/strip_meta"/*)
[ "$(props "$out")" = "Undefined  72 Undefined 227x149" ] || fail "strip=meta: $(props "$out")"
convert "$out" icc:- | cmp -s - "$LJT/test3.icc" || fail "strip=meta: ICC profile lost"
fp run -p 'jpeg_decode ! jpeg_encode strip=all' -i "$META/o6.jpg" -o "$WORK/strip_all" -q
out=$(ls -d "$WORK/strip_all"/*)
convert "$out" icc:- >/dev/null 2>&1 && fail "strip=all: an ICC profile was written"
# autorotate: each orientation's pixels are convert -auto-orient's, and the
# file written says it is upright.
fp run -p 'jpeg_decode ! autorotate ! png_encode level=1' -i "$META"/o?.jpg -o "$WORK/upright" -q
expect_rc 0 "autorotate"
for o in 1 2 3 4 5 6 7 8; do
	convert "$META/o$o.jpg" -auto-orient -depth 8 "rgb:$WORK/im.rgb"
	convert "$WORK/upright/o$o.png" -depth 8 "rgb:$WORK/ours.rgb"
	cmp -s "$WORK/im.rgb" "$WORK/ours.rgb" || fail "autorotate $o: not convert -auto-orient's pixels"
done
fp run -p 'jpeg_decode ! autorotate ! jpeg_encode' -i "$META/o8.jpg" -o "$WORK/upright_jpeg" -q
out=$(ls -d "$WORK/upright_jpeg"/*)
[ "$(props "$out")" = "TopLeft a comment 300 PixelsPerInch 149x227" ] ||
	fail "autorotate then jpeg_encode: $(props "$out")"

# ---- hostile files ---------------------------------------------------------
BAD="$WORK/bad"
mkdir -p "$BAD"
python3 "$SRC/tests/tools/make_hostile_jpeg.py" "$SET/s420.jpg" "$BAD"
"$FP_JPEG_MANY_SCANS" "$BAD/many_scans.jpg" 256 256 >/dev/null
: >"$BAD/empty.jpg"
cp "$SET/s420.jpg" "$BAD/a_good.jpg"
cp "$SET/progressive.jpg" "$BAD/z_good.jpg"
fp_rss run -p 'jpeg_decode ! png_encode' -i "$BAD"/*.jpg -o "$WORK/badout"
expect_rc 1 "hostile batch"
declare -A REASON=(
	[truncated_scan]="truncated: the file ends in the image data"
	[truncated_header]="truncated: the file ends in the headers, before the image data"
	[huge_header]="65500x65500 exceeds jpeg_decode.max_pixels=100000000"
	[bad_dht]="Bogus Huffman table"
	[bad_huffman_data]="Corrupt JPEG data"
	[many_scans]="progressive JPEG with more than 100 scans (raise jpeg_decode.max_scans)"
	[not_jpeg]="Not a JPEG file"
	[empty]="Empty input file"
)
expect_refused "$BAD" jpg jpeg_decode "$WORK/badout" png
for name in a_good z_good orientation9; do
	[ -s "$WORK/badout/$name.png" ] || fail "$name: not written"
done
# Peak RSS of the largest process (KiB): no frame buffer of 65500^2.
[ "$RSS" -lt 200000 ] || fail "peak RSS $RSS KiB on the hostile batch"
finish
