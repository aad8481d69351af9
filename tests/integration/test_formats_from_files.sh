#!/bin/bash
# Formats chosen from the files: a folder of JPEG, WebP, TIFF (and PNG) files
# through a one-line pipeline that names only a filter; each output keeps
# its input's format; the codec follows the bytes, not the name; a file no
# codec reads fails with one line and the batch goes on. Shrink-on-load: a
# JPEG decoded for a resize to 256 wide is decoded at 1/4 scale (the
# output differs from a full decode + the same resize) and stays within
# 35 dB PSNR of it.
. "$(dirname "$0")/lib.sh"

command -v cjpeg >/dev/null && command -v cwebp >/dev/null &&
	command -v convert >/dev/null || {
	echo "needs cjpeg, cwebp and ImageMagick (.ci/install-deps)" >&2
	exit 1
}
IN="$WORK/mixed"
mkdir -p "$IN"
convert "$DATA/sample/chelsea.png" ppm:- | cjpeg -quality 90 >"$IN/cat.jpg"
cwebp -quiet "$DATA/sample/coins.png" -o "$IN/coins.webp"
cp "$DATA/sample/logo.png" "$IN/logo.png"
convert "$DATA/sample/coins.png" -compress lzw "$IN/scan.tif"
# A JPEG whose name says PNG: its bytes decide how it is read; its output
# name (the input's, by default) decides how it is written.
convert "$DATA/sample/camera.png" ppm:- | cjpeg >"$IN/camera.PNG"
# Not an image at all, with an image's name.
echo "hello" >"$IN/notes.jpg"

