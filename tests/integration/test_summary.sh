#!/bin/bash
# The summary a run ends with: every line fits 80 columns (long stage
# labels and types cut with '~', a long output folder shortened in the
# middle, long failure lines wrapped), "1 frame" for one, the output folder
# named without a doubled slash, a single frame's p95 equal to its mean
# (never below it), failures listed in input order whatever order the two
# decoders finished them in, and a run where every input failed saying so.
. "$(dirname "$0")/lib.sh"

# The summary: from the "framepipe: N frame(s):" line to the end.
summary() {
	sed -n '/^framepipe: [0-9]* frames\?: /,$p' "$ERR"
}

check_width() {
	summary | awk -v what="$1" 'length($0) > 80 {
		print "FAIL: " what ": summary line of " length($0) " columns: " $0
		bad = 1 } END { exit bad }' >&2 || fail "$1: wider than 80 columns"
	[ -n "$(summary)" ] || fail "$1: no summary"
}

# One frame; -o given with a trailing slash.
fp run -p 'resize width=32' -i "$DATA/sample/camera.png" -o "$WORK/one/"
expect_rc 0 "one frame"
expect_err "framepipe: 1 frame: 1 written, 0 failed" "one frame: singular"
grep -q "//" "$ERR" && fail "one frame: a doubled slash: $(grep // "$ERR")"
expect_err "output in $WORK/one/" "one frame: the output folder"
check_width "one frame"
# Each stage saw one frame: its p95 is that frame's time, as is its mean.
summary | awk '$1 ~ /^(decode|resize|encode)$/ {
	n++; if ($6 + 0 < $5 + 0) { print "FAIL: p95 " $6 " below mean " $5 ": " $0; bad = 1 } }
	END { exit bad || n != 3 }' >&2 || fail "one frame: p95 below the mean"

# Long names everywhere, and failures: the inputs in this order, the first
# a large file cut short (slow to fail), the next small broken ones (fast
# to fail): with two decoders they finish in another order than given.
IN="$WORK/in"
mkdir -p "$IN"
convert -size 2500x2500 xc: +noise Random -depth 8 "PNG24:$WORK/big.png" ||
	fail "convert: no test image"
size=$(stat -c %s "$WORK/big.png")
head -c $((size * 9 / 10)) "$WORK/big.png" >"$IN/a_large_and_cut_short_somewhere_near_its_end_on_purpose.png"
for x in b c d e f; do
	head -c 100 "$DATA/sample/coins.png" >"$IN/${x}_small_and_broken_with_a_name_long_enough_to_wrap_the_line.png"
done
cp "$DATA/sample/logo.png" "$IN/g.png"
LONG="$WORK/an/output/folder/with/a/name/long/enough/that/it/could/never/fit/on/one/line/of/the/summary"
cat >"$WORK/long.ini" <<INI
[decoding_every_input_file_of_the_batch]
stage = png_decode
workers = 2
[a_brightness_and_contrast_adjustment]
stage = brightness_contrast
brightness = 10
[encoding]
stage = png_encode
INI
fp run "$WORK/long.ini" -i "$IN" -o "$LONG" --stats-json "$WORK/long.json"
expect_rc 1 "long names"
expect_err "framepipe: 7 frames: 1 written, 6 failed" "long names: counts"
check_width "long names"
summary | grep -q "^  output in .*\.\.\..*/line/of/the/summary/$" ||
	fail "long names: the output folder is not shortened in the middle"
summary | grep -q "brightness_con" || fail "long names: no stage type"
# The summary's failures, and --stats-json's, in input order.
order=$(summary | sed -n 's|^  '"$IN"'/\([a-g]\)_.*|\1|p' | tr -d '\n')
[ "$order" = "abcdef" ] || fail "summary failures in order '$order', expected abcdef"
python3 - "$WORK/long.json" <<'PY' || fail "stats failures not in input order"
import json, os, sys
s = json.load(open(sys.argv[1]))
names = [os.path.basename(f["input"])[0] for f in s["failures"]]
assert names == list("abcdef"), names
PY
live=$(sed -n 's|^'"$IN"'/\([a-g]\)_.*|\1|p' "$ERR" | tr -d '\n')
echo "failures as they finished: $live; in the summary: $order" >&2

# Every input failed: the summary says so.
rm "$IN/g.png"
fp run "$WORK/long.ini" -i "$IN" -o "$WORK/all"
expect_rc 1 "all failed"
expect_err "framepipe: 6 frames: 0 written, all 6 failed" "all failed: summary"
finish
