#!/bin/bash
# icc_transform against ImageMagick's `-profile`, which also runs Little
# CMS: images tagged with Debian's Adobe-RGB-compatible profile
# (icc-profiles-free) converted to sRGB.
#  - 8 bits (JPEG, the decoder that carries the ICC profile at 8 bits on
#    main): max diff <= 1 level, ImageMagick's Q16 rounding (it converts
#    8 -> 16 -> 8 bits around the transform). Measured: 1, PSNR 51.4 dB.
#  - 16 bits (TIFF): to the same sRGB.icc file, identical (max 0). To the
#    built-in sRGB: <= 400 / 65535 (measured 344, PSNR 76 dB), where
#    colours leave sRGB's gamut: the built-in's parametric curve against
#    the file's sampled one near 0.
# The output carries the target profile; a missing target is refused
# before the run.
. "$(dirname "$0")/lib.sh"
ICC=/usr/share/color/icc
ADOBE="$ICC/compatibleWithAdobeRGB1998.icc"
SRGB="$ICC/sRGB.icc"
[ -f "$ADOBE" ] && [ -f "$SRGB" ] || {
	echo "icc-profiles-free is not installed (.ci/install-deps installs it)" >&2
	exit 1
}
S="$DATA/sample"

# diff A B DEPTH: prints "MAXDIFF PSNR" over the RGB samples (in levels of
# DEPTH bits) and the max alpha difference.
diff_images() {
	# -endian: a raw file takes the byte order of the image read.
	convert "$1" -depth "$3" -endian MSB rgba:"$WORK/a.raw" &&
		convert "$2" -depth "$3" -endian MSB rgba:"$WORK/b.raw" &&
		python3 - "$WORK/a.raw" "$WORK/b.raw" "$3" <<'EOF'
import math, struct, sys
a = open(sys.argv[1], "rb").read()
b = open(sys.argv[2], "rb").read()
d = int(sys.argv[3])
if len(a) != len(b):
    print("sizes differ")
    sys.exit(1)
fmt = ">%dH" % (len(a) // 2) if d == 16 else "%dB" % len(a)
a, b = struct.unpack(fmt, a), struct.unpack(fmt, b)
peak = (1 << d) - 1
worst = alpha = se = n = 0
for i in range(len(a)):
    e = abs(a[i] - b[i])
    if i % 4 == 3:
        alpha = max(alpha, e)
        continue
    worst = max(worst, e)
    se += e * e
    n += 1
psnr = "inf" if se == 0 else "%.2f" % (10 * math.log10(peak * peak * n / se))
print(worst, psnr, alpha)
EOF
}

# within WHAT MAX A B DEPTH: A and B differ by at most MAX levels, alpha
# equal.
within() {
	local r
	r=$(diff_images "$3" "$4" "$5") || { fail "$1: cannot compare: $r"; return; }
	set -- "$1" "$2" $r
	echo "$1: max diff $3, PSNR $4 dB"
	[ "$3" -le "$2" ] || fail "$1: max diff $3 > $2 (PSNR $4)"
	[ "$5" -eq 0 ] || fail "$1: alpha changed by $5"
}

# tfp PIPELINE NAME ARGS...: fp run of PIPELINE with outputs named NAME.
tfp() {
	local line=$1 name=$2
	shift 2
	{
		printf '[pipeline]\noutput = %s\n\n' "$name"
		"$FP_BIN" run -p "$line" --print-config
	} >"$WORK/run.ini"
	fp run "$WORK/run.ini" "$@"
}

# ---- 8 bits: JPEG ---------------------------------------------------------
J="$WORK/jpeg"
mkdir -p "$J"
convert "$S/chelsea.png" -quality 95 "$WORK/plain.jpg"
# A plain JPEG has no profile: -profile only attaches it.
convert "$WORK/plain.jpg" -profile "$ADOBE" "$J/tagged.jpg"
convert "$J/tagged.jpg" -profile "$SRGB" "$WORK/ref8.png"
convert "$J/tagged.jpg" "$WORK/asis8.png"

fp run -p 'jpeg_decode ! icc_transform to=srgb ! png_encode' -i "$J" \
	-o "$WORK/o8" -q
expect_rc 0 "8-bit to=srgb"
within "8-bit to=srgb" 1 "$WORK/o8/tagged.png" "$WORK/ref8.png" 8
# The transform really happened: untransformed, the pixels are far off.
r=$(diff_images "$WORK/asis8.png" "$WORK/ref8.png" 8)
[ "${r%% *}" -ge 10 ] || fail "8-bit: reference too close to the input ($r)"

fp run -p "jpeg_decode ! icc_transform to=$SRGB ! png_encode" -i "$J" \
	-o "$WORK/o8f" -q
expect_rc 0 "8-bit to=sRGB.icc"
within "8-bit to=sRGB.icc" 1 "$WORK/o8f/tagged.png" "$WORK/ref8.png" 8

# The output carries the target profile.
tfp 'jpeg_decode ! icc_transform to=srgb ! jpeg_encode' '{stem}.jpg' \
	-i "$J" -o "$WORK/oj" -q
expect_rc 0 "8-bit to JPEG"
desc=$(identify -format '%[icc:description]' "$WORK/oj/tagged.jpg")
[ "$desc" = "sRGB built-in" ] || fail "output profile is '$desc', not sRGB built-in"
tfp "jpeg_decode ! icc_transform to=$SRGB ! jpeg_encode" '{stem}.jpg' \
	-i "$J" -o "$WORK/ojf" -q
convert "$WORK/ojf/tagged.jpg" "$WORK/out.icc"
cmp -s "$WORK/out.icc" "$SRGB" || fail "output profile is not $SRGB's bytes"

# One batch, two profiles, one instance: the cached transform is rebuilt
# for the untagged file (sRGB to sRGB: unchanged) and again for the tagged.
M="$WORK/mixed"
mkdir -p "$M"
cp "$J/tagged.jpg" "$M/a.jpg"
cp "$WORK/plain.jpg" "$M/b.jpg"
cp "$J/tagged.jpg" "$M/c.jpg"
convert "$WORK/plain.jpg" "$WORK/plain.png"
fp run -p 'jpeg_decode ! icc_transform to=srgb workers=1 ! png_encode' \
	-i "$M" -o "$WORK/om" -q
expect_rc 0 "mixed batch"
within "mixed: tagged a" 1 "$WORK/om/a.png" "$WORK/ref8.png" 8
within "mixed: untagged b" 1 "$WORK/om/b.png" "$WORK/plain.png" 8
within "mixed: tagged c" 1 "$WORK/om/c.png" "$WORK/ref8.png" 8

# ---- 16 bits: TIFF --------------------------------------------------------
T="$WORK/tiff"
mkdir -p "$T"
convert "$DATA/pngsuite/basn2c16.png" -profile "$ADOBE" -compress none \
	"$T/rgb16.tif"
convert "$DATA/pngsuite/basn6a16.png" -profile "$ADOBE" -compress none \
	"$T/rgba16.tif"
tfp "tiff_decode ! icc_transform to=$SRGB ! tiff_encode" '{stem}.tif' \
	-i "$T" -o "$WORK/o16f" -q
expect_rc 0 "16-bit to=sRGB.icc"
tfp 'tiff_decode ! icc_transform to=srgb ! tiff_encode' '{stem}.tif' \
	-i "$T" -o "$WORK/o16" -q
expect_rc 0 "16-bit to=srgb"
for name in rgb16 rgba16; do
	convert "$T/$name.tif" -profile "$SRGB" -depth 16 "$WORK/ref_$name.tif"
	within "$name to=sRGB.icc" 0 "$WORK/o16f/$name.tif" \
		"$WORK/ref_$name.tif" 16
	within "$name to=srgb" 400 "$WORK/o16/$name.tif" "$WORK/ref_$name.tif" 16
	[ "$(identify -format '%z' "$WORK/o16/$name.tif")" = 16 ] ||
		fail "$name: output is not 16-bit"
done
r=$(diff_images "$T/rgb16.tif" "$WORK/ref_rgb16.tif" 16)
[ "${r%% *}" -ge 2000 ] || fail "16-bit: reference too close to the input ($r)"

# ---- refusals -------------------------------------------------------------
fp run -p 'jpeg_decode ! icc_transform to=/nonexistent.icc ! png_encode' \
	-i "$J" -o "$WORK/bad" -q
expect_rc 2 "missing target"
expect_err "/nonexistent.icc: No such file or directory" "missing target"
# one message; a -p line's error then shows the line with a caret
[ "$(grep -c '^framepipe:' "$ERR")" -eq 1 ] || fail "missing target: not one message"
grep -q '^ *\^$' "$ERR" || fail "missing target: no caret under the -p line"
[ -e "$WORK/bad" ] && fail "missing target: the run started"

fp run -p "jpeg_decode ! icc_transform to=$ICC/Gray.icc ! png_encode" \
	-i "$J" -o "$WORK/bad" -q
expect_rc 2 "gray target"
expect_err "Gray.icc: not an RGB profile" "gray target"

# The target profile (588 bytes) does not fit a 300-byte metadata area: the
# frame fails with one line, nothing is written.
mkdir -p "$WORK/plain"
cp "$WORK/plain.jpg" "$WORK/plain/"
fp run -p 'jpeg_decode ! icc_transform to=srgb ! png_encode' \
	--set pipeline.metadata_size=300 -i "$WORK/plain" -o "$WORK/small" -q
expect_rc 1 "small metadata area"
expect_err "plain.jpg: icc_transform: target ICC profile (588 bytes) does not fit the metadata area" \
	"small metadata area"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "small metadata area: not one line"
[ -e "$WORK/small/plain.png" ] && fail "small metadata area: output written"
finish
