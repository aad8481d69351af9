#!/bin/bash
# The speed benchmark (issue 6), one command:
#
#   tests/bench/run.sh [BUILD_DIR]          (default: build; build it first)
#
# 1. builds the corpus once into tests/bench/.corpus/ (not in git): real
#    photographs from the Debian packages lomiri-wallpapers-16.04 and
#    mate-backgrounds (CC-BY-SA / GPL-2+, see .corpus/copyright.*) converted with ImageMagick into 8-bit RGB PNGs:
#    "mixed", 24 images of 1-12 MP, and "small", 200 crops of 640x480;
# 2. builds tests/bench/serial_baseline.c (the serial limit: one process, a
#    plain libpng loop doing exactly the pipeline's work);
# 3. runs the two jobs on both sets with framepipe, the baseline and every
#    installed peer (each skipped with a note when missing), prints a table
#    and checks that framepipe's outputs are byte-identical to the
#    baseline's at the same encoder settings;
# 4. prints transport frames/s, start-up, memory at 24 vs 2400 inputs and
#    the png_encode table (level x strategy x filter).
#
#   gray:   decode -> grayscale (BT.601) -> half size (2x2 box) -> encode
#   invert: decode -> invert -> encode (full size: codec-bound)
#
# Encoder settings are libpng's defaults where a tool allows: zlib level 6,
# adaptive row filters (libpng then uses zlib's "filtered" strategy);
# framepipe also runs at ffmpeg's settings (Z_DEFAULT_STRATEGY) and at its
# own defaults. Under each table, the status of issue 18's targets: at
# libpng settings >= 0.97x of serial x2, at ffmpeg's settings ahead of
# ffmpeg.
#
# Knobs (environment): BENCH_RUNS (3: repetitions of framepipe and the
# baseline, median shown), BENCH_PEER_RUNS (1: peers and the two-shard
# baseline), BENCH_SETS ("mixed small"), BENCH_JOBS ("gray invert"),
# BENCH_PEERS ("convert mogrify gm vips gst ffmpeg"), BENCH_SMALL_PEERS
# (peers on the small set: "convert vips ffmpeg"), BENCH_PARTS ("compare transport startup memory encoder"),
# BENCH_MEM_MANY (2400), BENCH_PREFAULT (0; 1 adds a row with the pool
# prefaulted, FP_POOL_PREFAULT=1), BENCH_ENC_IMAGES ("mixed/m17.png mixed/m22.png":
# corpus files for the encoder table), BENCH_CORPUS (folder). Machines here are shared: compare rows as
# ratios within one run, never across runs.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# run.sh --cmd TOOL JOB IN OUT runs one measured command (run_tool calls it
# under measure.py with FP, SB, WORK and CORPUS exported)
MODE=main
[ "${1:-}" = --cmd ] && MODE=cmd
if [ $MODE = main ]; then
	BUILD=$(cd "${1:-$ROOT/build}" && pwd)
	export FP="$BUILD/bin/framepipe"
	[ -x "$FP" ] || { echo "build first: $FP not found" >&2; exit 2; }
	export CORPUS=${BENCH_CORPUS:-$HERE/.corpus}
	export WORK=$(mktemp -d "${TMPDIR:-/tmp}/fp-bench.XXXXXX")
	export SB="$WORK/serial_baseline"
	trap 'rm -rf "$WORK"' EXIT
fi
RUNS=${BENCH_RUNS:-3}
PEER_RUNS=${BENCH_PEER_RUNS:-1}
SETS=${BENCH_SETS:-mixed small}
JOBS=${BENCH_JOBS:-gray invert}
PEERS=${BENCH_PEERS-convert mogrify gm vips gst ffmpeg}
SMALL_PEERS=${BENCH_SMALL_PEERS-convert vips ffmpeg}
PARTS=${BENCH_PARTS:-compare transport startup memory encoder}
MEM_MANY=${BENCH_MEM_MANY:-2400}
FP_EXTRA=""
[ "${BENCH_PREFAULT:-0}" = 1 ] && FP_EXTRA=" framepipe_pf"
ENC_IMAGES=${BENCH_ENC_IMAGES:-mixed/m17.png mixed/m22.png}
MEASURE="python3 $HERE/measure.py"
have() { command -v "$1" >/dev/null 2>&1; }
note() { printf '  note: %s\n' "$*"; }

