#!/bin/bash
# The filters at 16 bits a sample against ImageMagick 6 Q16 (the same
# `convert` as test_filters_vs_imagemagick.sh), bit for bit: each filter
# runs in-process (tests/tools/raw_filter, through framepipe::testing) on
# the 16-bit raw RGBA of an image, handed to it as G16, GA16, RGB16 or
# RGBA16, and its output must equal
#   convert INPUT <ops> -depth 16 -endian LSB rgba:REFERENCE
# sample for sample:
#   invert                     -negate
#   flip vertical / horizontal -flip / -flop
#   rotate 90 / 180 / 270      -rotate 90 / 180 / 270
#   transpose                  -transpose
#   crop 30x12 at 17,33        -crop 30x12+17+33 +repage
#   grayscale bt601 / bt709    -grayscale Rec601Luma / Rec709Luma
# The inputs have every 16-bit value a sample can take: 16-bit noise,
# 16-bit gradients and plasma, a gray gradient, and soft alpha.
# Within tolerance (PSNR >= 40 dB on the 16-bit scale, colour compared
# premultiplied by alpha as in test_filters_vs_imagemagick.sh; the figures
# are printed), on the smooth inputs:
#   resize 40x30 bilinear / lanczos3   -filter Triangle|Lanczos -resize 40x30!
#   resize 150x100 lanczos3            -filter Lanczos -resize 150x100!
#   blur sigma=2                       -blur 0x2
#   sharpen sigma=1.5 amount=1         -unsharp 0x1.5+1+0 (no alpha)
# Measured: bilinear 49.3-74.0 dB (max abs diff 2883 of 65535), lanczos3
# down 53.6-79.1 (2687), lanczos3 up 45.6-85.7 (9505), blur 67.3-95.2
# (133), sharpen 70.2-94.4 (90); the lowest figure each time is the RGBA
# image, at the hard edge of its opaque rectangle against soft alpha,
# where the kernels' ringing and the alpha weighting differ most. With
# no 8-bit quantisation in between the figures are 15-40 dB above the
# 8-bit ones.
. "$(dirname "$0")/lib.sh"
RAW=${FP_RAW_FILTER:?}
CONVERT=/usr/bin/convert
[ -x "$CONVERT" ] || CONVERT=$(command -v convert)
"$CONVERT" -version 2>/dev/null | grep -q ImageMagick || {
	echo "ImageMagick is not installed (.ci/install-deps installs it)" >&2
	exit 1
}
[ "$(printf '\001\000' | od -An -tu2 | tr -d ' ')" = 1 ] || {
	echo "raw_filter reads little-endian; this host is not" >&2
	exit 1
}

SYN="$WORK/synthetic"
mkdir -p "$SYN"
"$CONVERT" -size 61x47 xc: -seed 3 +noise Random -depth 16 "$SYN/noise.png"
"$CONVERT" -size 97x61 gradient:'#123456789abc-#fedcba987654' -depth 16 \
	"$SYN/gradient.png"
"$CONVERT" -seed 7 -size 80x50 plasma:fractal -depth 16 "$SYN/plasma.png"
"$CONVERT" -size 70x50 gradient:black-white -colorspace Gray -depth 16 \
	"$SYN/gray.png"
"$CONVERT" -size 64x48 xc:none -fill '#ff804080' -draw 'circle 32,24 32,4' \
	-fill '#2040ffff' -draw 'rectangle 0,0 20,47' \
	\( -size 64x48 xc: -seed 5 +noise Random \) -compose multiply \
	-composite -depth 16 "PNG64:$SYN/rgba.png"
# each input and the formats it is handed as
declare -A FORMATS=(
	[noise]="rgb16 rgba16"
	[gradient]="rgb16"
	[plasma]="rgb16"
	[gray]="g16 ga16"
	[rgba]="rgba16"
)

# check NAME STAGE 'PARAMS' IM-OPS...: every input, every format
check() {
	local name=$1 stage=$2 params=$3
	shift 3
	local img fmt w h
	for img in "${!FORMATS[@]}"; do
		local in="$SYN/$img.png"
		"$CONVERT" "$in" -depth 16 -endian LSB "rgba:$WORK/in.rgba"
		read -r w h < <("$CONVERT" "$in" -format '%w %h' info:)
		# the reference of what the stage sees: IM's alpha or none
		for fmt in ${FORMATS[$img]}; do
			local ref="$in"
			case $fmt in
			g16 | rgb16) ref="$WORK/opaque.png"
				"$CONVERT" "$in" -alpha off -depth 16 "$ref" ;;
			esac
			# shellcheck disable=SC2086
			"$RAW" "$stage" "$fmt" "$w" "$h" "$WORK/in.rgba" \
				"$WORK/mine.rgba" $params >/dev/null ||
				{ fail "$name $img $fmt: raw_filter failed"; continue; }
			"$CONVERT" "$ref" "$@" -depth 16 -endian LSB \
				"rgba:$WORK/im.rgba"
			if ! cmp -s "$WORK/mine.rgba" "$WORK/im.rgba"; then
				fail "$name $img $fmt: differs from convert $* ($(cmp "$WORK/mine.rgba" "$WORK/im.rgba" | head -1))"
				continue
			fi
			# the check means something: 16 bits really came through
			# (an 8-bit detour leaves low bytes equal to high ones)
			if [ "$img" = noise ] && ! python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
