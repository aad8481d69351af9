#!/bin/bash
# The thumbnail bench (issue 13), by hand (not in ctest):
#
#   tests/bench/thumbnail.sh [BUILD_DIR]        (default: build)
#
# Camera-size JPEGs (8-24 MP photographs from Debian's lomiri-wallpapers-
# 16.04 and -20.04, CC-BY-SA, fetched once with apt-get download into
# tests/bench/.corpus/thumb/, copyright files beside them), each to a JPEG
# whose longer side is 256, quality 80, on 2 CPUs (taskset -c 0,1):
#
#   framepipe     jpeg_decode ! resize width=256 height=256 fit=inside !
#                 jpeg_encode quality=80 (the core hints the decoder from
#                 the resize: shrink-on-load)
#   framepipe-full  the same with jpeg_decode shrink=false (full decode)
#   vips          vipsthumbnail -s 256 -o %s.jpg[Q=80], GNU parallel -j2,
#                 --vips-concurrency=1
#   convert       convert -thumbnail 256x256 -quality 80, parallel -j2
#   convert-size  the same with -define jpeg:size=512x512 (libjpeg scaling)
#
# Each tool runs BENCH_RUNS times (3), interleaved (the machines here are
# shared), the median shown: wall seconds, images/s, CPU seconds and peak
# PSS of the whole process tree (tests/bench/measure.py). Outputs are
# checked: every input has a JPEG whose longer side is 256.
# Knobs: BENCH_RUNS, BENCH_COPIES (3: each photo appears this many times),
# BENCH_TOOLS ("framepipe framepipe-full vips convert convert-size").
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --cmd ]; then
	out=$3
	case $2 in
	framepipe)
		exec taskset -c 0,1 "$FP" run -q -p "jpeg_decode ! resize \
width=256 height=256 fit=inside ! jpeg_encode quality=80" \
			-i "$IN"/*.jpg -o "$out" ;;
	framepipe-full)
		exec taskset -c 0,1 "$FP" run -q -p "jpeg_decode shrink=false ! \
resize width=256 height=256 fit=inside ! jpeg_encode quality=80" -i "$IN"/*.jpg -o "$out" ;;
	vips)
		ls "$IN"/*.jpg | taskset -c 0,1 parallel -j2 vipsthumbnail \
			--vips-concurrency=1 -s 256 -o "$out/%s.jpg[Q=80]" {} ;;
	convert)
		ls "$IN"/*.jpg | taskset -c 0,1 parallel -j2 "$IM" {} \
			-thumbnail 256x256 -quality 80 "$out/{/.}.jpg" ;;
	convert-size)
		ls "$IN"/*.jpg | taskset -c 0,1 parallel -j2 "$IM" \
			-define jpeg:size=512x512 {} -thumbnail 256x256 -quality 80 \
			"$out/{/.}.jpg" ;;
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
TOOLS=${BENCH_TOOLS:-framepipe framepipe-full vips convert convert-size}
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
IN="$WORK/in"
mkdir -p "$IN"
for jpg in "$CORPUS"/*.jpg; do
	for c in $(seq "$COPIES"); do ln -s "$jpg" "$IN/c${c}_$(basename "$jpg")"; done
done
INPUTS=("$IN"/*.jpg)
N=${#INPUTS[@]}
MP=$(for f in "$CORPUS"/*.jpg; do identify -format '%w*%h\n' "$f"; done | paste -sd+ | bc)
echo "inputs: $N ($(ls "$CORPUS"/*.jpg | wc -l) photographs x $COPIES, $((MP * COPIES / 1000000)) MP in all)"

# ---- tools -------------------------------------------------------------------
check_outputs() { # outdir: how many inputs lack a 256-pixel JPEG
	local dir=$1 bad=0 f o w h fmt
	for f in "${INPUTS[@]}"; do
		o=$(ls "$dir/$(basename "$f" .jpg)".* 2>/dev/null | head -1)
		read -r fmt w h < <(identify -format '%m %w %h\n' "$o" 2>/dev/null || echo "none 0 0")
		[ "$fmt" = JPEG ] && [ "$w" -le 256 ] && [ "$h" -le 256 ] &&
			{ [ "$w" -eq 256 ] || [ "$h" -eq 256 ]; } || bad=$((bad + 1))
	done
	echo $bad
}

declare -A RESULTS
for run in $(seq "$RUNS"); do
	for tool in $TOOLS; do
		rm -rf "$WORK/out_$tool"
		mkdir -p "$WORK/out_$tool"
		line=$(FP="$FP" IN="$IN" IM="$IM" $MEASURE -- "$HERE/thumbnail.sh" --cmd "$tool" "$WORK/out_$tool")
		RESULTS[$tool]="${RESULTS[$tool]:-}$line
"
	done
done

printf '%-15s %8s %9s %8s %10s %s\n' tool wall_s images/s cpu_s peak_MiB "outputs bad"
for tool in $TOOLS; do
	med=$(printf '%s' "${RESULTS[$tool]}" | sort -n -k1 | sed -n "$(( (RUNS + 1) / 2 ))p")
	set -- $med
	bad=$(check_outputs "$WORK/out_$tool")
	printf '%-15s %8.2f %9.1f %8.2f %10.0f %s\n' "$tool" "$1" "$(echo "$N / $1" | bc -l)" "$2" "$3" "$bad"
done
