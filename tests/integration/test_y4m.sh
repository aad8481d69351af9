#!/bin/bash
# y4m_read and y4m_write: YUV4MPEG2 streams in and out through standard
# input and output, in order through several workers, every chroma layout
# and range, colours checked against the BT.601/BT.709 tables, a numbered
# PNG sequence from a stream, broken streams, and (when ffmpeg is
# installed) a real ffmpeg | framepipe | ffmpeg round trip.
. "$(dirname "$0")/lib.sh"
PNG2RGBA=${FP_PNG2RGBA:?}
Y4M="python3 $SRC/tests/tools/y4m_tool.py"

# fp_pipe IN OUT ARGS...: framepipe with IN on standard input and standard
# output into OUT (stderr in $ERR); checks nothing was left behind.
fp_pipe() {
	local in=$1 out=$2
	shift 2
	ERR="$WORK/stderr"
	FP_TEST_TAG=$TAG "$FP_BIN" "$@" <"$in" >"$out" 2>"$ERR" &
	local pid=$!
	wait "$pid"
	RC=$?
	check_nothing_left "$pid" "framepipe $*"
}

# Through several workers the frames leave in order, and the pixels come
# back exactly (the conversion of these colours is exact both ways).
$Y4M gen "$WORK/a.y4m" 40 97 65 420jpeg
fp_pipe "$WORK/a.y4m" "$WORK/b.y4m" run -q -p 'y4m_read ! passthrough workers=3 ! y4m_write'
expect_rc 0 "passthrough workers=3"
$Y4M check "$WORK/b.y4m" 40 "$WORK/a.y4m" 0 >"$WORK/check" || fail "passthrough workers=3: $(cat "$WORK/check")"
# stdout holds the stream and nothing else: header + 40 frames.
[ "$(stat -c %s "$WORK/b.y4m")" -eq "$(($(head -1 "$WORK/b.y4m" | wc -c) + 40 * (6 + 97 * 65 + 2 * 49 * 33)))" ] ||
	fail "standard output holds more than the stream"
fp_pipe "$WORK/a.y4m" "$WORK/c.y4m" run -q -p 'y4m_read ! blur sigma=1.5 workers=2 ! y4m_write'
expect_rc 0 "blur workers=2"
$Y4M check "$WORK/c.y4m" 40 >"$WORK/check" || fail "blur workers=2: $(cat "$WORK/check")"
# Files by name instead of standard input and output.
fp run -q -p "y4m_read file=$WORK/a.y4m ! invert ! invert workers=2 ! y4m_write file=$WORK/d.y4m"
expect_rc 0 "file= both ways"
$Y4M check "$WORK/d.y4m" 40 "$WORK/a.y4m" 0 >"$WORK/check" || fail "file=: $(cat "$WORK/check")"

# Frames past the end of a piped stream are asked for before its end is
# known: they end the stream too (they once failed as a "restart").
$Y4M gen "$WORK/many.y4m" 300 64 16
for i in 1 2 3 4 5 6; do
	fp_pipe "$WORK/many.y4m" /dev/null run -q -p 'y4m_read ! passthrough workers=2 ! null_sink'
	expect_rc 0 "300 small frames from a pipe, run $i"
done

# The frame rate and each frame's timestamp travel with the frames: the
# header's F comes back, and a frame that fails upstream is replaced by a
# repeat of the one before it (the stream keeps its length), through
# several workers out of order.
sed '1s/F25:1/F30000:1001/' "$WORK/a.y4m" >"$WORK/ntsc.y4m"
fp_pipe "$WORK/ntsc.y4m" "$WORK/b.y4m" run -q -p 'y4m_read ! invert workers=2 ! invert ! y4m_write'
expect_rc 0 "F30000:1001 through invert workers=2"
head -1 "$WORK/b.y4m" | grep -q ' F30000:1001 ' || fail "frame rate not carried: $(head -1 "$WORK/b.y4m")"
fp_pipe "$WORK/ntsc.y4m" "$WORK/b.y4m" run -q -p 'y4m_read ! y4m_write fps_num=24'
head -1 "$WORK/b.y4m" | grep -q ' F24:1 ' || fail "fps_num=24: $(head -1 "$WORK/b.y4m")"
sed '1s/ F25:1//' "$WORK/a.y4m" >"$WORK/norate.y4m"
fp_pipe "$WORK/norate.y4m" "$WORK/b.y4m" run -q -p 'y4m_read ! y4m_write'
head -1 "$WORK/b.y4m" | grep -q ' F25:1 ' || fail "no rate in: $(head -1 "$WORK/b.y4m")"
fp run -q -p "testsrc count=2 width=64 height=16 ! y4m_write file=$WORK/b.y4m"
head -1 "$WORK/b.y4m" | grep -q ' F25:1 ' || fail "testsrc: $(head -1 "$WORK/b.y4m")"
sed '1s/F25:1/F30000:/' "$WORK/a.y4m" >"$WORK/badrate.y4m"
fp_pipe "$WORK/badrate.y4m" /dev/null run -q -p 'y4m_read ! y4m_write'
expect_err "standard input: frame rate 'F30000:' (expected F<numerator>:<denominator>)" "bad F"
cat >"$WORK/gap.ini" <<INI
[in]
stage = y4m_read
file = $WORK/ntsc.y4m
[bad]
plugin = ${FP_FIXTURE_DIR:?}/misbehaving_filter.so
mode = jitter
at = 5
workers = 2
[out]
stage = y4m_write
file = $WORK/gap.y4m
INI
fp run "$WORK/gap.ini" -q
expect_rc 1 "frame 5 failing"
expect_err "jitter fails it" "frame 5 failing"
[ "$($Y4M index "$WORK/gap.y4m" | tr '\n' ' ')" = "$(seq 0 39 | sed 's/^5$/4/' | tr '\n' ' ')" ] ||
	fail "frame 5 failed: not a repeat of frame 4 in its place: $($Y4M index "$WORK/gap.y4m" | head -8 | tr '\n' ' ')"

