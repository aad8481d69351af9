#!/bin/bash
# Each input is opened as few times as the run needs, counted with strace:
# the generic decode hands the stream it sniffed the codec from on to the
# codec (codec/files.h) instead of opening the file again, and the stage
# host probes an input's header for a shrink hint only when a stage after
# the source resamples. Before the run (slot_size = auto) the supervisor
# opens each input twice (frame_bound, then probe); during it, decode
# opens it once, and once more for the hint when there is a resize. (These
# were 4 + 4 opens per input before the hand-over and the hint check.)
. "$(dirname "$0")/lib.sh"

command -v strace >/dev/null && command -v cjpeg >/dev/null &&
	command -v cwebp >/dev/null && command -v convert >/dev/null || {
	echo "needs strace, cjpeg, cwebp and ImageMagick (.ci/install-deps)" >&2
	exit 1
}
IN="$WORK/in"
mkdir -p "$IN"
convert "$DATA/sample/coins.png" -resize 64x64 "$IN/a.png"
convert "$IN/a.png" ppm:- | cjpeg >"$IN/b.jpg"
cwebp -quiet "$IN/a.png" -o "$IN/c.webp"
convert "$IN/a.png" "$IN/d.tif"

# check_opens PIPELINE N: run it under strace; each input must be opened
# N times, and the four outputs written.
check_opens() {
	rm -rf "$WORK/out"
	# LeakSanitizer cannot run under ptrace (the ASan pass of CI)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		FP_TEST_TAG=$TAG strace -f -qq -e trace=openat,open -o "$WORK/trace" \
		"$FP_BIN" run -q -p "$1" -i "$IN" -o "$WORK/out" \
		>"$WORK/stdout" 2>"$WORK/stderr" </dev/null
	RC=$?
	[ "$RC" -eq 0 ] || fail "'$1' exited $RC: $(cat "$WORK/stderr")"
	for f in a.png b.jpg c.webp d.tif; do
		n=$(grep -c "open.*\"$IN/$f\"" "$WORK/trace")
		[ "$n" -eq "$2" ] || fail "'$1': $f opened $n times, expected $2"
	done
	[ "$(ls "$WORK/out" | wc -l)" -eq 4 ] || fail "'$1': 4 outputs expected"
}

check_opens 'decode ! grayscale ! encode' 3
check_opens 'decode ! resize width=32 ! encode' 4

finish
