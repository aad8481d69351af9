#!/bin/bash
# The thumbnail and WebP benches (issue 13), by hand (not in ctest):
#
#   tests/bench/thumbnail.sh [BUILD_DIR]        (default: build)
#
# Camera-size JPEGs (8-24 MP photographs from Debian's lomiri-wallpapers-
# 16.04 and -20.04, CC-BY-SA, fetched once with apt-get download into
# tests/bench/.corpus/thumb/, copyright files beside them), plus one of
# them given EXIF orientation 6 (stored sideways, shown upright), on 2 CPUs
# (taskset -c 0,1). Every tool turns that one upright if it can.
#
# Thumbnail job: each to a JPEG whose longer side is 256, quality 80:
#   framepipe     jpeg_decode ! autorotate ! resize width=256 height=256
#                 fit=inside ! jpeg_encode quality=80 strip=meta (the core
#                 hints the decoder from the resize: shrink-on-load)
#   framepipe-full  the same with jpeg_decode shrink=false (full decode)
#   vips          vipsthumbnail -s 256 -o %s.jpg[Q=80,strip], GNU parallel
#                 -j2, --vips-concurrency=1
#   convert       convert -auto-orient -thumbnail 256x256 -quality 80,
#                 parallel -j2
#   convert-size  the same with -define jpeg:size=512x512 (libjpeg scaling)
#   ffmpeg        ffmpeg -vf scale=256:256:force_original_aspect_ratio=
#                 decrease -q:v 6 (ImageMagick reads its tables as quality
#                 79), -threads 1, parallel -j2 (ffmpeg 5.1 turns the
#                 photo upright from its EXIF itself)
# WebP job: each at full size to WebP quality 75, effort (method) 4:
#   fp-webp       jpeg_decode ! autorotate ! webp_encode quality=75 effort=4
#   cwebp         cwebp -q 75 -m 4, parallel -j2 (no EXIF orientation)
#   vips-webp     vips autorot IN OUT.webp[Q=75,effort=4] (vips copy would
#                 not turn it), --vips-concurrency=1, parallel -j2
#   convert-webp  convert -auto-orient -quality 75 -define webp:method=4,
#                 parallel -j2
#
# Each tool runs BENCH_RUNS times (3), all tools of a job interleaved (the
# machines here are shared), the median shown: wall seconds, images/s, CPU
# seconds and peak PSS of the whole process tree (tests/bench/measure.py),
# and each tool's images/s against vips's of the same run. Outputs are
# checked: every input has an output of the right format (JPEG, WebP), size
# (longer side 256; the input's size) and orientation (upright: the rotated
# input comes out portrait, with no orientation tag left to turn it again).
# Knobs: BENCH_RUNS, BENCH_COPIES (3: each photo appears this many times in
# the thumbnail job), BENCH_WEBP_PHOTOS (5: photos in the WebP job, once
# each), BENCH_TOOLS ("framepipe framepipe-full vips convert convert-size
# ffmpeg"), BENCH_WEBP_TOOLS ("fp-webp cwebp vips-webp convert-webp"; empty:
# no WebP job).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --cmd ]; then
	out=$3
	IN=$4
	P=(taskset -c 0,1 parallel --will-cite -j2)
	case $2 in
	framepipe)
		exec taskset -c 0,1 "$FP" run -q -p "jpeg_decode ! autorotate ! \
resize width=256 height=256 fit=inside ! jpeg_encode quality=80 strip=meta" \
			-i "$IN"/*.jpg -o "$out" ;;
	framepipe-full)
		exec taskset -c 0,1 "$FP" run -q -p "jpeg_decode shrink=false ! \
autorotate ! resize width=256 height=256 fit=inside ! jpeg_encode quality=80 \
strip=meta" -i "$IN"/*.jpg -o "$out" ;;
	vips)
		ls "$IN"/*.jpg | "${P[@]}" vipsthumbnail --vips-concurrency=1 \
			-s 256 -o "$out/%s.jpg[Q=80,strip]" {} ;;
	convert)
		ls "$IN"/*.jpg | "${P[@]}" "$IM" {} -auto-orient \
			-thumbnail 256x256 -quality 80 "$out/{/.}.jpg" ;;
	convert-size)
		ls "$IN"/*.jpg | "${P[@]}" "$IM" -define jpeg:size=512x512 {} \
			-auto-orient -thumbnail 256x256 -quality 80 "$out/{/.}.jpg" ;;
	ffmpeg)
		ls "$IN"/*.jpg | "${P[@]}" ffmpeg -v error -nostdin -threads 1 \
			-i {} -vf scale=256:256:force_original_aspect_ratio=decrease \
			-q:v 6 "$out/{/.}.jpg" ;;
	fp-webp)
		exec taskset -c 0,1 "$FP" run -q -p "jpeg_decode ! autorotate ! \
webp_encode quality=75 effort=4" -i "$IN"/*.jpg -o "$out" ;;
	cwebp)
		ls "$IN"/*.jpg | "${P[@]}" cwebp -quiet -q 75 -m 4 {} \
			-o "$out/{/.}.webp" ;;
	vips-webp)
		ls "$IN"/*.jpg | "${P[@]}" vips --vips-concurrency=1 autorot {} \
			"$out/{/.}.webp[Q=75,effort=4]" ;;
	convert-webp)
		ls "$IN"/*.jpg | "${P[@]}" "$IM" {} -auto-orient -quality 75 \
			-define webp:method=4 "$out/{/.}.webp" ;;
	*) echo "unknown tool $2" >&2; exit 2 ;;
	esac
	exit 0
fi
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
FP="$BUILD/bin/framepipe"
[ -x "$FP" ] || { echo "build first: $FP not found" >&2; exit 2; }
RUNS=${BENCH_RUNS:-3}
COPIES=${BENCH_COPIES:-3}
WEBP_PHOTOS=${BENCH_WEBP_PHOTOS:-5}
TOOLS=${BENCH_TOOLS-framepipe framepipe-full vips convert convert-size ffmpeg}
WEBP_TOOLS=${BENCH_WEBP_TOOLS-fp-webp cwebp vips-webp convert-webp}
CORPUS="$HERE/.corpus/thumb"
MEASURE="python3 $HERE/measure.py"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fp-thumb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
IM=/usr/bin/convert
[ -x $IM ] || IM=convert

# ---- corpus ------------------------------------------------------------------
if [ ! -f "$CORPUS/.done" ]; then
	mkdir -p "$CORPUS/deb"
	(cd "$CORPUS/deb" && apt-get download lomiri-wallpapers-16.04 \
		lomiri-wallpapers-20.04 2>/dev/null) || {
		echo "apt-get download failed (run apt-get update?)" >&2
		exit 2
	}
	for deb in "$CORPUS"/deb/*.deb; do dpkg-deb -x "$deb" "$CORPUS/deb/x"; done
	for c in "$CORPUS"/deb/x/usr/share/doc/*/copyright; do
		cp "$c" "$CORPUS/copyright.$(basename "$(dirname "$c")")"
	done
	n=0
	for jpg in "$CORPUS"/deb/x/usr/share/backgrounds/*.jpg; do
		size=$(identify -format '%w %h' "$jpg" 2>/dev/null) || continue
		set -- $size
		px=$(($1 * $2))
		[ $px -ge 8000000 ] && [ $px -le 25000000 ] || continue
		cp "$jpg" "$CORPUS/$(basename "$jpg")"
		n=$((n + 1))
	done
	rm -rf "$CORPUS/deb"
	echo "corpus: $n photographs of 8-25 MP" >&2
	touch "$CORPUS/.done"
fi
PHOTOS=("$CORPUS"/*.jpg)
# rotated FILE OUT: FILE with an APP1 EXIF saying orientation 6 after SOI.
rotated() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
tiff = b"MM\0*" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + b"\0\0\0\0"
body = b"Exif\0\0" + tiff
open(sys.argv[2], "wb").write(b[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + b[2:])
PY
}
TIN="$WORK/thumb_in"
WIN="$WORK/webp_in"
mkdir -p "$TIN" "$WIN"
for jpg in "${PHOTOS[@]}"; do
	for c in $(seq "$COPIES"); do ln -s "$jpg" "$TIN/c${c}_$(basename "$jpg")"; done
done
rotated "${PHOTOS[0]}" "$TIN/r6_$(basename "${PHOTOS[0]}")"
for jpg in "${PHOTOS[@]:0:$WEBP_PHOTOS}"; do ln -s "$jpg" "$WIN/$(basename "$jpg")"; done
cp "$TIN/r6_$(basename "${PHOTOS[0]}")" "$WIN/"
mp() { for f in "$1"/*.jpg; do identify -format '%w*%h\n' "$f"; done | paste -sd+ | bc; }
echo "thumbnail inputs: $(ls "$TIN" | wc -l) (${#PHOTOS[@]} photographs x $COPIES + 1 rotated, $(($(mp "$TIN") / 1000000)) MP)"
echo "webp inputs: $(ls "$WIN" | wc -l) ($WEBP_PHOTOS photographs + 1 rotated, $(($(mp "$WIN") / 1000000)) MP)"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- checks ------------------------------------------------------------------
# check_outputs IN OUT FORMAT BOX: how many inputs of IN lack a right output
# in OUT: FORMAT (JPEG, WEBP); its longer side BOX (0: the input's size);
# upright (an input with orientation 5-8 comes out with its sides swapped)
# and with no orientation tag but 1 left.
check_outputs() {
	local in=$1 dir=$2 want=$3 box=$4 bad=0 f o w h fmt or iw ih ior
	for f in "$in"/*.jpg; do
		o=$(ls "$dir/$(basename "$f" .jpg)".* 2>/dev/null | head -1)
		read -r fmt w h or < <(identify -format '%m %w %h %[orientation]\n' "$o" 2>/dev/null | head -1 || echo "none 0 0 -")
		read -r iw ih ior < <(identify -format '%w %h %[orientation]\n' "$f" | head -1)
		case $ior in LeftTop | RightTop | RightBottom | LeftBottom) set -- "$ih" "$iw" ;; *) set -- "$iw" "$ih" ;; esac
		local ok=1
		[ "$fmt" = "$want" ] || ok=0
		case $or in Undefined | TopLeft) ;; *) ok=0 ;; esac
		if [ "$box" -eq 0 ]; then
			[ "$w" = "$1" ] && [ "$h" = "$2" ] || ok=0
		else
			{ [ "$w" -le "$box" ] && [ "$h" -le "$box" ] &&
				{ [ "$w" -eq "$box" ] || [ "$h" -eq "$box" ]; } &&
				[ $((w > h)) -eq $(($1 > $2)) ]; } || ok=0
		fi
		[ $ok -eq 1 ] || bad=$((bad + 1))
	done
	echo $bad
}

# job NAME IN FORMAT BOX TOOL...: the interleaved runs and the table.
job() {
	local name=$1 in=$2 format=$3 box=$4
	shift 4
	[ $# -gt 0 ] || return 0
	local n
	n=$(ls "$in" | wc -l)
	declare -A results
	for run in $(seq "$RUNS"); do
		for tool in "$@"; do
			rm -rf "$WORK/out_$tool"
			mkdir -p "$WORK/out_$tool"
			line=$(FP="$FP" IM="$IM" $MEASURE -- "$HERE/thumbnail.sh" --cmd "$tool" "$WORK/out_$tool" "$in")
			results[$tool]="${results[$tool]:-}$line
"
		done
	done
	echo
	echo "== $name job: $n inputs, median of $RUNS interleaved runs; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-15s %8s %9s %8s %10s %8s  %s\n' tool wall_s images/s cpu_s peak_MiB "vs_vips" "outputs bad"
	local ref=""
	for tool in "$@"; do
		case $tool in vips | vips-webp) ref=$(printf '%s' "${results[$tool]}" | sort -n -k1 | sed -n "$(((RUNS + 1) / 2))p" | cut -d' ' -f1) ;; esac
	done
	for tool in "$@"; do
		med=$(printf '%s' "${results[$tool]}" | sort -n -k1 | sed -n "$(((RUNS + 1) / 2))p")
		set -- $med
		bad=$(check_outputs "$in" "$WORK/out_$tool" "$format" "$box")
		printf '%-15s %8.2f %9.1f %8.2f %10.0f %7s  %s\n' "$tool" "$1" "$(echo "$n / $1" | bc -l)" "$2" "$3" \
			"$([ -n "$ref" ] && printf '%.2fx' "$(echo "$ref / $1" | bc -l)" || echo -)" "$bad"
	done
}

job thumbnail "$TIN" JPEG 256 $TOOLS
job "JPEG -> WebP (full size)" "$WIN" WEBP 0 $WEBP_TOOLS