# ---- corpus ----------------------------------------------------------------

# Sources (lomiri-wallpapers-16.04 20.04.0: backgrounds/*.jpg; mate-backgrounds
# 1.26.0: backgrounds/mate/nature/*.jpg) and the size each becomes in the mixed
# set: largest photos to the largest sizes, never upscaled; two have odd
# sides (the half-size rounding must match too).
MIXED_TABLE="
seeding_by_Clements_Engelhardt.jpg	4618x2598
Dragonfly_by_Bolly.jpg			3652x2738
sunset_by_Aitzol_Berasategi.jpg		3464x2310
Bridge_by_Sander_Klootwijk.jpg		3772x2122
Wine_by_Jakkub_Mede.jpg			2000x2998
umang_by_Abhishek_Mudgal.jpg		3266x1838
picosdeeuropa_by_Aitzol_Berasategi.jpg	2828x2122
aitzgorri_by_Aitzol_Berasategi.jpg	2740x1824
friends_by_Aitzol_Berasategi.jpg	1824x2740
life_by_Aitzol_Berasategi.jpg		2740x1824
analogpattern_by_Peter_Nerlich.jpg	2310x1732
free_by_Peter_Nerlich.jpg		2310x1732
greentock_by_Peter_Nerlich.jpg		2310x1732
mate/nature/Wood.jpg			2310x1732
Picture_0B_by_freespace.jpg		2106x1424
mate/nature/Aqua.jpg			2190x1370
mate/nature/Garden.jpg			2190x1370
mate/nature/LadyBird.jpg		2190x1370
mate/nature/TwoWings.jpg		1788x1118
mate/nature/YellowFlower.jpg		1788x1118
mate/nature/Storm.jpg			1732x1154
mate/nature/Blinds.jpg			1265x791
mate/nature/RainDrops.jpg		1264x790
mate/nature/FreshFlower.jpg		1155x867
"
CORPUS_VERSION=1 # bump when the recipe changes
CORPUS_DEBS="lomiri-wallpapers-16.04 mate-backgrounds"