fp run -p 'resize width=64' -i "$IN" -o "$WORK/out"
expect_rc 1 "mixed folder (one file is not an image)"
expect_err "notes.jpg: decode: not a file framepipe reads" "not an image"
[ "$(grep -c 'notes.jpg' "$ERR")" -ge 1 ] || fail "notes.jpg not named"
for f in cat.jpg:JPEG coins.webp:WEBP scan.tif:TIFF; do
	name=${f%%:*} kind=${f##*:}
	[ -f "$WORK/out/$name" ] || { fail "$name not written"; continue; }
	got=$(identify -format '%m %w' "$WORK/out/$name")
	[ "$got" = "$kind 64" ] || fail "$name: $got, expected $kind 64"
done
# The PNG codec joins the generic stages when it is built as a codec.
if "$FP_BIN" stages decode | grep -q '^  png\.'; then
	for f in logo.png camera.PNG; do
		[ "$(identify -format '%m %w' "$WORK/out/$f")" = "PNG 64" ] ||
			fail "$f not written as a 64-wide PNG"
	done
fi

# check --list-inputs names each input's decoder from its first bytes, as
# decode picks it: the same as ImageMagick's own sniffing (identify %m) for
# every image, "-" and one line for a file no codec reads (exit 1).
LIST="$WORK/list"
mkdir -p "$LIST"
cp "$IN"/* "$LIST/"
cp "$LIST/scan.tif" "$LIST/scan_named.webp"
: >"$LIST/empty.png"
printf 'x' >"$LIST/one_byte.jpg" # no bytes made up past its end
fp check -p 'resize width=64' -i "$LIST" --list-inputs
expect_rc 1 "check --list-inputs with a non-image"
expect_err "notes.jpg: not a file framepipe reads" "check --list-inputs, non-image"
expect_err "empty.png: empty file" "check --list-inputs, empty file"
expect_err "one_byte.jpg: not a file framepipe reads (png, jpg, webp or tif); its only bytes are 78" "a file shorter than 4 bytes"
expect_err "notes.jpg: not a file framepipe reads (png, jpg, webp or tif); it starts with 68 65 6c 6c" "the first bytes shown"
[ "$(wc -l <"$OUT")" -eq "$(ls "$LIST" | wc -l)" ] || fail "check --list-inputs: $(wc -l <"$OUT") lines for $(ls "$LIST" | wc -l) inputs"
while IFS=$'\t' read -r path decoder; do
	case $(basename "$path") in
	notes.jpg | empty.png | one_byte.jpg) want=- ;;
	*) want=$(identify -format '%m\n' "$path" | head -1 |
		sed 's/JPEG/jpeg/;s/PNG/png/;s/WEBP/webp/;s/TIFF/tiff/')_decode ;;
	esac
	[ "$decoder" = "$want" ] || fail "check --list-inputs: $path: $decoder, ImageMagick says $want"
done <"$OUT"
grep -q "camera.PNG	jpeg_decode" "$OUT" || fail "check --list-inputs: camera.PNG (a JPEG) not jpeg_decode"
grep -q "scan_named.webp	tiff_decode" "$OUT" || fail "check --list-inputs: a TIFF named .webp not tiff_decode"
# A codec's own decoder reads its format only: a JPEG given to png_decode
# is "-" and one line naming the source that reads it (exit 1); run
# --list-inputs stays one path a line.
fp check -p 'png_decode ! png_encode' -i "$LIST/cat.jpg" -i "$LIST/logo.png" --list-inputs
expect_rc 1 "check --list-inputs, png_decode"
expect_err "framepipe: $LIST/cat.jpg: a JPEG file; png_decode reads PNG files (the source 'decode' reads every format)" \
	"check --list-inputs, png_decode"
[ "$(cat "$OUT")" = "$LIST/cat.jpg	-
$LIST/logo.png	png_decode" ] || fail "check --list-inputs, png_decode: $(cat "$OUT")"
fp run -p 'resize width=64' -i "$LIST/cat.jpg" --list-inputs
[ "$(cat "$OUT")" = "$LIST/cat.jpg" ] || fail "run --list-inputs: $(cat "$OUT")"

# Per-codec settings in one pipeline, and converting through the name
# template: every input becomes a WebP.
printf '[pipeline]\noutput = {stem}.webp\n[decode]\nstage = decode\n[resize]\nstage = resize\nwidth = 32\n[encode]\nstage = encode\nwebp.quality = 50\njpeg.quality = 70\n' >"$WORK/towebp.ini"
rm "$IN/notes.jpg"
fp run "$WORK/towebp.ini" -i "$IN/cat.jpg" -i "$IN/coins.webp" -o "$WORK/webp"
expect_rc 0 "convert to WebP"
for f in cat coins; do
	[ "$(identify -format '%m %w' "$WORK/webp/$f.webp" 2>/dev/null)" = "WEBP 32" ] ||
		fail "$f.webp is not a 32-wide WebP"
done
fp check -p 'decode ! encode jpeg.quality=101'
expect_rc 2 "a codec's parameter out of range"
expect_err "jpeg.quality" "a codec's parameter out of range"
# An output name no encoder writes is refused before the run, naming the
# template's line and the fix (test_check_inputs.sh has the rest).
printf '[pipeline]\noutput = {stem}.gif\n[d]\nstage = decode\n[e]\nstage = encode\n' >"$WORK/gif.ini"
fp run "$WORK/gif.ini" -i "$IN/cat.jpg" -o "$WORK/gif"
expect_rc 2 "gif output"
expect_err "gif.ini:2: pipeline.output: {stem}.gif: cannot write '.gif' files (encode writes" "gif output"
[ -e "$WORK/gif" ] && fail "gif output: the output folder was made"

# Shrink-on-load against a full decode + the same resize.
convert "$DATA/sample/camera.png" -resize 200% ppm:- | cjpeg -quality 92 >"$WORK/big.jpg"
djpeg -outfile "$WORK/big.ppm" "$WORK/big.jpg"
convert "$WORK/big.ppm" "$WORK/big.png"
fp run -p 'jpeg_decode ! resize width=256 ! png_encode' -i "$WORK/big.jpg" -o "$WORK/shrunk"
expect_rc 0 "shrink-on-load run"
fp run -p 'png_decode ! resize width=256 ! png_encode' -i "$WORK/big.png" -o "$WORK/full"
expect_rc 0 "full decode run"
a="$WORK/shrunk/big.png" b="$WORK/full/big.png"
[ "$(identify -format '%wx%h' "$a")" = "256x256" ] || fail "shrunk output size"
if cmp -s "$a" "$b"; then
	fail "the JPEG was not shrunk on load (same bytes as a full decode)"
fi
psnr=$(compare -metric PSNR "$a" "$b" null: 2>&1 | awk '{print $1}')
awk -v p="$psnr" 'BEGIN { exit !(p == "inf" || p >= 35) }' ||
	fail "shrink-on-load PSNR $psnr dB < 35 dB"
echo "shrink-on-load vs full decode + resize: PSNR $psnr dB"
# A resize by a factor must not be shrunk under (it would halve twice).
fp run -p 'jpeg_decode ! resize scale=0.25 ! png_encode' -i "$WORK/big.jpg" -o "$WORK/scaled"
[ "$(identify -format '%wx%h' "$WORK/scaled/big.png")" = "256x256" ] ||
	fail "resize scale=0.25 of 1024x1024: $(identify -format '%wx%h' "$WORK/scaled/big.png")"

# The bundled photo-thumbnail config: a sideways camera JPEG (EXIF
# orientation 6) comes out upright, inside 256x256, as a JPEG at q80.
convert "$DATA/sample/chelsea.png" "$WORK/upright.jpg"
python3 - "$WORK/upright.jpg" "$WORK/sideways.jpg" <<'PY'
import struct, sys
base = open(sys.argv[1], "rb").read()
tiff = b"MM\0*" + struct.pack(">IH", 8, 1)
tiff += struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + b"\0\0\0\0"
body = b"Exif\0\0" + tiff
app1 = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
open(sys.argv[2], "wb").write(base[:2] + app1 + base[2:])
PY
[ "$(identify -format '%[orientation]' "$WORK/sideways.jpg")" = "RightTop" ] ||
	fail "could not make an orientation-6 JPEG"
fp run "$SRC/configs/photo-thumbnails.ini" -i "$WORK/sideways.jpg" -i "$IN/coins.webp" -o "$WORK/thumbs"
expect_rc 0 "photo-thumbnails.ini"
got=$(identify -format '%m %wx%h %Q' "$WORK/thumbs/sideways.jpg")
[ "$got" = "JPEG 170x256 80" ] || fail "sideways.jpg thumbnail: $got, expected JPEG 170x256 80"
got=$(identify -format '%m %wx%h' "$WORK/thumbs/coins.jpg")
[ "$got" = "JPEG 256x202" ] || fail "coins.webp thumbnail: $got, expected JPEG 256x202"
finish
