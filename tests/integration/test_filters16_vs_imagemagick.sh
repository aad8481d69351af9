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

check invert invert '' -negate
check flipv flip 'direction=vertical' -flip
check fliph flip 'direction=horizontal' -flop
check rot90 rotate 'degrees=90' -rotate 90
check rot180 rotate 'degrees=180' -rotate 180
check rot270 rotate 'degrees=270' -rotate 270
check transpose transpose '' -transpose
check crop crop 'x=17 y=33 width=30 height=12' -crop 30x12+17+33 +repage
check gray grayscale '' -grayscale Rec601Luma
check gray709 grayscale 'weights=bt709' -grayscale Rec709Luma
finish