sys.exit(0 if sum(d[i] != d[i + 1] for i in range(0, len(d), 2)) > len(d) // 4 else 1)' "$WORK/mine.rgba"; then
				fail "$name $img $fmt: the output has 8-bit samples"
			fi
		done
	done
}

# psnr NAME STAGE 'PARAMS' IM-OPS...: the smooth inputs, within 40 dB
psnr() {
	local name=$1 stage=$2 params=$3
	shift 3
	local img fmt w h res
	for img in gradient plasma gray rgba; do
		[ "$name" = sharpen ] && [ "$img" = rgba ] && continue
		local in="$SYN/$img.png"
		"$CONVERT" "$in" -depth 16 -endian LSB "rgba:$WORK/in.rgba"
		read -r w h < <("$CONVERT" "$in" -format '%w %h' info:)
		fmt=${FORMATS[$img]%% *}
		local ref="$in"
		case $fmt in
		g16 | rgb16) ref="$WORK/opaque.png"
			"$CONVERT" "$in" -alpha off -depth 16 "$ref" ;;
		esac
		# shellcheck disable=SC2086
		"$RAW" "$stage" "$fmt" "$w" "$h" "$WORK/in.rgba" \
			"$WORK/mine.rgba" $params >/dev/null ||
			{ fail "$name $img $fmt: raw_filter failed"; continue; }
		"$CONVERT" "$ref" "$@" -depth 16 -endian LSB "rgba:$WORK/im.rgba"
		res=$(python3 - "$WORK/mine.rgba" "$WORK/im.rgba" <<'PY'
import math, struct, sys
a = open(sys.argv[1], "rb").read()
b = open(sys.argv[2], "rb").read()
if len(a) != len(b):
    print("sizes-differ 0")
    sys.exit()
va = struct.unpack("<%dH" % (len(a) // 2), a)
vb = struct.unpack("<%dH" % (len(b) // 2), b)
se = worst = 0.0
for i in range(0, len(va), 4):
    fa, fb = va[i + 3] / 65535.0, vb[i + 3] / 65535.0
    for c in range(4):
        d = abs(va[i + c] * fa - vb[i + c] * fb) if c < 3 else abs(va[i + c] - vb[i + c])
        se += d * d
        worst = max(worst, d)
print("%d %s" % (round(worst), "inf" if se == 0 else "%.2f" % (10 * math.log10(65535.0 ** 2 * len(va) / se))))
PY
)
		echo "$name $img $fmt: max diff (of 65535), PSNR dB: $res"
		python3 -c 'import sys; p = sys.argv[1].split()[1]; sys.exit(0 if p == "inf" or float(p) >= 40 else 1)' "$res" ||
			fail "$name $img $fmt: PSNR below 40 dB against convert $*: $res"
	done
}

check invert invert '' -negate
check flipv flip 'direction=vertical' -flip
check fliph flip 'direction=horizontal' -flop
check rot90 rotate 'degrees=90' -rotate 90
check rot180 rotate 'degrees=180' -rotate 180
check rot270 rotate 'degrees=270' -rotate 270
check transpose transpose '' -transpose
check crop crop 'x=17 y=33 width=30 height=12' -crop 30x12+17+33 +repage
check gray grayscale '' -grayscale Rec601Luma
check gray709 grayscale 'luma=bt709' -grayscale Rec709Luma
psnr bilinear resize 'width=40 height=30 kernel=bilinear' -filter Triangle -resize '40x30!'
psnr lanczos3 resize 'width=40 height=30 kernel=lanczos3' -filter Lanczos -resize '40x30!'
psnr lanczos3_up resize 'width=150 height=100 kernel=lanczos3' -filter Lanczos -resize '150x100!'
psnr blur blur 'sigma=2' -blur 0x2
psnr sharpen sharpen 'sigma=1.5 amount=1' -unsharp 0x1.5+1+0
finish