# Every chroma layout and range round-trips.
for spec in 420paldv:420:LIMITED:limited 420mpeg2:420:FULL:full 420:420:LIMITED:limited \
	422:422:LIMITED:limited 444:444:FULL:full mono:gray:LIMITED:limited; do
	IFS=: read -r tag chroma range param <<<"$spec"
	$Y4M gen "$WORK/g.y4m" 6 64 33 "$tag" "$range"
	fp_pipe "$WORK/g.y4m" "$WORK/h.y4m" run -q -p "y4m_read ! passthrough workers=2 ! y4m_write chroma=$chroma range=$param"
	expect_rc 0 "C$tag $range"
	head -1 "$WORK/h.y4m" | grep -q "XCOLORRANGE=$range" || fail "C$tag: range not written"
	$Y4M check "$WORK/h.y4m" 6 "$WORK/g.y4m" 1 >"$WORK/check" || fail "C$tag $range: $(cat "$WORK/check")"
done
# The wrong matrix on the way back is seen (the check has teeth).
$Y4M gen "$WORK/g.y4m" 3 64 32 420jpeg
fp_pipe "$WORK/g.y4m" "$WORK/h.y4m" run -q -p 'y4m_read luma=bt709 ! y4m_write'
$Y4M check "$WORK/h.y4m" 3 "$WORK/g.y4m" 2 >/dev/null && fail "bt709 in, bt601 out: not seen"
fp_pipe "$WORK/g.y4m" "$WORK/h.y4m" run -q -p 'y4m_read luma=bt709 ! y4m_write luma=bt709'
$Y4M check "$WORK/h.y4m" 3 "$WORK/g.y4m" 1 >"$WORK/check" || fail "bt709 both ways: $(cat "$WORK/check")"
# Mono streams become G8; format=g8 takes the luma of a colour stream.
fp_pipe "$WORK/g.y4m" "$WORK/h.y4m" run -q -p 'y4m_read format=g8 ! y4m_write chroma=gray'
$Y4M check "$WORK/h.y4m" 3 >"$WORK/check" || fail "format=g8: $(cat "$WORK/check")"
head -1 "$WORK/h.y4m" | grep -q Cmono || fail "chroma=gray header"

# Colours against the standard: bars of Y'CbCr 4:4:4 decoded to PNG.
# BT.601 limited: white, black, red, green, blue; BT.709; full range.
python3 - "$WORK" <<'PY'
import sys
bars = {"601": [(235,128,128),(16,128,128),(81,90,240),(145,54,34),(41,240,110)],
        "709": [(63,102,240),(173,42,26),(32,240,118)],
        "full": [(255,128,128),(0,128,128),(76,85,255),(150,44,21),(29,255,107)]}