build_corpus() {
	local deb src dst n=0 i k name size w h x y
	[ -f "$CORPUS/.done" ] && [ "$(cat "$CORPUS/.done")" = "$CORPUS_VERSION" ] && return 0
	have convert || { echo "the corpus needs ImageMagick's convert (apt-get install imagemagick)" >&2; exit 2; }
	echo "building the corpus in $CORPUS (once)..."
	rm -rf "$CORPUS"
	mkdir -p "$CORPUS/deb" "$CORPUS/mixed" "$CORPUS/small"
	(cd "$CORPUS/deb" && apt-get download $CORPUS_DEBS 2>/dev/null) || {
		echo "apt-get download $CORPUS_DEBS failed (run apt-get update?)" >&2
		exit 2
	}
	for deb in "$CORPUS"/deb/*.deb; do
		dpkg-deb -x "$deb" "$CORPUS/deb/x"
		basename "$deb"
	done >"$CORPUS/SOURCE"
	for deb in $CORPUS_DEBS; do
		cp "$CORPUS/deb/x/usr/share/doc/$deb/copyright" "$CORPUS/copyright.$deb"
	done
	src="$CORPUS/deb/x/usr/share/backgrounds"
	# mixed: each photo resized (Lanczos) to its size, 8-bit RGB, no chunks
	while read -r name size; do
		[ -n "$name" ] || continue
		n=$((n + 1))
		dst=$(printf '%s/mixed/m%02d.png' "$CORPUS" $n)
		convert "$src/$name" -resize "$size!" -strip -depth 8 \
			-define png:compression-level=6 "PNG24:$dst"
	done <<<"$MIXED_TABLE"
	# small: 200 crops of 640x480 from every photo shrunk to 1280 wide,
	# at offsets that step through each picture
	mapfile -t photos < <(cd "$src" && ls ./*.jpg mate/nature/*.jpg | sort)
	for i in $(seq 0 199); do
		name=${photos[$((i % ${#photos[@]}))]}
		k=$((i / ${#photos[@]}))
		[ -f "$WORK/base-$name.ppm" ] || {
			mkdir -p "$(dirname "$WORK/base-$name")"
			convert "$src/$name" -resize 1280x "$WORK/base-$name.ppm"
		}
		read -r w h < <(identify -format '%w %h\n' "$WORK/base-$name.ppm")
		x=$(((k * 211) % (w - 640)))
		y=$(((k * 127) % (h - 480)))
		convert "$WORK/base-$name.ppm" -crop "640x480+$x+$y" +repage \
			-strip -depth 8 -define png:compression-level=6 \
			"PNG24:$(printf '%s/small/s%03d.png' "$CORPUS" $i)"
	done
	rm -rf "$CORPUS/deb"
	(cd "$CORPUS" && sha256sum mixed/*.png small/*.png >SHA256SUMS)
	echo "$CORPUS_VERSION" >"$CORPUS/.done"
}

# "name width height" for every image of a set
manifest() {
	[ -f "$CORPUS/$1.sizes" ] ||
		identify -format '%f %w %h\n' "$CORPUS/$1"/*.png >"$CORPUS/$1.sizes"
	cat "$CORPUS/$1.sizes"
}

# ---- the serial baseline ----------------------------------------------------

build_baseline() {
	cc -std=c11 -O2 -Wall -Wextra -Werror -o "$SB" "$HERE/serial_baseline.c" \
		$(pkg-config --cflags --libs libpng) -lz -lm
}

# ---- commands per tool -------------------------------------------------------
# cmd_TOOL JOB IN OUT prints nothing and runs the job over every IN/*.png
# into OUT/ (same names). Settings: zlib level 6, adaptive filters.

FP_GRAY='png_decode ! grayscale ! resize scale=0.5 kernel=box'
FP_INVERT='png_decode ! invert'
fp_head() { if [ "$1" = gray ]; then echo "$FP_GRAY"; else echo "$FP_INVERT"; fi; }

cmd_serial() { "$SB" -j "$1" -o "$3" -l 6 -s libpng -f all "$2"/*.png; }
cmd_serial2() {
	local files=("$2"/*.png) even=() odd=() i
	for i in "${!files[@]}"; do
		if ((i % 2)); then odd+=("${files[$i]}"); else even+=("${files[$i]}"); fi
	done
	"$SB" -j "$1" -o "$3" -l 6 -s libpng -f all "${even[@]}" &
	"$SB" -j "$1" -o "$3" -l 6 -s libpng -f all "${odd[@]}" &
	wait %1 && wait %2
}
cmd_framepipe() {
	"$FP" run -p "$(fp_head "$1") ! png_encode level=6 strategy=long filter=all" \
		-i "$2" -o "$3" --overwrite -q
}
cmd_framepipe_own() { "$FP" run -p "$(fp_head "$1") ! png_encode" -i "$2" -o "$3" --overwrite -q; }
# at ffmpeg's own encoder settings (its -compression_level 6 -pred mixed:
# zlib level 6, Z_DEFAULT_STRATEGY, a filter chosen per row), the row to
# read "ahead of ffmpeg at equal work" from
cmd_framepipe_ff() {
	"$FP" run -p "$(fp_head "$1") ! png_encode level=6 strategy=default filter=all" \
		-i "$2" -o "$3" --overwrite -q
}
# the same with every instance's view of the pool prefaulted before its
# first frame (BENCH_PREFAULT=1 adds the row; core/transport/pool.h)
cmd_framepipe_pf() { FP_POOL_PREFAULT=1 cmd_framepipe_own "$@"; }
IM_PNG=(-strip -define png:compression-level=6 -define png:compression-filter=5
	-define png:compression-strategy=1)
im_ops() { if [ "$1" = gray ]; then echo "-grayscale Rec601Luma -filter Box -resize 50%"; else echo "-negate"; fi; }
cmd_convert() {
	# two processes fill the two cores: one thread each
	MAGICK_THREAD_LIMIT=1 parallel -j2 convert {} $(im_ops "$1") "${IM_PNG[*]}" "$3/{/}" ::: "$2"/*.png
}
cmd_mogrify() { mogrify -path "$3" $(im_ops "$1") "${IM_PNG[@]}" "$2"/*.png; }
cmd_gm() {
	local ops="-negate"
	[ "$1" = gray ] && ops="-colorspace GRAY -filter Box -resize 50%"
	# -quality 65: zlib level 6, filter 5 (adaptive); strategy not settable
	OMP_NUM_THREADS=1 parallel -j2 gm convert {} $ops +profile "'*'" -quality 65 "$3/{/}" ::: "$2"/*.png
}
cmd_vips() {
	local save="[compression=6,filter=all,strip]"
	if [ "$1" = gray ]; then
		# colourspace b-w then a 2x2 shrink (vips has no one-call chain)
		VIPS_CONCURRENCY=1 parallel -j2 "vips colourspace {} $WORK/v{#}.v b-w &&
			vips shrink $WORK/v{#}.v '$3/{/}$save' 2 2 && rm $WORK/v{#}.v" ::: "$2"/*.png
	else
		VIPS_CONCURRENCY=1 parallel -j2 vips invert {} "'$3/{/}$save'" ::: "$2"/*.png
	fi
}
cmd_gst() {
	# one pipeline per image (sizes differ); pngenc always writes filter
	# none (cheaper work than adaptive); bilinear at exactly 1/2 is the box
	[ "$1" = gray ] || return 3
	manifest "$(basename "$2")" | parallel -j2 --colsep ' ' \
		gst-launch-1.0 -q filesrc location="$2/{1}" ! pngdec ! videoconvert ! \
		video/x-raw,format=GRAY8 ! videoscale method=bilinear ! \
		'video/x-raw,width=$(({2}/2)),height=$(({3}/2))' ! \
		pngenc compression-level=6 ! filesink location="$3/{1}"
}
cmd_ffmpeg() {
	local vf=negate
	[ "$1" = gray ] && vf="format=gray,scale=iw/2:ih/2:flags=area"
	if [ "$(basename "$2")" = small ]; then # one size: one process, 2 threads
		ffmpeg -v error -threads 2 -pattern_type glob -i "$2/*.png" -vf "$vf" \
			-threads 2 -compression_level 6 -pred mixed -start_number 0 "$3/s%03d.png"
	else
		parallel -j2 ffmpeg -v error -threads 1 -i {} -vf "'$vf'" -threads 1 \
			-compression_level 6 -pred mixed "$3/{/}" ::: "$2"/*.png
	fi
}
declare -A LABEL=(
	[serial]="serial baseline (1 process)" [serial2]="serial x2 (2 shards)"
	[framepipe]="framepipe (libpng settings)" [framepipe_own]="framepipe (own defaults)"
	[framepipe_ff]="framepipe (ffmpeg's settings)"
	[framepipe_pf]="framepipe (own, FP_POOL_PREFAULT=1)"
	[convert]="ImageMagick convert, parallel -j2" [mogrify]="ImageMagick mogrify"
	[gm]="GraphicsMagick, parallel -j2" [vips]="libvips CLI, parallel -j2"
	[gst]="GStreamer gst-launch, parallel -j2" [ffmpeg]="ffmpeg"
)
declare -A NEEDS=([convert]="convert parallel" [mogrify]=mogrify [gm]="gm parallel"
	[vips]="vips parallel" [gst]="gst-launch-1.0 parallel" [ffmpeg]="ffmpeg parallel")

# ---- measuring --------------------------------------------------------------

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# run_once TOOL JOB SET: one measured run; appends "wall cpu pss" to
# $WORK/res-TOOL-JOB-SET (or the error to fail-...); outputs stay in
# $WORK/out-TOOL-JOB-SET for the checks.
run_once() {
	local out="$WORK/out-$1-$2-$3" line
	rm -rf "$out" && mkdir -p "$out"
	if line=$($MEASURE -- "$HERE/run.sh" --cmd "$1" "$2" "$CORPUS/$3" "$out" 2>"$WORK/err"); then
		echo "$line" >>"$WORK/res-$1-$2-$3"
	else
		head -c 200 "$WORK/err" | tr '\n' ' ' >"$WORK/fail-$1-$2-$3"
	fi
}

# print_row TOOL JOB SET: medians of wall and CPU, the largest peak PSS
print_row() {
	local res="$WORK/res-$1-$2-$3" out="$WORK/out-$1-$2-$3" images mp bytes
	if [ -f "$WORK/fail-$1-$2-$3" ]; then
		printf '  %-36s failed: %s\n' "${LABEL[$1]}" "$(cat "$WORK/fail-$1-$2-$3")"
		return 0
	fi
	images=$(manifest "$3" | wc -l)
	mp=$(manifest "$3" | awk '{s += $2 * $3} END {print s / 1e6}')
	bytes=$(find "$out" -name '*.png' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
	local wall cpu mem runs sys faults
	wall=$(cut -d' ' -f1 "$res" | median)
	cpu=$(cut -d' ' -f2 "$res" | median)
	sys=$(cut -d' ' -f4 "$res" | median)
	faults=$(cut -d' ' -f5 "$res" | median)
	mem=$(cut -d' ' -f3 "$res" | sort -g | tail -1)
	runs=$(wc -l <"$res")
	[ "$1" = serial ] && BASE_WALL=$wall
	awk -v l="${LABEL[$1]}" -v w="$wall" -v n="$images" -v mp="$mp" -v c="$cpu" \
		-v m="$mem" -v b="$bytes" -v bw="$BASE_WALL" -v runs="$runs" -v s="$sys" -v f="$faults" \
		-v got="$(find "$out" -name '*.png' | wc -l)" 'BEGIN {
		printf "  %-36s %7.2f %7.1f %7.1f %7.1f %6.2f %8.0f %8.0f %8.1f %6.2fx  %d/%d, %d run%s\n",
			l, w, n / w, mp / w, c, s, f, m, b / 1e6, bw / w, got, n, runs, (runs > 1 ? "s" : "")
	}'
}

header() {
	printf '  %-36s %7s %7s %7s %7s %6s %8s %8s %8s %7s  %s\n' tool "wall s" "img/s" "MP/s" \
		"CPU s" "sys s" "faults" "PSS MiB" "out MB" "vs ser" outputs
}

# framepipe's outputs against the baseline's, byte for byte
check_equal() { # job set
	local a="$WORK/out-serial-$1-$2" b="$WORK/out-framepipe-$1-$2" f same=0 differ=0
	[ -d "$a" ] && [ -d "$b" ] || return 0
	for f in "$a"/*.png; do
		if cmp -s "$f" "$b/$(basename "$f")"; then same=$((same + 1)); else differ=$((differ + 1)); fi
	done
	if [ $differ -eq 0 ]; then
		echo "  equal work: cmp framepipe vs serial baseline: $same/$same outputs byte-identical"
	else
		echo "  equal work: cmp framepipe vs serial baseline: $differ of $((same + differ)) DIFFER"
		EQUAL_FAILED=1
	fi
}

# Runs are interleaved (serial, framepipe, ... then again) so that a burst
# of other load on a shared machine hits every tool alike.
part_compare() {
	local set job tool r peers core avail
	for set in $SETS; do
		peers=$PEERS
		[ "$set" = small ] && peers=$SMALL_PEERS
		for job in $JOBS; do
			echo
			echo "== $job job on the $set set: $(manifest "$set" | wc -l) images," \
				"$(manifest "$set" | awk '{s += $2 * $3} END {printf "%.1f", s / 1e6}') MP" \
				"(medians of interleaved runs)"
			avail=""
			for tool in $peers; do
				local missing="" t
				for t in ${NEEDS[$tool]}; do have "$t" || missing+=" $t"; done
				if [ -n "$missing" ]; then
					echo "$tool: skipped: not installed:$missing" >>"$WORK/skip-$job-$set"
				elif [ "$tool" = gst ] && [ "$job" = invert ]; then
					echo "$tool: skipped: no invert element in gst-plugins-base/good" >>"$WORK/skip-$job-$set"
				else
					avail+=" $tool"
				fi
			done
			for r in $(seq 1 $((RUNS > PEER_RUNS ? RUNS : PEER_RUNS))); do
				core="serial framepipe framepipe_ff framepipe_own$FP_EXTRA"
				[ "$r" -le "$PEER_RUNS" ] && core+=" serial2$avail"
				[ "$r" -gt "$RUNS" ] && core="serial2$avail"
				for tool in $core; do run_once "$tool" "$job" "$set"; done
			done
			header
			for tool in serial serial2 framepipe framepipe_ff framepipe_own$FP_EXTRA $avail; do
				print_row "$tool" "$job" "$set"
			done
			[ -f "$WORK/skip-$job-$set" ] && while IFS=: read -r tool why; do
				printf '  %-36s%s\n' "${LABEL[$tool]}" "$why"
			done <"$WORK/skip-$job-$set"
			check_equal "$job" "$set"
			targets "$job" "$set"
		done
	done
}

# The median wall of TOOL JOB SET, or nothing when it has none.
wall_of() {
	[ -s "$WORK/res-$1-$2-$3" ] && cut -d' ' -f1 "$WORK/res-$1-$2-$3" | median
}

# Issue 18's two targets for this cell, read off the rows above:
# framepipe at libpng settings >= 0.97x of serial x2 (equal work, the
# two-core ceiling), and framepipe at ffmpeg's settings ahead of ffmpeg.
targets() { # job set
	local fp ser2 ff ffm
	fp=$(wall_of framepipe "$1" "$2")
	ser2=$(wall_of serial2 "$1" "$2")
	ff=$(wall_of framepipe_ff "$1" "$2")
	ffm=$(wall_of ffmpeg "$1" "$2")
	if [ -n "$fp" ] && [ -n "$ser2" ]; then
		awk -v a="$fp" -v b="$ser2" -v n="$(wc -l <"$WORK/res-serial2-$1-$2")" 'BEGIN {
			r = b / a
			printf "  target: framepipe (libpng settings) at %.2fx of serial x2 (%d run%s): %s\n",
				r, n, (n > 1 ? "s" : ""), (r >= 0.97 ? "met (>= 0.97x)" : "NOT met (< 0.97x)") }'
	fi
	if [ -n "$ff" ] && [ -n "$ffm" ]; then
		awk -v a="$ff" -v b="$ffm" 'BEGIN {
			r = b / a
			printf "  target: framepipe (ffmpeg'"'"'s settings) at %.2fx of ffmpeg: %s\n",
				r, (r > 1 ? "ahead" : "NOT ahead") }'
	fi
}

# ---- transport, start-up, memory, encoder -----------------------------------

part_transport() {
	echo
	echo "== transport: testsrc pattern=none ! passthrough ! null_sink (tests/bench/transport.sh)"
	"$HERE/transport.sh" "$BUILD" | sed 's/^/  /'
}

part_startup() {
	local img="$CORPUS/small/s000.png" i
	echo
	echo "== start-up: one 640x480 image, gray job, median of 7 runs"
	mkdir -p "$WORK/one" "$WORK/one-out"
	cp "$img" "$WORK/one/"
	python3 - "$FP" "$WORK" "$FP_GRAY" "$(have convert && echo yes)" <<'PY'
import json, statistics, subprocess, sys, time
fp, work, head, have_convert = sys.argv[1:5]
def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, check=True)
    return time.monotonic() - t
walls, firsts, sups = [], [], []
for _ in range(7):
    walls.append(timed([fp, "run", "-p", head + " ! png_encode", "-i", f"{work}/one",
                        "-o", f"{work}/one-out", "--overwrite", "-q",
                        "--trace", f"{work}/t.json", "--stats-json", f"{work}/s.json"]))
    events = json.load(open(f"{work}/t.json"))["traceEvents"]
    firsts.append(min(e["ts"] for e in events if e.get("ph") == "X") / 1e3)
    sups.append(json.load(open(f"{work}/s.json"))["wall_s"])
wall, first, sup = (statistics.median(v) for v in (walls, firsts, sups))
print(f"  framepipe: first frame in the first stage {first:.1f} ms after the supervisor "
      f"starts; {1e3 * (wall - sup):.1f} ms outside the supervisor (exec, config, "
      f"plugins, exit)")
print(f"  framepipe total wall for one image: {1e3 * wall:.1f} ms")
if have_convert:
    c = statistics.median(timed(["convert", f"{work}/one/s000.png", "-grayscale",
                                 "Rec601Luma", "-filter", "Box", "-resize", "50%",
                                 "-strip", f"{work}/one-out/c.png"]) for _ in range(7))
    print(f"  ImageMagick convert, same job:      {1e3 * c:.1f} ms  "
          f"(framepipe {c / wall:.2f}x as fast)")
else:
    print("  note: convert not installed: no comparison")
PY
}

part_memory() {
	local n set
	echo
	echo "== memory: peak PSS over every process, gray job (own defaults), small-set images repeated"
	for n in 24 "$MEM_MANY"; do
		set="$WORK/mem$n"
		mkdir -p "$set" "$set-out"
		for i in $(seq 0 $((n - 1))); do
			ln -s "$CORPUS/small/s$(printf %03d $((i % 200))).png" "$set/$(printf %05d "$i").png"
		done
		local line
		line=$($MEASURE --interval 0.01 -- "$FP" run -p "$FP_GRAY ! png_encode" -i "$set" -o "$set-out" -q \
			--stats-json "$WORK/mem.json")
		python3 - "$WORK/mem.json" "$n" $line <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
n, wall, cpu, peak = int(sys.argv[2]), *map(float, sys.argv[3:6])
pool = s["pool"]["slots"] * s["pool"]["slot_size"] / 2**20
procs = 1 + sum(st["workers"] for st in s["stages"])
print(f"  {n:>6} inputs  {s['frames']['ok']:>6} written  {wall:6.1f} s  peak PSS "
      f"{peak:7.1f} MiB  (pool {pool:.1f} MiB in {s['pool']['slots']} slots, {procs} processes)")
PY
		rm -rf "$set" "$set-out"
	done
}

part_encoder() {
	local files=() f
	for f in $ENC_IMAGES; do files+=("$CORPUS/$f"); done
	echo
	echo "== png_encode settings (tests/bench/encoder_table.c: libpng in one process," \
		"encode only, CPU time): $ENC_IMAGES"
	cc -std=c11 -O2 -Wall -Wextra -Werror -o "$WORK/encoder_table" "$HERE/encoder_table.c" \
		$(pkg-config --cflags --libs libpng) -lz
	"$WORK/encoder_table" "${files[@]}"
}

# ---- main --------------------------------------------------------------------

if [ $MODE = cmd ]; then
	"cmd_$2" "$3" "$4" "$5"
	exit
fi

EQUAL_FAILED=0
build_corpus
build_baseline
echo "framepipe bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
	"$(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "framepipe $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?'), corpus from $(tr '\n' ' ' <"$CORPUS/SOURCE")"
for part in $PARTS; do
	if declare -F "part_$part" >/dev/null; then "part_$part"; fi
done
exit $EQUAL_FAILED