for name, yuv in bars.items():
    w, h = 8 * len(yuv), 4
    with open("%s/bars_%s.y4m" % (sys.argv[1], name), "wb") as f:
        f.write(b"YUV4MPEG2 W%d H%d F1:1 C444%s\nFRAME\n" % (w, h, b" XCOLORRANGE=FULL" if name == "full" else b""))
        for p in range(3):
            f.write(bytes(yuv[x // 8][p] for _ in range(h) for x in range(w)))
PY
check_bars() { # NAME PIPELINE-MATRIX EXPECTED-RGB...
	local name=$1 matrix=$2
	shift 2
	rm -rf "$WORK/bars"
	fp run -q -p "y4m_read file=$WORK/bars_$name.y4m luma=$matrix ! png_encode" -o "$WORK/bars"
	expect_rc 0 "bars $name"
	"$PNG2RGBA" "$WORK/bars/frame_000000.png" | od -An -v -tu1 -w4 | awk 'NR <= 8 * '$#' && NR % 8 == 1 { print $1, $2, $3 }' >"$WORK/bars.txt"
	local i=1
	for want in "$@"; do
		read -r r g b < <(sed -n "${i}p" "$WORK/bars.txt")
		IFS=, read -r wr wg wb <<<"$want"
		for d in $((r - wr)) $((g - wg)) $((b - wb)); do
			[ "${d#-}" -le 1 ] || { fail "bars $name: bar $i is $r,$g,$b, expected $want"; break; }
		done
		i=$((i + 1))
	done
}
check_bars 601 bt601 255,255,255 0,0,0 255,0,0 0,255,0 0,0,255
check_bars 709 bt709 255,0,0 0,255,0 0,0,255
check_bars full bt601 255,255,255 0,0,0 255,0,0 0,255,0 0,0,255
# And back: the PNG of the BT.601 bars written as Y'CbCr gives the table.
check_bars 601 bt601
fp run -q -p "png_decode ! y4m_write file=$WORK/bars_back.y4m chroma=444" -i "$WORK/bars/frame_000000.png"
expect_rc 0 "png to y4m"
tail -c $((40 * 4 * 3)) "$WORK/bars_back.y4m" | cmp -s - <(tail -c $((40 * 4 * 3)) "$WORK/bars_601.y4m") ||
	fail "RGB bars to BT.601 Y'CbCr: not the table's values"

# A numbered PNG sequence from a stream: frame_000000.png ... by default,
# or any {index:0N} name.
fp run -q -p "y4m_read file=$WORK/a.y4m ! png_encode level=1" -o "$WORK/seq"
expect_rc 0 "png sequence"
[ "$(ls "$WORK/seq" | wc -l)" -eq 40 ] && [ -e "$WORK/seq/frame_000039.png" ] ||
	fail "png sequence: $(ls "$WORK/seq" | head -3)"
printf '[pipeline]\noutput = shot_{index:04}.png\n[in]\nstage = y4m_read\nfile = %s\n[out]\nstage = png_encode\n' "$WORK/a.y4m" >"$WORK/seq.ini"
fp run "$WORK/seq.ini" -q -o "$WORK/seq2"
expect_rc 0 "png sequence {index:04}"
[ -e "$WORK/seq2/shot_0000.png" ] && [ -e "$WORK/seq2/shot_0039.png" ] || fail "{index:04}: $(ls "$WORK/seq2" | head -3)"

# Broken streams: the last frame cut short fails alone; not a stream at
# all, or an unsupported one, stops the run with the reason.
head -c -100 "$WORK/a.y4m" >"$WORK/cut.y4m"
fp_pipe "$WORK/cut.y4m" "$WORK/out.y4m" run -q -p 'y4m_read ! y4m_write'
expect_rc 1 "cut stream"
expect_err "standard input: frame 39 cut short after" "cut stream"
$Y4M check "$WORK/out.y4m" 39 >/dev/null || fail "cut stream: the 39 whole frames not written"
printf 'P6\n3 3\n255\n' >"$WORK/not.y4m"
fp_pipe "$WORK/not.y4m" "$WORK/out.y4m" run -q -p 'y4m_read ! y4m_write'
[ "$RC" -ge 1 ] || fail "not a stream: exit 0"
expect_err "standard input: not a YUV4MPEG2 stream (starts with 'P6')" "not a stream"
printf 'YUV4MPEG2 W64 H64 C420p10\n' >"$WORK/p10.y4m"
fp run -q -p "y4m_read file=$WORK/p10.y4m ! y4m_write file=$WORK/x.y4m"
expect_err "colour space 'C420p10' is not supported" "10-bit"
fp run -q -p 'y4m_read workers=2 ! null_sink'
expect_rc 2 "two readers of one stream"
fp run -q -p 'testsrc count=2 ! y4m_write workers=2'
expect_rc 2 "two writers of one stream"

# A stream larger than the 16 MiB slots a pipe gets fails each frame with
# the way out; from a file, the slots are sized from its header.
printf 'YUV4MPEG2 W3000 H2000 C420jpeg\n' >"$WORK/big.y4m"
for i in 1 2; do printf 'FRAME\n'; head -c $((3000 * 2000 * 3 / 2)) /dev/zero; done >>"$WORK/big.y4m"
fp_pipe "$WORK/big.y4m" /dev/null run -q -p 'y4m_read ! null_sink'
expect_rc 1 "big stream from a pipe"
expect_err "a pool slot holds 16777216 (raise it: --set slot_size=N or [pipeline] slot_size)" "big stream"
# ... and the way out, taken on the command line.
fp_pipe "$WORK/big.y4m" /dev/null run -q --set slot_size=18M -p 'y4m_read ! null_sink'
expect_rc 0 "big stream from a pipe, --set slot_size=18M"
fp run -q -p "y4m_read file=$WORK/big.y4m ! null_sink"
expect_rc 0 "big stream from a file"

# With ffmpeg: the issue's command, a real encode at the end.
if command -v ffmpeg >/dev/null; then
	ffmpeg -nostdin -loglevel error -f lavfi -i testsrc=size=320x240:rate=25 -frames:v 30 \
		-pix_fmt yuv420p -f yuv4mpegpipe - 2>"$WORK/ff1.err" |
		FP_TEST_TAG=$TAG "$FP_BIN" run -q -p 'y4m_read ! blur sigma=2 workers=2 ! y4m_write' 2>"$ERR" |
		ffmpeg -nostdin -loglevel error -f yuv4mpegpipe -i - -c:v libx264 -y "$WORK/out.mp4" 2>"$WORK/ff2.err"
	frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$WORK/out.mp4")
	[ "$frames" = 30 ] || fail "ffmpeg | framepipe | ffmpeg: $frames frames in out.mp4, expected 30 ($(cat "$ERR" "$WORK/ff2.err"))"
	check_nothing_left $$ "ffmpeg pipeline"
	# Order and pixels through ffmpeg both ways (lossless FFV1 between).
	ffmpeg -nostdin -loglevel error -i "$WORK/a.y4m" -c:v ffv1 -y "$WORK/a.mkv"
	ffmpeg -nostdin -loglevel error -i "$WORK/a.mkv" -f yuv4mpegpipe - |
		FP_TEST_TAG=$TAG "$FP_BIN" run -q -p 'y4m_read ! passthrough workers=3 ! y4m_write' 2>"$ERR" |
		ffmpeg -nostdin -loglevel error -f yuv4mpegpipe -i - -c:v ffv1 -y "$WORK/b.mkv"
	ffmpeg -nostdin -loglevel error -i "$WORK/b.mkv" -f yuv4mpegpipe -y "$WORK/b2.y4m"
	$Y4M check "$WORK/b2.y4m" 40 "$WORK/a.y4m" 0 >"$WORK/check" || fail "through ffmpeg: $(cat "$WORK/check")"
	# A 30000/1001 clip through a resize and an invert with two workers
	# each: ffprobe reads the same frame count, rate and duration out as in.
	ffmpeg -nostdin -loglevel error -f lavfi -i testsrc=rate=30000/1001:size=160x120 -t 2 \
		-pix_fmt yuv420p -y "$WORK/ntsc_ff.y4m"
	fp run -q -p "y4m_read file=$WORK/ntsc_ff.y4m ! resize width=80 workers=2 ! invert workers=2 ! y4m_write file=$WORK/ntsc_out.y4m"
	expect_rc 0 "30000/1001 clip"
	probe() { ffprobe -v error -count_frames -select_streams v:0 -show_entries \
		stream=nb_read_frames,r_frame_rate:format=duration -of csv=p=0 "$1" | tr '\n' ' '; }
	want=$(probe "$WORK/ntsc_ff.y4m") got=$(probe "$WORK/ntsc_out.y4m")
	[ "$want" = "30000/1001,60 2.002000 " ] || fail "ffmpeg made an unexpected clip: $want"
	[ "$got" = "$want" ] || fail "30000/1001 round trip: ffprobe reads '$got', the input '$want'"
else
	echo "ffmpeg not installed: the ffmpeg round trips were not run"
fi
# The shared geometry limit (FP_MAX_DIMENSION, 65535): a 40000-wide stream
# is read (y4m_read once stopped at 32768), a 65536-wide one is refused.
python3 -c 'import sys; w = 40000; sys.stdout.buffer.write(b"YUV4MPEG2 W%d H2 F25:1 C444\nFRAME\n" % w + bytes(w * 2 * 3))' >"$WORK/wide.y4m"
fp run -q -p "y4m_read file=$WORK/wide.y4m ! checksum_sink file=$WORK/wide.sum"
expect_rc 0 "40000x2 stream"
grep -q ' 40000x2 RGB8$' "$WORK/wide.sum" || fail "40000x2 stream: $(cat "$WORK/wide.sum")"
sed 's/W40000/W65536/' "$WORK/wide.y4m" >"$WORK/wider.y4m"
fp run -q -p "y4m_read file=$WORK/wider.y4m ! null_sink"
[ "$RC" -ne 0 ] || fail "65536-wide stream accepted"
expect_err "width 'W65536' (expected 1..65535)" "65536-wide stream"
finish
